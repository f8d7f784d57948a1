//! Operation, response, event, device-property, object-format and MTP
//! object-property codes of PTP 1.1, MTP and the vendor extensions.
//!
//! The tables are generated at compile time from the data files in
//! `ptp-core/spec/` (one per vendor extension, format in `spec/README.md`).
//! Each vendor module (`standard`, `mtp`, `canon_eos`, ...) has a code enum per
//! kind with an `Unknown(u16)` fallback and a sorted [`CodeInfo`] table.
//!
//! Vendor ranges overlap (0x9xxx is one thing for Canon, another for Nikon), so
//! a raw code is only named together with the [`CodeSet`] in force for the
//! device, which [`CodeSet::detect`] decides from DeviceInfo.

mod code_set;
mod param_counts;

pub use code_set::{CodeSet, DeviceIdentity};
pub use param_counts::standard_param_count;

use crate::DataType;

ptp_macros::code_tables!(
    "../../spec/standard.spec",
    "../../spec/mtp.spec",
    "../../spec/canon.spec",
    "../../spec/canon_eos.spec",
    "../../spec/nikon.spec",
    "../../spec/sony.spec",
    "../../spec/fujifilm.spec",
    "../../spec/olympus.spec",
    "../../spec/panasonic.spec",
    "../../spec/leica.spec",
    "../../spec/sigma.spec",
    "../../spec/casio.spec",
    "../../spec/parrot.spec",
    "../../spec/kodak.spec",
    "../../spec/android.spec",
    "../../spec/gopro.spec",
    "../../spec/ricoh.spec",
    "../../spec/chdk.spec",
);

/// The six kinds of code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Kind {
    /// Operation codes (0x1xxx standard, 0x9xxx vendor).
    Operation,
    /// Response codes (0x2xxx standard, 0xAxxx vendor).
    Response,
    /// Event codes (0x4xxx standard, 0xCxxx vendor).
    Event,
    /// Device property codes (0x5xxx standard, 0xDxxx vendor).
    DeviceProperty,
    /// Object format codes (0x3xxx standard, 0xBxxx vendor).
    ObjectFormat,
    /// MTP object property codes (0xDCxx..0xDExx).
    ObjectProperty,
    /// Vendor device properties with 32-bit codes (Nikon 0x1Dxxx, Panasonic).
    DeviceProperty32,
}

impl Kind {
    /// All kinds, in spec file order.
    pub const ALL: [Kind; 7] = [
        Kind::Operation,
        Kind::Response,
        Kind::Event,
        Kind::DeviceProperty,
        Kind::ObjectFormat,
        Kind::ObjectProperty,
        Kind::DeviceProperty32,
    ];

    /// A lower-case plural name (`operations`, `device properties`, ...).
    pub const fn plural(self) -> &'static str {
        match self {
            Kind::Operation => "operations",
            Kind::Response => "responses",
            Kind::Event => "events",
            Kind::DeviceProperty => "device properties",
            Kind::ObjectFormat => "object formats",
            Kind::ObjectProperty => "object properties",
            Kind::DeviceProperty32 => "32-bit device properties",
        }
    }
}

/// The direction of an operation's data phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DataDirection {
    /// No data phase.
    None,
    /// Data flows from the responder to the initiator.
    In,
    /// Data flows from the initiator to the responder.
    Out,
}

/// One entry of a code table, as written in the spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The wire code (16-bit for every kind but `DeviceProperty32`).
    pub code: u32,
    /// The name, without vendor prefix (`RemoteRelease`).
    pub name: &'static str,
    /// Other names the same code goes by.
    pub aliases: &'static [&'static str],
    /// A one-line description, when the spec gives one.
    pub description: Option<&'static str>,
    /// Operations: the data phase, when known.
    pub data: Option<DataDirection>,
    /// Operations: the parameter names, when known.
    pub params: Option<&'static [&'static str]>,
    /// Properties: the data type, when known.
    pub data_type: Option<DataType>,
}

/// Finds an entry of a sorted table by code.
pub fn find_by_code(table: &'static [CodeInfo], code: u32) -> Option<&'static CodeInfo> {
    table
        .binary_search_by_key(&code, |info| info.code)
        .ok()
        .and_then(|index| table.get(index))
}

/// Finds an entry of a table by name or alias, ignoring ASCII case.
pub fn find_by_name(table: &'static [CodeInfo], name: &str) -> Option<&'static CodeInfo> {
    table.iter().find(|info| {
        info.name.eq_ignore_ascii_case(name)
            || info
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name))
    })
}
