//! Which code tables are in force for a device, and lookups through them.

use super::{CodeInfo, Kind, Vendor, find_by_code, find_by_name};

/// PIMA-assigned VendorExtensionID values used in detection.
mod vendor_id {
    pub const KODAK: u32 = 0x0000_0001;
    pub const MICROSOFT: u32 = 0x0000_0006;
    pub const NIKON: u32 = 0x0000_000A;
    pub const CANON: u32 = 0x0000_000B;
    pub const PENTAX: u32 = 0x0000_000D;
    pub const FUJI: u32 = 0x0000_000E;
    pub const SONY: u32 = 0x0000_0011;
    pub const PARROT: u32 = 0x0000_001B;
    pub const PANASONIC: u32 = 0x0000_001C;
    /// Some MTP devices report all ones instead of 6.
    pub const MTP: u32 = 0xFFFF_FFFF;
}

/// Canon EOS's GetEvent (0x9116): answered by EOS bodies, not by PowerShots.
const CANON_EOS_GET_EVENT: u16 = 0x9116;

/// What DeviceInfo says about who made a device, as plain strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceIdentity<'a> {
    /// DeviceInfo's VendorExtensionID.
    pub vendor_extension_id: u32,
    /// DeviceInfo's VendorExtensionDesc (e.g. `microsoft.com: 1.0;`).
    pub vendor_extension_desc: &'a str,
    /// DeviceInfo's Manufacturer.
    pub manufacturer: &'a str,
    /// DeviceInfo's Model.
    pub model: &'a str,
}

/// The code tables in force for a device: its vendor's (and what that vendor
/// extends), MTP's when the device speaks MTP, and always standard PTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CodeSet {
    /// The vendor extension; `Vendor::Standard` for raw mode.
    pub vendor: Vendor,
    /// Whether the MTP tables apply too.
    pub mtp: bool,
}

impl CodeSet {
    /// Raw mode: standard PTP 1.1 names only.
    pub const STANDARD: CodeSet = CodeSet {
        vendor: Vendor::Standard,
        mtp: false,
    };

    /// An imposed vendor extension (MTP tables included only for `Vendor::Mtp`).
    pub const fn vendor(vendor: Vendor) -> CodeSet {
        CodeSet {
            vendor,
            mtp: matches!(vendor, Vendor::Mtp),
        }
    }

    /// Decides the code set from DeviceInfo. `supports_operation` answers
    /// whether DeviceInfo lists an operation code (Canon EOS bodies are told
    /// from PowerShots by the EOS GetEvent operation).
    ///
    /// Devices that report the Microsoft id (6) are named by their
    /// manufacturer string when it is a known camera maker, and keep the MTP
    /// tables as well.
    pub fn detect(
        identity: &DeviceIdentity<'_>,
        supports_operation: impl Fn(u16) -> bool,
    ) -> CodeSet {
        let id = identity.vendor_extension_id;
        let mtp = id == vendor_id::MICROSOFT
            || id == vendor_id::MTP
            || contains_ignore_case(identity.vendor_extension_desc, "microsoft.com");
        let by_id = match id {
            vendor_id::KODAK => Some(Vendor::Kodak),
            vendor_id::NIKON => Some(Vendor::Nikon),
            vendor_id::CANON => Some(Vendor::Canon),
            vendor_id::FUJI => Some(Vendor::Fujifilm),
            vendor_id::SONY => Some(Vendor::Sony),
            vendor_id::PARROT => Some(Vendor::Parrot),
            vendor_id::PANASONIC => Some(Vendor::Panasonic),
            vendor_id::PENTAX => Some(Vendor::Ricoh),
            _ => None,
        };
        let vendor = by_id
            .or_else(|| by_manufacturer(identity))
            .unwrap_or(if mtp { Vendor::Mtp } else { Vendor::Standard });
        let vendor = match vendor {
            Vendor::Canon if supports_operation(CANON_EOS_GET_EVENT) => Vendor::CanonEos,
            other => other,
        };
        CodeSet { vendor, mtp }
    }

    /// The vendors whose tables are consulted, most specific first.
    pub fn vendors(self) -> impl Iterator<Item = Vendor> {
        let own = core::iter::successors(Some(self.vendor), |vendor| vendor.extends())
            .filter(|vendor| *vendor != Vendor::Standard && *vendor != Vendor::Mtp);
        let mtp = (self.mtp || self.vendor == Vendor::Mtp).then_some(Vendor::Mtp);
        own.chain(mtp).chain(Some(Vendor::Standard))
    }

    /// Names a raw code: the table entry and the vendor that defines it.
    pub fn lookup(self, kind: Kind, code: u32) -> Option<(Vendor, &'static CodeInfo)> {
        self.vendors()
            .find_map(|vendor| find_by_code(vendor.table(kind), code).map(|info| (vendor, info)))
    }

    /// The name of a raw code, if any table in force has one.
    pub fn name(self, kind: Kind, code: u32) -> Option<&'static str> {
        self.lookup(kind, code).map(|(_, info)| info.name)
    }

    /// Finds a code by name (ASCII case ignored) in the tables in force.
    pub fn find(self, kind: Kind, name: &str) -> Option<(Vendor, &'static CodeInfo)> {
        self.vendors()
            .find_map(|vendor| find_by_name(vendor.table(kind), name).map(|info| (vendor, info)))
    }
}

fn by_manufacturer(identity: &DeviceIdentity<'_>) -> Option<Vendor> {
    const MAKERS: [(&str, Vendor); 14] = [
        ("canon", Vendor::Canon),
        ("nikon", Vendor::Nikon),
        ("sony", Vendor::Sony),
        ("fujifilm", Vendor::Fujifilm),
        ("olympus", Vendor::Olympus),
        ("om digital", Vendor::Olympus),
        ("panasonic", Vendor::Panasonic),
        ("leica", Vendor::Leica),
        ("sigma", Vendor::Sigma),
        ("casio", Vendor::Casio),
        ("parrot", Vendor::Parrot),
        ("gopro", Vendor::Gopro),
        ("ricoh", Vendor::Ricoh),
        ("kodak", Vendor::Kodak),
    ];
    MAKERS
        .iter()
        .find(|(needle, _)| contains_ignore_case(identity.manufacturer, needle))
        .map(|(_, vendor)| *vendor)
        .or_else(|| {
            contains_ignore_case(identity.vendor_extension_desc, "android.com")
                .then_some(Vendor::Android)
        })
}

/// ASCII case-insensitive substring test, without allocating.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod test {
    use super::*;

    fn identity(id: u32, manufacturer: &'static str) -> DeviceIdentity<'static> {
        DeviceIdentity {
            vendor_extension_id: id,
            manufacturer,
            ..DeviceIdentity::default()
        }
    }

    #[test]
    fn detects_by_vendor_id() {
        let set = CodeSet::detect(&identity(0xA, "Nikon Corporation"), |_| false);
        assert_eq!(
            set,
            CodeSet {
                vendor: Vendor::Nikon,
                mtp: false
            }
        );
    }

    #[test]
    fn canon_eos_is_told_from_powershot_by_get_event() {
        // The Canon EOS R6 reports the Microsoft id and "Canon.Inc".
        let eos = CodeSet::detect(&identity(6, "Canon.Inc"), |op| op == 0x9116);
        assert_eq!(
            eos,
            CodeSet {
                vendor: Vendor::CanonEos,
                mtp: true
            }
        );
        let powershot = CodeSet::detect(&identity(0xB, "Canon Inc."), |_| false);
        assert_eq!(powershot.vendor, Vendor::Canon);
    }

    #[test]
    fn microsoft_id_without_known_maker_is_mtp() {
        let set = CodeSet::detect(&identity(6, "ACME Phones"), |_| false);
        assert_eq!(
            set,
            CodeSet {
                vendor: Vendor::Mtp,
                mtp: true
            }
        );
        let android = DeviceIdentity {
            vendor_extension_id: 6,
            vendor_extension_desc: "microsoft.com: 1.0; android.com: 1.0;",
            ..DeviceIdentity::default()
        };
        assert_eq!(CodeSet::detect(&android, |_| false).vendor, Vendor::Android);
    }

    #[test]
    fn unknown_id_is_standard() {
        assert_eq!(
            CodeSet::detect(&identity(0x99, "Nobody"), |_| false),
            CodeSet::STANDARD
        );
    }

    #[test]
    fn vendor_chain_then_mtp_then_standard() {
        let set = CodeSet {
            vendor: Vendor::CanonEos,
            mtp: true,
        };
        let chain: heapless::Vec<Vendor, 8> = set.vendors().collect();
        assert_eq!(
            chain.as_slice(),
            [
                Vendor::CanonEos,
                Vendor::Canon,
                Vendor::Mtp,
                Vendor::Standard
            ]
        );
        let raw: heapless::Vec<Vendor, 8> = CodeSet::STANDARD.vendors().collect();
        assert_eq!(raw.as_slice(), [Vendor::Standard]);
        let mtp: heapless::Vec<Vendor, 8> = CodeSet::vendor(Vendor::Mtp).vendors().collect();
        assert_eq!(mtp.as_slice(), [Vendor::Mtp, Vendor::Standard]);
    }

    #[test]
    fn same_code_has_vendor_specific_names() {
        let canon = CodeSet::vendor(Vendor::CanonEos);
        let nikon = CodeSet::vendor(Vendor::Nikon);
        assert_eq!(canon.name(Kind::Operation, 0x1001), Some("GetDeviceInfo"));
        assert_eq!(canon.name(Kind::Operation, 0x910F), Some("RemoteRelease"));
        assert_ne!(nikon.name(Kind::Operation, 0x910F), Some("RemoteRelease"));
        assert_eq!(CodeSet::STANDARD.name(Kind::Operation, 0x910F), None);
        let (vendor, info) = canon.find(Kind::Operation, "remoterelease").unwrap();
        assert_eq!((vendor, info.code), (Vendor::CanonEos, 0x910F));
    }
}
