//! Coverage of the generated code tables against libgphoto2's
//! `camlibs/ptp2/ptp.h` (2026), counted as `#define` lines per vendor prefix
//! (`../shared/PTP-FACTS.md`). A name counts once per entry plus once per
//! alias (`aka:`), as a `#define` does; 32-bit property codes count as
//! device properties.

use ptp_core::codes::{CodeSet, Kind, Vendor};

/// Names (entries and aliases) in one vendor's table of one kind.
fn names(vendor: Vendor, kind: Kind) -> usize {
    vendor
        .table(kind)
        .iter()
        .map(|info| 1 + info.aliases.len())
        .sum()
}

/// Device properties of both code widths.
fn properties(vendor: Vendor) -> usize {
    names(vendor, Kind::DeviceProperty) + names(vendor, Kind::DeviceProperty32)
}

/// libgphoto2's per-vendor counts: operations, responses, events, device
/// properties, object formats.
const LIBGPHOTO2: [(Vendor, [usize; 5]); 13] = [
    (Vendor::Standard, [38, 36, 15, 45, 32]),
    (Vendor::Mtp, [43, 15, 3, 19, 57]),
    (Vendor::Canon, [71, 6, 9, 72, 6]),
    (Vendor::CanonEos, [141, 7, 51, 232, 0]),
    (Vendor::Nikon, [71, 24, 17, 524, 0]),
    (Vendor::Sony, [23, 6, 16, 221, 3]),
    (Vendor::Fujifilm, [13, 0, 2, 208, 1]),
    (Vendor::Olympus, [20, 0, 30, 381, 0]),
    (Vendor::Panasonic, [39, 0, 2, 56, 0]),
    (Vendor::Leica, [50, 0, 0, 1, 0]),
    (Vendor::Sigma, [35, 0, 0, 0, 0]),
    (Vendor::Casio, [24, 0, 0, 27, 0]),
    (Vendor::Parrot, [14, 0, 2, 23, 0]),
];

fn counts(vendor: Vendor) -> [usize; 5] {
    [
        names(vendor, Kind::Operation),
        names(vendor, Kind::Response),
        names(vendor, Kind::Event),
        properties(vendor),
        names(vendor, Kind::ObjectFormat),
    ]
}

#[test]
fn every_vendor_covers_libgphoto2() {
    let mut short = Vec::new();
    for (vendor, expected) in LIBGPHOTO2 {
        let got = counts(vendor);
        for (index, kind) in [
            "operations",
            "responses",
            "events",
            "device properties",
            "object formats",
        ]
        .iter()
        .enumerate()
        {
            if got[index] < expected[index] {
                short.push(format!(
                    "{vendor:?} {kind}: {} < {}",
                    got[index], expected[index]
                ));
            }
        }
    }
    assert!(short.is_empty(), "below libgphoto2: {short:#?}");
}

#[test]
fn small_vendors_together_cover_their_libgphoto2_row() {
    // libgphoto2 counts Kodak, Android, CHDK, GoPro and Ricoh as one row
    // (11, 3, -, 13, 1). Six of its 13 properties are libgphoto2's own
    // `PTP_DPC_GP_SIGMA_FP_*` pseudo codes, which live in sigma.spec (whose
    // own libgphoto2 row has no properties).
    let group = [
        Vendor::Kodak,
        Vendor::Android,
        Vendor::Chdk,
        Vendor::Gopro,
        Vendor::Ricoh,
    ];
    let sum = |count: fn(Vendor) -> usize| group.iter().map(|v| count(*v)).sum::<usize>();
    assert!(sum(|v| names(v, Kind::Operation)) >= 11);
    assert!(sum(|v| names(v, Kind::Response)) >= 3);
    assert!(sum(properties) + properties(Vendor::Sigma) >= 13);
    assert!(sum(|v| names(v, Kind::ObjectFormat)) >= 1);
}

#[test]
fn totals_and_mtp_object_properties() {
    let total = |kind| Vendor::ALL.iter().map(|v| names(*v, kind)).sum::<usize>();
    assert!(total(Kind::Operation) >= 593, "{}", total(Kind::Operation));
    assert!(total(Kind::Response) >= 97);
    assert!(total(Kind::Event) >= 147);
    assert!(Vendor::ALL.iter().map(|v| properties(*v)).sum::<usize>() >= 1822);
    assert!(total(Kind::ObjectFormat) >= 100);
    assert_eq!(names(Vendor::Mtp, Kind::ObjectProperty), 168);
}

#[test]
fn tables_are_sorted_and_typed_enums_agree() {
    for vendor in Vendor::ALL {
        for kind in Kind::ALL {
            let table = vendor.table(kind);
            assert!(
                table.windows(2).all(|w| w[0].code < w[1].code),
                "{vendor:?} {kind:?} not sorted"
            );
        }
    }
    use ptp_core::codes::{canon_eos, nikon, standard};
    assert_eq!(
        standard::Operation::from_code(0x1001),
        standard::Operation::GetDeviceInfo
    );
    assert_eq!(standard::Operation::GetDeviceInfo.code(), 0x1001);
    assert_eq!(
        standard::Operation::from_code(0x9999),
        standard::Operation::Unknown(0x9999)
    );
    assert_eq!(
        canon_eos::Operation::RemoteRelease.to_string(),
        "RemoteRelease"
    );
    assert_eq!(standard::Operation::Unknown(0x9999).to_string(), "0x9999");
    assert_eq!(
        canon_eos::Operation::from_name("remoterelease"),
        Some(canon_eos::Operation::RemoteRelease)
    );
    assert_eq!(
        nikon::Response::from_name("AdvancedTransferCancel"),
        nikon::Response::from_name("StoreUnformatted")
    );
    assert_eq!(
        nikon::DeviceProperty32::from_code(0x0001_D000).name(),
        Some("MovieProResToneMode")
    );
    let info = standard::Operation::OpenSession.info().unwrap();
    assert_eq!(info.params, Some(&["SessionID"][..]));
}

#[test]
fn canon_eos_r6_device_info_codes_are_all_named() {
    // OperationsSupported and EventsSupported of a real Canon EOS R6 (seed 001).
    let operations: [u16; 12] = [
        4098, 4099, 4097, 37121, 37122, 37123, 37232, 37142, 37135, 37136, 37164, 37168,
    ];
    let events: [u16; 5] = [49537, 16387, 49539, 49540, 16393];
    let eos = CodeSet {
        vendor: Vendor::CanonEos,
        mtp: true,
    };
    for code in operations {
        assert!(
            eos.name(Kind::Operation, code.into()).is_some(),
            "operation 0x{code:04X}"
        );
    }
    for code in events {
        assert!(
            eos.name(Kind::Event, code.into()).is_some(),
            "event 0x{code:04X}"
        );
    }
    // The same vendor code means different things to Canon and Nikon.
    let nikon = CodeSet::vendor(Vendor::Nikon);
    assert_ne!(
        eos.name(Kind::Operation, 0x9101),
        nikon.name(Kind::Operation, 0x9101)
    );
}
