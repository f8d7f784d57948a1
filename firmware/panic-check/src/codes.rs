//! The code tables: detection from DeviceInfo strings, lookups by code and
//! by name.

use crate::opaque::{any, keep};
use ptp_core::codes::{self, CodeSet, DeviceIdentity, Kind, Vendor};

/// Every public lookup of `codes`.
pub fn exercise() {
    let identity: DeviceIdentity<'_> = any(DeviceIdentity {
        vendor_extension_id: 0xB,
        vendor_extension_desc: "",
        manufacturer: "Canon Inc.",
        model: "Canon EOS R6",
    });
    let set = CodeSet::detect(&identity, |code| any(code) == 0x9116);
    keep(set);
    let set: CodeSet = any(CodeSet::vendor(any(Vendor::Nikon)));
    let kind: Kind = any(Kind::Operation);
    keep((set.lookup(kind, any(0x9201)), set.name(kind, any(0x1001))));
    keep(set.find(kind, any("GetDeviceInfo")));
    keep(set.vendors().count());
    keep(kind.plural());
    let vendor: Vendor = any(Vendor::CanonEos);
    let table = vendor.table(kind);
    keep(codes::find_by_code(table, any(0x9116)));
    keep(codes::find_by_name(table, any("GetEvent")));
    keep((vendor.ident(), vendor.display_name(), vendor.extends()));
    let operation = codes::standard::Operation::from_code(any(0x1001));
    keep((operation.code(), operation.info(), operation.name()));
    keep(codes::standard::Operation::from_name(any("OpenSession")));
}
