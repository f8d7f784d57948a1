//! Writes the seed corpora in `corpus/<target>/`: the test fixtures and
//! bytes emitted by ptp-core itself, one small file per seed. Run it from
//! the fuzz directory after changing a format:
//!
//! ```sh
//! cargo +nightly run --example make_seeds
//! ```
//!
//! The engine and round-trip targets take structured (`arbitrary`) input;
//! their seeds are inputs the fuzzer found, not written here: a set cover
//! of a longer run's corpus, inputs cut to 128 bytes, made with
//!
//! ```sh
//! BIN=../../target/fuzz/x86_64-unknown-linux-gnu/release
//! $BIN/responder -set_cover_merge=1 -max_len=128 corpus/responder ../../target/fuzz/corpus/responder
//! ```

use ptp_core::container::{Container, Header};
use ptp_core::dataset::{
    CancelRequest, DeviceInfo, DevicePropDesc, DeviceStatus, EventParams, ExtendedEventData, Form,
    ObjectInfo, ObjectPropDesc, ObjectPropElement, ObjectPropForm, ObjectPropList, StorageInfo,
    StreamInfo, Values,
};
use ptp_core::message::Message;
use ptp_core::ptpip::{self, DataPhase, FailReason, Packet};
use ptp_core::wire::{Array, DataType, Value};
use std::fs;
use std::path::Path;

/// The real Canon EOS R6 DeviceInfo shared by the test suites.
static EOS_R6: &[u8] = include_bytes!("../../fixtures/canon-eos-r6-device-info.bin");

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut written = 0;
    for (target, seeds) in seeds() {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        for (index, seed) in seeds.iter().enumerate() {
            fs::write(dir.join(format!("seed-{index:02}")), seed)?;
            written += seed.len();
        }
    }
    println!("wrote {written} bytes of seeds under {}", root.display());
    Ok(())
}

/// Emits a value whose `emit(&mut [u8]) -> Result<usize, _>` fits 4 KiB.
macro_rules! bytes {
    ($value:expr) => {{
        let mut buffer = vec![0u8; 4096];
        let len = $value.emit(&mut buffer).expect("seed value emits");
        buffer.truncate(len);
        buffer
    }};
}

fn seeds() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let info = DeviceInfo {
        standard_version: 100,
        vendor_extension_id: 6,
        vendor_extension_version: 100,
        vendor_extension_desc: "microsoft.com: 1.0; android.com: 1.0;".into(),
        functional_mode: 0,
        operations_supported: Array::Slice(&[0x1001, 0x1002, 0x1003, 0x1009, 0x9805]),
        events_supported: Array::Slice(&[0x4002, 0x4003]),
        device_properties_supported: Array::Slice(&[0x5001, 0xD402]),
        capture_formats: Array::Slice(&[]),
        playback_formats: Array::Slice(&[0x3001, 0x3801]),
        manufacturer: "Google".into(),
        model: "Pixel".into(),
        device_version: "1.0".into(),
        serial_number: "0123456789".into(),
    };
    let object_info = ObjectInfo {
        storage_id: 0x0001_0001,
        object_format: 0x3801,
        object_compressed_size: 4_000_000,
        filename: "IMG_0001.JPG".into(),
        capture_date: "20240102T030405.6+0100".into(),
        modification_date: "20240102T030405Z".into(),
        keywords: "".into(),
        ..ObjectInfo::default()
    };
    let storage_info = StorageInfo {
        storage_type: 4,
        filesystem_type: 3,
        access_capability: 0,
        max_capacity: 64 << 30,
        free_space_in_bytes: 10 << 30,
        free_space_in_images: 0xFFFF_FFFF,
        storage_description: "SD".into(),
        volume_label: "EOS_DIGITAL".into(),
    };
    let enumeration = [Value::UInt16(100), Value::UInt16(200), Value::UInt16(400)];
    let prop_descs = [
        DevicePropDesc {
            property_code: 0x5001,
            data_type: DataType::UInt8,
            get_set: DevicePropDesc::GET,
            factory_default: Value::UInt8(100),
            current: Value::UInt8(55),
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
            form: Form::Enumeration(Values::Slice(&enumeration)),
        },
        DevicePropDesc {
            property_code: 0x5011,
            data_type: DataType::Str,
            get_set: DevicePropDesc::GET_SET,
            factory_default: Value::Str("20000101T000000".into()),
            current: Value::Str("20240102T030405".into()),
            form: Form::None,
        },
    ];
    let object_prop_descs = [
        ObjectPropDesc {
            property_code: 0xDC07,
            data_type: DataType::Str,
            get_set: ObjectPropDesc::GET_SET,
            default_value: Value::Str("".into()),
            group_code: 0,
            form: ObjectPropForm::RegularExpression("[a-z]+".into()),
        },
        ObjectPropDesc {
            property_code: 0xDC04,
            data_type: DataType::UInt64,
            get_set: ObjectPropDesc::GET,
            default_value: Value::UInt64(0),
            group_code: 1,
            form: ObjectPropForm::Range {
                min: Value::UInt64(0),
                max: Value::UInt64(u64::MAX),
                step: Value::UInt64(1),
            },
        },
        ObjectPropDesc {
            property_code: 0xDC09,
            data_type: DataType::Str,
            get_set: ObjectPropDesc::GET,
            default_value: Value::Str("".into()),
            group_code: 0,
            form: ObjectPropForm::DateTime,
        },
        ObjectPropDesc {
            property_code: 0xDC8A,
            data_type: DataType::ArrayUInt8,
            get_set: ObjectPropDesc::GET_SET,
            default_value: Value::ArrayUInt8(Array::Slice(&[1, 2, 3])),
            group_code: 2,
            form: ObjectPropForm::ByteArray { max_length: 4096 },
        },
    ];
    let elements = [
        ObjectPropElement {
            object_handle: 1,
            property_code: 0xDC07,
            value: Value::Str("IMG_0001.JPG".into()),
        },
        ObjectPropElement {
            object_handle: 1,
            property_code: 0xDC04,
            value: Value::UInt64(4_000_000),
        },
        ObjectPropElement {
            object_handle: 2,
            property_code: 0xDC8A,
            value: Value::ArrayUInt16(Array::Slice(&[0x41, 0x42])),
        },
    ];
    let event_params: [&[u8]; 3] = [&[1, 0, 0, 0], &[], &[9, 9]];

    vec![
        ("device_info", vec![EOS_R6.to_vec(), bytes!(info)]),
        // The first byte seeds the chunk sizes (1 and 7 bytes at most).
        (
            "device_info_scan",
            vec![[&[0], EOS_R6].concat(), [&[2][..], &bytes!(info)].concat()],
        ),
        ("object_info", vec![bytes!(object_info)]),
        ("storage_info", vec![bytes!(storage_info)]),
        (
            "device_prop_desc",
            prop_descs.iter().map(|d| bytes!(d)).collect(),
        ),
        (
            "object_prop_desc",
            object_prop_descs.iter().map(|d| bytes!(d)).collect(),
        ),
        (
            "object_prop_list",
            vec![bytes!(ObjectPropList::from(&elements[..]))],
        ),
        (
            "stream_info",
            vec![bytes!(StreamInfo {
                dataset_size: 36,
                time_resolution: 1000,
                frame_header_size: 8,
                frame_max_size: 65536,
                packet_header_size: 4,
                packet_max_size: 512,
                packet_alignment: 4,
            })],
        ),
        (
            "extended_event_data",
            vec![bytes!(ExtendedEventData {
                event_code: 0x4002,
                transaction_id: 7,
                params: EventParams::from(&event_params[..]),
            })],
        ),
        (
            "device_status",
            vec![
                bytes!(DeviceStatus {
                    code: DeviceStatus::OK,
                    params: Array::Slice(&[]),
                }),
                bytes!(DeviceStatus {
                    code: DeviceStatus::TRANSACTION_CANCELLED,
                    params: Array::Slice(&[1, 2]),
                }),
            ],
        ),
        (
            "cancel_request",
            vec![bytes!(CancelRequest { transaction_id: 3 })],
        ),
        ("container", containers()),
        ("ptpip_packet", packets()),
        ("framer", framer_streams()),
        ("usb_event", usb_events()),
        ("canon_eos_events", vec![eos_events()]),
    ]
}

fn containers() -> Vec<Vec<u8>> {
    vec![
        bytes!(Container::Command(Message::new(0x1002, 0, &[1]))),
        bytes!(Container::Response(Message::new(
            0x2001,
            5,
            &[1, 2, 3, 4, 5]
        ))),
        bytes!(Container::Event(Message::new(0x4002, 0xFFFF_FFFF, &[7]))),
        bytes!(Container::Data {
            code: 0x1001,
            transaction_id: 0,
            payload: EOS_R6,
        }),
        bytes!(Header::data(0x1009, 4, 5 << 30)),
    ]
}

fn packets() -> Vec<Vec<u8>> {
    let guid = *b"0123456789abcdef";
    [
        Packet::InitCommandRequest {
            guid,
            name: "ptpctl".into(),
            version: ptpip::VERSION,
        },
        Packet::InitCommandAck {
            connection_number: 1,
            guid,
            name: "camera".into(),
            version: ptpip::VERSION,
        },
        Packet::InitEventRequest {
            connection_number: 1,
        },
        Packet::InitEventAck,
        Packet::InitFail {
            reason: FailReason::Busy,
        },
        Packet::OperationRequest {
            data_phase: DataPhase::Out,
            message: Message::new(0x100D, 3, &[]),
        },
        Packet::OperationResponse(Message::new(0x2001, 3, &[1, 2])),
        Packet::Event(Message::new(0x4002, 0, &[9])),
        Packet::StartData {
            transaction_id: 3,
            total_length: 5,
        },
        Packet::Data {
            transaction_id: 3,
            payload: b"abc",
        },
        Packet::Cancel { transaction_id: 3 },
        Packet::EndData {
            transaction_id: 3,
            payload: b"de",
        },
        Packet::ProbeRequest,
        Packet::ProbeResponse,
    ]
    .iter()
    .map(|packet| bytes!(packet))
    .collect()
}

/// Streams for the framer: the control byte (bit 0: transport; the rest
/// seeds the split), then a transaction's bytes in both directions.
fn framer_streams() -> Vec<Vec<u8>> {
    let mut usb = vec![0x00];
    usb.extend(bytes!(Container::Command(Message::new(0x1001, 0, &[]))));
    usb.extend(bytes!(Container::Data {
        code: 0x1001,
        transaction_id: 0,
        payload: EOS_R6,
    }));
    usb.extend(bytes!(Container::Response(Message::new(0x2001, 0, &[]))));
    let mut usb_unknown = vec![0x06];
    usb_unknown.extend(bytes!(Header::data(0x1009, 1, 5 << 30)));
    usb_unknown.extend_from_slice(&[0xAB; 40]);

    let mut ptpip = vec![0x01];
    for packet in [
        Packet::OperationRequest {
            data_phase: DataPhase::NoneOrIn,
            message: Message::new(0x1001, 0, &[]),
        },
        Packet::StartData {
            transaction_id: 0,
            total_length: 8,
        },
        Packet::Data {
            transaction_id: 0,
            payload: b"abc",
        },
        Packet::EndData {
            transaction_id: 0,
            payload: b"defgh",
        },
        Packet::OperationResponse(Message::new(0x2001, 0, &[])),
        Packet::Cancel { transaction_id: 0 },
        Packet::ProbeRequest,
    ] {
        ptpip.extend(bytes!(packet));
    }
    vec![usb, usb_unknown, ptpip]
}

/// The seed byte (the split), then events back to back.
fn usb_events() -> Vec<Vec<u8>> {
    let mut stream = vec![0x03];
    for params in [&[][..], &[1], &[1, 2, 3]] {
        stream.extend(bytes!(Container::Event(Message::new(0x4002, 9, params))));
    }
    let mut refused = vec![0x00];
    refused.extend(bytes!(Container::Event(Message::new(0x4006, 1, &[5]))));
    refused.extend(bytes!(Container::Response(Message::new(0x2001, 1, &[]))));
    vec![stream, refused]
}

/// The seed byte (the split), then Canon EOS GetEvent records: ObjectAddedEx
/// (size 24), a property change (size 12), the end record, then padding.
fn eos_events() -> Vec<u8> {
    let mut bytes = vec![0x02];
    for (size, kind, words) in [
        (
            24u32,
            0xC181u32,
            &[0x9000_0001u32, 0x0002_0001, 0x3801, 0][..],
        ),
        (12, 0xC189, &[0xD105][..]),
        (8, 0, &[][..]),
    ] {
        bytes.extend(size.to_le_bytes());
        bytes.extend(kind.to_le_bytes());
        for word in words {
            bytes.extend(word.to_le_bytes());
        }
    }
    bytes.extend([0xEE; 4]);
    bytes
}
