//! The generated code tables and `CodeSet` lookups on the MCU (tables in
//! flash, binary search, vendor chains).
#![no_std]
#![no_main]

use ptp_core_mcu_tests as _;

#[defmt_test::tests]
mod tests {
    use ptp_core::codes::{
        CodeSet, DeviceIdentity, Kind, Vendor, canon_eos, find_by_code, find_by_name, standard,
    };

    #[test]
    fn every_table_is_sorted_and_every_entry_is_found() {
        let mut entries = 0usize;
        for vendor in Vendor::ALL {
            for kind in Kind::ALL {
                let table = vendor.table(kind);
                for pair in table.windows(2) {
                    defmt::assert!(
                        pair[0].code < pair[1].code,
                        "{} {=str}: {=u32:#06x} before {=u32:#06x}",
                        vendor,
                        kind.plural(),
                        pair[0].code,
                        pair[1].code
                    );
                }
                for info in table {
                    let found = find_by_code(table, info.code).map(|found| found.name);
                    defmt::assert_eq!(found, Some(info.name));
                    defmt::assert_eq!(
                        find_by_name(table, info.name).map(|found| found.code),
                        Some(info.code)
                    );
                    // Through the vendor's own code set, its own entry wins.
                    let (owner, looked_up) =
                        CodeSet::vendor(vendor).lookup(kind, info.code).unwrap();
                    defmt::assert_eq!(owner, vendor);
                    defmt::assert_eq!(looked_up.name, info.name);
                    entries += 1;
                }
            }
        }
        defmt::assert!(entries > 0);
        defmt::info!("{=usize} table entries checked", entries);
    }

    #[test]
    fn generated_enums_convert_both_ways() {
        let op = standard::Operation::from_code(0x1001);
        defmt::assert_eq!(op, standard::Operation::GetDeviceInfo);
        defmt::assert_eq!(u16::from(op), 0x1001);
        defmt::assert_eq!(op.name(), Some("GetDeviceInfo"));
        defmt::assert_eq!(
            standard::Operation::from_name("getdeviceinfo"),
            Some(standard::Operation::GetDeviceInfo)
        );
        defmt::assert_eq!(
            standard::Operation::from_code(0x1FFF),
            standard::Operation::Unknown(0x1FFF)
        );
        defmt::assert_eq!(standard::Operation::Unknown(0x1FFF).name(), None);
        defmt::assert_eq!(canon_eos::Operation::RemoteRelease.code(), 0x910F);
    }

    #[test]
    fn same_code_has_vendor_specific_names() {
        let canon = CodeSet::vendor(Vendor::CanonEos);
        let nikon = CodeSet::vendor(Vendor::Nikon);
        defmt::assert_eq!(canon.name(Kind::Operation, 0x1001), Some("GetDeviceInfo"));
        defmt::assert_eq!(canon.name(Kind::Operation, 0x910F), Some("RemoteRelease"));
        defmt::assert_ne!(nikon.name(Kind::Operation, 0x910F), Some("RemoteRelease"));
        defmt::assert_eq!(CodeSet::STANDARD.name(Kind::Operation, 0x910F), None);
        let (vendor, info) = canon.find(Kind::Operation, "REMOTErelease").unwrap();
        defmt::assert_eq!(vendor, Vendor::CanonEos);
        defmt::assert_eq!(info.code, 0x910F);
    }

    #[test]
    fn detects_the_code_set_from_device_info() {
        let identity = |id, manufacturer| DeviceIdentity {
            vendor_extension_id: id,
            manufacturer,
            ..DeviceIdentity::default()
        };
        let nikon = CodeSet::detect(&identity(0xA, "Nikon Corporation"), |_| false);
        defmt::assert_eq!(
            nikon,
            CodeSet {
                vendor: Vendor::Nikon,
                mtp: false
            }
        );
        // Canon EOS bodies report the Microsoft id and answer EOS GetEvent.
        let eos = CodeSet::detect(&identity(6, "Canon.Inc"), |op| op == 0x9116);
        defmt::assert_eq!(
            eos,
            CodeSet {
                vendor: Vendor::CanonEos,
                mtp: true
            }
        );
        let powershot = CodeSet::detect(&identity(0xB, "Canon Inc."), |_| false);
        defmt::assert_eq!(powershot.vendor, Vendor::Canon);
        let phone = DeviceIdentity {
            vendor_extension_id: 6,
            vendor_extension_desc: "microsoft.com: 1.0; android.com: 1.0;",
            ..DeviceIdentity::default()
        };
        defmt::assert_eq!(CodeSet::detect(&phone, |_| false).vendor, Vendor::Android);
        defmt::assert_eq!(
            CodeSet::detect(&identity(0x99, "Nobody"), |_| false),
            CodeSet::STANDARD
        );
    }

    #[test]
    fn vendor_chain_is_vendor_then_mtp_then_standard() {
        let set = CodeSet {
            vendor: Vendor::CanonEos,
            mtp: true,
        };
        let chain: heapless::Vec<Vendor, 8> = set.vendors().collect();
        defmt::assert_eq!(
            chain.as_slice(),
            [
                Vendor::CanonEos,
                Vendor::Canon,
                Vendor::Mtp,
                Vendor::Standard
            ]
        );
        let raw: heapless::Vec<Vendor, 8> = CodeSet::STANDARD.vendors().collect();
        defmt::assert_eq!(raw.as_slice(), [Vendor::Standard]);
        let mtp: heapless::Vec<Vendor, 8> = CodeSet::vendor(Vendor::Mtp).vendors().collect();
        defmt::assert_eq!(mtp.as_slice(), [Vendor::Mtp, Vendor::Standard]);
    }
}
