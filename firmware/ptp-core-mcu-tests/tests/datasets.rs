//! Datasets on the MCU: a captured DeviceInfo parsed at odd addresses, every
//! truncation of it refused without a fault, emit/parse round trips of
//! StorageInfo, ObjectInfo and DevicePropDesc through misaligned buffers,
//! and Canon EOS GetEvent records framed at odd addresses.
#![no_std]
#![no_main]

use ptp_core_mcu_tests as _;

#[defmt_test::tests]
mod tests {
    use ptp_core::codes::{CodeSet, Vendor};
    use ptp_core::dataset::{
        DeviceInfo, DevicePropDesc, EosEvents, EosScanner, Form, ObjectInfo, StorageInfo,
    };
    use ptp_core::wire::{PtpString, UtcOffset, Value};
    use ptp_core::{DataType, DecodeErrorKind, EncodeError};
    use ptp_core_mcu_tests::fixtures::EOS_R6_DEVICE_INFO;
    use ptp_core_mcu_tests::{Aligned, place, window};

    #[test]
    fn device_info_fixture_parses_at_odd_offsets() {
        let mut buffer = Aligned::<528>::new();
        for offset in [1, 2, 3, 5, 7, 13] {
            let bytes = place(&mut buffer, offset, EOS_R6_DEVICE_INFO);
            let info = DeviceInfo::parse(bytes).unwrap();
            defmt::assert_eq!(info.standard_version, 100);
            defmt::assert_eq!(info.vendor_extension_id, 6);
            defmt::assert!(info.vendor_extension_desc.is_empty());
            defmt::assert_eq!(info.operations_supported.len(), 159);
            defmt::assert_eq!(info.operations_supported.get(0), Some(0x1002));
            defmt::assert_eq!(info.operations_supported.get(158), Some(0x9060));
            defmt::assert_eq!(info.events_supported.len(), 19);
            defmt::assert_eq!(info.events_supported.get(18), Some(0x4009));
            defmt::assert_eq!(info.device_properties_supported.len(), 5);
            defmt::assert!(info.capture_formats.contains(0x3801));
            defmt::assert_eq!(info.playback_formats.len(), 12);
            defmt::assert!(info.manufacturer.eq_str("Canon.Inc"));
            defmt::assert!(info.model.eq_str("Canon EOS R6"));
            defmt::assert!(info.device_version.eq_str("3-1.5.0"));
            defmt::assert!(info.serial_number.eq_str("[redacted]"));
            defmt::assert!(info.supports_operation(0x9116));
            defmt::assert_eq!(
                info.code_set(),
                CodeSet {
                    vendor: Vendor::CanonEos,
                    mtp: true
                }
            );
        }
    }

    #[test]
    fn device_info_re_emits_the_same_bytes_into_a_misaligned_buffer() {
        let mut input = Aligned::<528>::new();
        let info = DeviceInfo::parse(place(&mut input, 3, EOS_R6_DEVICE_INFO)).unwrap();
        defmt::assert_eq!(info.buffer_len(), EOS_R6_DEVICE_INFO.len());
        let mut output = Aligned::<528>::new();
        let target = window(&mut output, 1, EOS_R6_DEVICE_INFO.len());
        defmt::assert_eq!(info.emit(target), Ok(EOS_R6_DEVICE_INFO.len()));
        defmt::assert!(output.0[1..512] == EOS_R6_DEVICE_INFO[..]);
        // One byte short: refused up front, nothing written past the end.
        let mut small = Aligned::<528>::new();
        small.0 = [0xEE; 528];
        defmt::assert_eq!(
            info.emit(&mut small.0[1..511]),
            Err(EncodeError::BufferTooSmall {
                needed: 511,
                available: 510
            })
        );
        defmt::assert_eq!(small.0[511], 0xEE);
    }

    #[test]
    fn every_truncated_device_info_is_an_error() {
        let mut buffer = Aligned::<528>::new();
        for len in 0..EOS_R6_DEVICE_INFO.len() {
            let bytes = place(&mut buffer, 1, &EOS_R6_DEVICE_INFO[..len]);
            let err = DeviceInfo::parse(bytes).unwrap_err();
            defmt::assert!(
                err.offset <= len,
                "offset {=usize} past {=usize}",
                err.offset,
                len
            );
            defmt::assert!(
                matches!(
                    err.kind,
                    DecodeErrorKind::Truncated { .. } | DecodeErrorKind::BadLength(_)
                ),
                "cut at {=usize}: {}",
                len,
                err
            );
        }
    }

    #[test]
    fn storage_info_round_trips_misaligned() {
        let storage = StorageInfo {
            storage_type: 0x0004,
            filesystem_type: 0x0002,
            access_capability: 0x0000,
            max_capacity: 0x0000_0007_7359_4000,
            free_space_in_bytes: 0x0000_0003_B9AC_A000,
            free_space_in_images: 0xFFFF_FFFF,
            storage_description: PtpString::Str("SD1"),
            volume_label: PtpString::Str("EOS_DIGITAL"),
        };
        let mut encoded = Aligned::<96>::new();
        let len = storage
            .emit(window(&mut encoded, 5, storage.buffer_len()))
            .unwrap();
        defmt::assert_eq!(len, storage.buffer_len());
        let mut buffer = Aligned::<96>::new();
        let bytes = place(&mut buffer, 3, &encoded.0[5..5 + len]);
        defmt::assert_eq!(StorageInfo::parse(bytes), Ok(storage));
    }

    #[test]
    fn object_info_round_trips_misaligned_with_dates() {
        let object = ObjectInfo {
            storage_id: 0x0001_0001,
            object_format: 0x3801,
            protection_status: 0,
            object_compressed_size: 6_291_456,
            thumb_format: 0x3808,
            thumb_compressed_size: 11_264,
            thumb_pix_width: 160,
            thumb_pix_height: 120,
            image_pix_width: 5472,
            image_pix_height: 3648,
            image_bit_depth: 24,
            parent_object: 0x9000_0001,
            association_type: 0,
            association_desc: 0,
            sequence_number: 0,
            filename: PtpString::Str("IMG_0001.JPG"),
            capture_date: PtpString::Str("20261121T134502.7-0130"),
            modification_date: PtpString::Str("20261121T134502Z"),
            keywords: PtpString::EMPTY,
        };
        let mut encoded = Aligned::<256>::new();
        let len = object
            .emit(window(&mut encoded, 1, object.buffer_len()))
            .unwrap();
        let mut buffer = Aligned::<256>::new();
        let bytes = place(&mut buffer, 7, &encoded.0[1..1 + len]);
        let parsed = ObjectInfo::parse(bytes).unwrap();
        defmt::assert_eq!(parsed, object);
        let captured = parsed.capture_date().unwrap();
        defmt::assert_eq!(captured.tenths, Some(7));
        defmt::assert_eq!(captured.offset, Some(UtcOffset::Minutes(-90)));
        defmt::assert_eq!(
            parsed.modification_date().map(|date| date.offset),
            Some(Some(UtcOffset::Utc))
        );
    }

    #[test]
    fn device_prop_desc_forms_round_trip_misaligned() {
        let isos = [
            Value::UInt16(100),
            Value::UInt16(200),
            Value::UInt16(400),
            Value::UInt16(800),
        ];
        let descs = [
            DevicePropDesc {
                property_code: 0x5001,
                data_type: DataType::UInt8,
                get_set: DevicePropDesc::GET,
                factory_default: Value::UInt8(100),
                current: Value::UInt8(64),
                form: Form::Range {
                    min: Value::UInt8(0),
                    max: Value::UInt8(100),
                    step: Value::UInt8(1),
                },
            },
            DevicePropDesc {
                property_code: 0x500F,
                data_type: DataType::UInt16,
                get_set: DevicePropDesc::GET_SET,
                factory_default: Value::UInt16(100),
                current: Value::UInt16(400),
                form: Form::Enumeration((&isos[..]).into()),
            },
            DevicePropDesc {
                property_code: 0x5011,
                data_type: DataType::Str,
                get_set: DevicePropDesc::GET_SET,
                factory_default: Value::Str(PtpString::Str("20000101T000000")),
                current: Value::Str(PtpString::Str("20261121T134502")),
                form: Form::None,
            },
            DevicePropDesc {
                property_code: 0xD303,
                data_type: DataType::Int64,
                get_set: DevicePropDesc::GET,
                factory_default: Value::Int64(-1),
                current: Value::Int64(i64::MIN),
                form: Form::None,
            },
        ];
        for (index, desc) in descs.iter().enumerate() {
            let mut encoded = Aligned::<128>::new();
            let len = desc
                .emit(window(&mut encoded, 0, desc.buffer_len()))
                .unwrap();
            let offset = 1 + 2 * index;
            let mut buffer = Aligned::<160>::new();
            let bytes = place(&mut buffer, offset, &encoded.0[..len]);
            let parsed = DevicePropDesc::parse(bytes).unwrap();
            defmt::assert_eq!(parsed, *desc, "property {=u16:#06x}", desc.property_code);
            defmt::assert!(parsed.form.allows(&parsed.current));
        }
        // A value outside the enumeration is not allowed.
        let iso = Form::Enumeration((&isos[..]).into());
        defmt::assert!(!iso.allows(&Value::UInt16(1600)));
    }

    /// ObjectAddedEx (handle 0x90000001) and a property change, then the
    /// end record, framed at odd addresses, whole and streamed in pieces.
    #[test]
    fn canon_eos_events_at_odd_offsets() {
        const EVENTS: [u8; 44] = [
            24, 0, 0, 0, 0x81, 0xC1, 0, 0, 0x01, 0, 0, 0x90, 0x01, 0, 0x02, 0, //
            0x01, 0x38, 0, 0, 0, 0, 0, 0, //
            12, 0, 0, 0, 0x89, 0xC1, 0, 0, 0x05, 0xD1, 0, 0, //
            8, 0, 0, 0, 0, 0, 0, 0,
        ];
        let mut buffer = Aligned::<64>::new();
        for offset in [1, 2, 3, 5] {
            let bytes = place(&mut buffer, offset, &EVENTS);
            let events = EosEvents::parse(bytes).unwrap();
            let mut records = events.iter();
            let added = records.next().unwrap();
            defmt::assert_eq!(added.kind, 0xC181);
            defmt::assert_eq!(added.u32_at(0), Some(0x9000_0001));
            defmt::assert_eq!(records.next().unwrap().u32_at(0), Some(0xD105));
            defmt::assert!(records.next().is_none());
            for len in 0..bytes.len() {
                let _ = EosEvents::parse(&bytes[..len]);
            }
            for step in [1, 3, 7] {
                let mut scanner = EosScanner::new();
                let mut first = None;
                for chunk in bytes.chunks(step) {
                    scanner
                        .push(chunk, |record| {
                            first.get_or_insert(record.first_word);
                        })
                        .unwrap();
                }
                defmt::assert_eq!(first, Some(Some(0x9000_0001)));
                defmt::assert!(scanner.ended());
            }
        }
    }
}
