//! Emit then parse, from structured inputs (`arbitrary`): containers, every
//! PTP/IP packet and every dataset, built from owned values, emitted into a
//! buffer of a fuzzed size, then parsed back. Checks: a value that is valid
//! (strings of at most 254 UTF-16 units, parameter counts within limits,
//! values of the declared type) emits exactly `buffer_len()` bytes when the
//! buffer holds them and `BufferTooSmall { needed: buffer_len }` when not,
//! and parses back equal, taking exactly those bytes; an invalid value is
//! refused with an error (`BufferTooSmall` only if the buffer is short).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ptp_core::container::Container;
use ptp_core::dataset::{
    CancelRequest, DeviceInfo, DevicePropDesc, DeviceStatus, EventParams, ExtendedEventData, Form,
    ObjectInfo, ObjectPropDesc, ObjectPropElement, ObjectPropForm, ObjectPropList, StorageInfo,
    StreamInfo, Values,
};
use ptp_core::message::{MAX_EVENT_PARAMS, MAX_PARAMS, Message};
use ptp_core::ptpip::{DataPhase, FailReason, Packet};
use ptp_core::wire::{Array, DataType, MAX_STRING_UNITS, PtpString, Value};
use ptp_core::{EncodeError, Status};

/// The data types a value can have (all but Undefined and unknown codes).
const TYPES: [DataType; 21] = [
    DataType::Int8,
    DataType::UInt8,
    DataType::Int16,
    DataType::UInt16,
    DataType::Int32,
    DataType::UInt32,
    DataType::Int64,
    DataType::UInt64,
    DataType::Int128,
    DataType::UInt128,
    DataType::ArrayInt8,
    DataType::ArrayUInt8,
    DataType::ArrayInt16,
    DataType::ArrayUInt16,
    DataType::ArrayInt32,
    DataType::ArrayUInt32,
    DataType::ArrayInt64,
    DataType::ArrayUInt64,
    DataType::ArrayInt128,
    DataType::ArrayUInt128,
    DataType::Str,
];

#[derive(Arbitrary, Debug)]
struct Input {
    case: Case,
    /// The output buffer's size relative to `buffer_len()`.
    slack: u8,
}

#[derive(Arbitrary, Debug)]
enum Case {
    Container {
        kind: u8,
        code: u16,
        transaction_id: u32,
        params: Vec<u32>,
        payload: Vec<u8>,
    },
    Packet(PacketCase),
    DeviceInfo {
        numbers: (u16, u32, u16, u16),
        strings: [String; 5],
        arrays: [Vec<u16>; 5],
    },
    ObjectInfo {
        words: [u32; 11],
        halves: [u16; 4],
        strings: [String; 4],
    },
    StorageInfo {
        halves: [u16; 3],
        capacity: (u64, u64, u32),
        strings: [String; 2],
    },
    StreamInfo {
        longs: [u64; 2],
        words: [u32; 5],
    },
    DevicePropDesc {
        code: u16,
        data_type: u8,
        get_set: u8,
        values: [Material; 2],
        form: FormCase,
        mismatch: Option<(u8, u8)>,
    },
    ObjectPropDesc {
        code: u16,
        data_type: u8,
        get_set: u8,
        value: Material,
        group: u32,
        form: FormCase,
        mismatch: Option<(u8, u8)>,
    },
    ObjectPropList(Vec<(u32, u16, u8, Material)>),
    ExtendedEventData {
        code: u16,
        transaction_id: u32,
        params: Vec<Vec<u8>>,
    },
    DeviceStatus {
        code: u16,
        params: Vec<u32>,
    },
    CancelRequest(u32),
}

#[derive(Arbitrary, Debug)]
enum PacketCase {
    InitCommandRequest([u8; 16], String, u32),
    InitCommandAck(u32, [u8; 16], String, u32),
    InitEventRequest(u32),
    InitEventAck,
    InitFail(u32),
    OperationRequest(bool, u16, u32, Vec<u32>),
    OperationResponse(u16, u32, Vec<u32>),
    Event(u16, u32, Vec<u32>),
    StartData(u32, u64),
    Data(u32, Vec<u8>),
    Cancel(u32),
    EndData(u32, Vec<u8>),
    ProbeRequest,
    ProbeResponse,
}

/// The forms of a property description (the MTP ones only for
/// ObjectPropDesc; a DevicePropDesc takes them as `None`).
#[derive(Arbitrary, Debug)]
enum FormCase {
    None,
    Range([Material; 3]),
    Enumeration(Vec<Material>),
    DateTime,
    FixedLengthArray(u16),
    RegularExpression(String),
    ByteArray(u32),
    LongString(u32),
}

/// What a value of any data type is made from.
#[derive(Arbitrary, Debug)]
struct Material {
    int: i128,
    elements: Vec<i128>,
    text: String,
}

/// A value of one data type, owning its elements.
#[derive(Debug)]
enum Owned {
    Int(Value<'static>),
    I8(Vec<i8>),
    U8(Vec<u8>),
    I16(Vec<i16>),
    U16(Vec<u16>),
    I32(Vec<i32>),
    U32(Vec<u32>),
    I64(Vec<i64>),
    U64(Vec<u64>),
    I128(Vec<i128>),
    U128(Vec<u128>),
    Str(String),
}

impl Owned {
    /// A value of `data_type` made from `m` (integers truncated).
    fn new(data_type: DataType, m: &Material) -> Owned {
        let e = &m.elements;
        match data_type {
            DataType::ArrayInt8 => Owned::I8(e.iter().map(|v| *v as i8).collect()),
            DataType::ArrayUInt8 => Owned::U8(e.iter().map(|v| *v as u8).collect()),
            DataType::ArrayInt16 => Owned::I16(e.iter().map(|v| *v as i16).collect()),
            DataType::ArrayUInt16 => Owned::U16(e.iter().map(|v| *v as u16).collect()),
            DataType::ArrayInt32 => Owned::I32(e.iter().map(|v| *v as i32).collect()),
            DataType::ArrayUInt32 => Owned::U32(e.iter().map(|v| *v as u32).collect()),
            DataType::ArrayInt64 => Owned::I64(e.iter().map(|v| *v as i64).collect()),
            DataType::ArrayUInt64 => Owned::U64(e.iter().map(|v| *v as u64).collect()),
            DataType::ArrayInt128 => Owned::I128(e.clone()),
            DataType::ArrayUInt128 => Owned::U128(e.iter().map(|v| *v as u128).collect()),
            DataType::Str => Owned::Str(m.text.clone()),
            DataType::Int8 => Owned::Int(Value::Int8(m.int as i8)),
            DataType::UInt8 => Owned::Int(Value::UInt8(m.int as u8)),
            DataType::Int16 => Owned::Int(Value::Int16(m.int as i16)),
            DataType::UInt16 => Owned::Int(Value::UInt16(m.int as u16)),
            DataType::Int32 => Owned::Int(Value::Int32(m.int as i32)),
            DataType::UInt32 => Owned::Int(Value::UInt32(m.int as u32)),
            DataType::Int64 => Owned::Int(Value::Int64(m.int as i64)),
            DataType::UInt64 => Owned::Int(Value::UInt64(m.int as u64)),
            DataType::Int128 => Owned::Int(Value::Int128(m.int)),
            _ => Owned::Int(Value::UInt128(m.int as u128)),
        }
    }

    fn value(&self) -> Value<'_> {
        match self {
            Owned::Int(value) => *value,
            Owned::I8(v) => Value::ArrayInt8(Array::Slice(v)),
            Owned::U8(v) => Value::ArrayUInt8(Array::Slice(v)),
            Owned::I16(v) => Value::ArrayInt16(Array::Slice(v)),
            Owned::U16(v) => Value::ArrayUInt16(Array::Slice(v)),
            Owned::I32(v) => Value::ArrayInt32(Array::Slice(v)),
            Owned::U32(v) => Value::ArrayUInt32(Array::Slice(v)),
            Owned::I64(v) => Value::ArrayInt64(Array::Slice(v)),
            Owned::U64(v) => Value::ArrayUInt64(Array::Slice(v)),
            Owned::I128(v) => Value::ArrayInt128(Array::Slice(v)),
            Owned::U128(v) => Value::ArrayUInt128(Array::Slice(v)),
            Owned::Str(text) => Value::Str(PtpString::Str(text)),
        }
    }

    /// Whether the value can be written (a string fits a PTP string).
    fn valid(&self) -> bool {
        match self {
            Owned::Str(text) => fits(text),
            _ => true,
        }
    }
}

fn data_type(index: u8) -> DataType {
    TYPES[usize::from(index) % TYPES.len()]
}

/// Whether `text` fits a PTP string (up to its first NUL).
fn fits(text: &str) -> bool {
    PtpString::Str(text).unit_count() <= MAX_STRING_UNITS
}

/// The buffer size for `slack`: mostly at least `len`, sometimes short.
fn buffer_size(len: usize, slack: u8) -> usize {
    match slack {
        0..200 => len + usize::from(slack % 8),
        short => len.saturating_sub(usize::from(short - 199)),
    }
}

/// Emits `$value` into a buffer of the fuzzed size and checks the outcome;
/// when it was written, binds the bytes to `$bytes` and checks that `$parse`
/// gives the value back.
macro_rules! roundtrip {
    ($input:expr, $value:expr, $valid:expr, |$bytes:ident| $parse:expr) => {{
        let value = $value;
        let len = value.buffer_len();
        let size = buffer_size(len, $input.slack);
        let mut buffer = vec![0u8; size];
        let result = value.emit(&mut buffer);
        match result {
            Ok(written) => {
                assert!($valid, "{value:?} is invalid but was emitted");
                assert!(size >= len, "{value:?} emitted into {size} of {len} bytes");
                assert_eq!(written, len, "{value:?}");
                let $bytes: &[u8] = &buffer[..len];
                let parsed = $parse.unwrap_or_else(|e| panic!("{value:?}: {e}"));
                assert_eq!(parsed, value);
            }
            Err(EncodeError::BufferTooSmall { needed, available }) => {
                assert!(
                    size < len,
                    "{value:?}: BufferTooSmall with {size} of {len} bytes"
                );
                assert_eq!((needed, available), (len, size))
            }
            // An invalid value may be refused before or after the size check.
            Err(error) => assert!(!$valid, "{value:?}: {error}"),
        }
    }};
}

/// `Container::parse` / `Packet::parse` must take exactly `len` bytes.
macro_rules! whole {
    ($parsed:expr, $len:expr) => {
        $parsed.map(|status| match status {
            Status::Complete((value, used)) => {
                assert_eq!(used, $len);
                value
            }
            Status::Incomplete { needed } => panic!("its own encoding is incomplete ({needed})"),
        })
    };
}

fuzz_target!(|input: Input| {
    match &input.case {
        Case::Container {
            kind,
            code,
            transaction_id,
            params,
            payload,
        } => {
            let message = Message::new(*code, *transaction_id, params);
            let (container, max) = match kind % 4 {
                0 => (Container::Command(message), MAX_PARAMS),
                1 => (Container::Response(message), MAX_PARAMS),
                2 => (Container::Event(message), MAX_EVENT_PARAMS),
                _ => (
                    Container::Data {
                        code: *code,
                        transaction_id: *transaction_id,
                        payload,
                    },
                    usize::MAX,
                ),
            };
            let len = container.buffer_len();
            roundtrip!(
                input,
                container,
                params.len() <= max || max == usize::MAX,
                |bytes| { whole!(Container::parse(bytes), len) }
            );
        }
        Case::Packet(case) => packet(&input, case),
        Case::DeviceInfo {
            numbers,
            strings,
            arrays,
        } => {
            let [desc, manufacturer, model, version, serial] = strings;
            let [ops, events, props, capture, playback] = arrays;
            let info = DeviceInfo {
                standard_version: numbers.0,
                vendor_extension_id: numbers.1,
                vendor_extension_version: numbers.2,
                vendor_extension_desc: desc.as_str().into(),
                functional_mode: numbers.3,
                operations_supported: Array::Slice(ops),
                events_supported: Array::Slice(events),
                device_properties_supported: Array::Slice(props),
                capture_formats: Array::Slice(capture),
                playback_formats: Array::Slice(playback),
                manufacturer: manufacturer.as_str().into(),
                model: model.as_str().into(),
                device_version: version.as_str().into(),
                serial_number: serial.as_str().into(),
            };
            let _ = info.code_set();
            roundtrip!(input, info, strings.iter().all(|s| fits(s)), |bytes| {
                DeviceInfo::parse(bytes)
            });
        }
        Case::ObjectInfo {
            words: w,
            halves: h,
            strings,
        } => {
            let [filename, capture, modification, keywords] = strings;
            let info = ObjectInfo {
                storage_id: w[0],
                object_format: h[0],
                protection_status: h[1],
                object_compressed_size: w[1],
                thumb_format: h[2],
                thumb_compressed_size: w[2],
                thumb_pix_width: w[3],
                thumb_pix_height: w[4],
                image_pix_width: w[5],
                image_pix_height: w[6],
                image_bit_depth: w[7],
                parent_object: w[8],
                association_type: h[3],
                association_desc: w[9],
                sequence_number: w[10],
                filename: filename.as_str().into(),
                capture_date: capture.as_str().into(),
                modification_date: modification.as_str().into(),
                keywords: keywords.as_str().into(),
            };
            let _ = (info.capture_date(), info.modification_date());
            roundtrip!(input, info, strings.iter().all(|s| fits(s)), |bytes| {
                ObjectInfo::parse(bytes)
            });
        }
        Case::StorageInfo {
            halves,
            capacity,
            strings,
        } => {
            let info = StorageInfo {
                storage_type: halves[0],
                filesystem_type: halves[1],
                access_capability: halves[2],
                max_capacity: capacity.0,
                free_space_in_bytes: capacity.1,
                free_space_in_images: capacity.2,
                storage_description: strings[0].as_str().into(),
                volume_label: strings[1].as_str().into(),
            };
            roundtrip!(input, info, strings.iter().all(|s| fits(s)), |bytes| {
                StorageInfo::parse(bytes)
            });
        }
        Case::StreamInfo { longs, words } => {
            let info = StreamInfo {
                dataset_size: longs[0],
                time_resolution: longs[1],
                frame_header_size: words[0],
                frame_max_size: words[1],
                packet_header_size: words[2],
                packet_max_size: words[3],
                packet_alignment: words[4],
            };
            roundtrip!(input, info, true, |bytes| StreamInfo::parse(bytes));
        }
        Case::DevicePropDesc {
            code,
            data_type: type_index,
            get_set,
            values,
            form,
            mismatch,
        } => {
            let data_type = data_type(*type_index);
            // Every value of `data_type`, except one if `mismatch` says so.
            let typed = |slot: u8, m: &Material| match mismatch {
                Some((which, other)) if *which == slot => Owned::new(self::data_type(*other), m),
                _ => Owned::new(data_type, m),
            };
            let default = typed(0, &values[0]);
            let current = typed(1, &values[1]);
            let form = OwnedForm::new(form, &typed);
            let values: Vec<Value<'_>> = form.values().map(Owned::value).collect();
            let desc = DevicePropDesc {
                property_code: *code,
                data_type,
                get_set: *get_set,
                factory_default: default.value(),
                current: current.value(),
                form: form.value(&values).as_form().unwrap_or(Form::None),
            };
            let valid = [&default, &current]
                .into_iter()
                .chain(form.values())
                .all(|v| v.valid() && v.value().data_type() == data_type);
            let _ = desc.form.allows(&desc.current);
            roundtrip!(input, desc, valid, |bytes| DevicePropDesc::parse(bytes));
        }
        Case::ObjectPropDesc {
            code,
            data_type: type_index,
            get_set,
            value,
            group,
            form,
            mismatch,
        } => {
            let data_type = data_type(*type_index);
            let typed = |slot: u8, m: &Material| match mismatch {
                Some((which, other)) if *which == slot => Owned::new(self::data_type(*other), m),
                _ => Owned::new(data_type, m),
            };
            let default = typed(0, value);
            let form = OwnedForm::new(form, &typed);
            let values: Vec<Value<'_>> = form.values().map(Owned::value).collect();
            let desc = ObjectPropDesc {
                property_code: *code,
                data_type,
                get_set: *get_set,
                default_value: default.value(),
                group_code: *group,
                form: form.value(&values),
            };
            let valid = [&default]
                .into_iter()
                .chain(form.values())
                .all(|v| v.valid() && v.value().data_type() == data_type)
                && form.valid();
            roundtrip!(input, desc, valid, |bytes| ObjectPropDesc::parse(bytes));
        }
        Case::ObjectPropList(elements) => {
            let owned: Vec<(u32, u16, Owned)> = elements
                .iter()
                .map(|(handle, code, type_index, m)| {
                    (*handle, *code, Owned::new(data_type(*type_index), m))
                })
                .collect();
            let elements: Vec<ObjectPropElement<'_>> = owned
                .iter()
                .map(|(object_handle, property_code, value)| ObjectPropElement {
                    object_handle: *object_handle,
                    property_code: *property_code,
                    value: value.value(),
                })
                .collect();
            let list = ObjectPropList::from(elements.as_slice());
            let valid = owned.iter().all(|(_, _, value)| value.valid());
            roundtrip!(input, list, valid, |bytes| ObjectPropList::parse(bytes));
        }
        Case::ExtendedEventData {
            code,
            transaction_id,
            params,
        } => {
            let slices: Vec<&[u8]> = params.iter().map(Vec::as_slice).collect();
            let event = ExtendedEventData {
                event_code: *code,
                transaction_id: *transaction_id,
                params: EventParams::from(slices.as_slice()),
            };
            let valid = params.len() <= usize::from(u16::MAX)
                && params.iter().all(|p| p.len() <= usize::from(u16::MAX));
            roundtrip!(input, event, valid, |bytes| ExtendedEventData::parse(bytes));
        }
        Case::DeviceStatus { code, params } => {
            let status = DeviceStatus {
                code: *code,
                params: Array::Slice(params),
            };
            let valid = status.buffer_len() <= usize::from(u16::MAX);
            roundtrip!(input, status, valid, |bytes| DeviceStatus::parse(bytes));
        }
        Case::CancelRequest(transaction_id) => {
            let request = CancelRequest {
                transaction_id: *transaction_id,
            };
            roundtrip!(input, request, true, |bytes| CancelRequest::parse(bytes));
        }
    }
});

fn packet(input: &Input, case: &PacketCase) {
    let message = Message::new;
    let (packet, valid) = match case {
        PacketCase::InitCommandRequest(guid, name, version) => (
            Packet::InitCommandRequest {
                guid: *guid,
                name: name.as_str().into(),
                version: *version,
            },
            fits(name),
        ),
        PacketCase::InitCommandAck(number, guid, name, version) => (
            Packet::InitCommandAck {
                connection_number: *number,
                guid: *guid,
                name: name.as_str().into(),
                version: *version,
            },
            fits(name),
        ),
        PacketCase::InitEventRequest(number) => (
            Packet::InitEventRequest {
                connection_number: *number,
            },
            true,
        ),
        PacketCase::InitEventAck => (Packet::InitEventAck, true),
        PacketCase::InitFail(reason) => (
            Packet::InitFail {
                reason: FailReason::from_code(*reason),
            },
            true,
        ),
        PacketCase::OperationRequest(out, code, tid, params) => (
            Packet::OperationRequest {
                data_phase: if *out {
                    DataPhase::Out
                } else {
                    DataPhase::NoneOrIn
                },
                message: message(*code, *tid, params),
            },
            params.len() <= MAX_PARAMS,
        ),
        PacketCase::OperationResponse(code, tid, params) => (
            Packet::OperationResponse(message(*code, *tid, params)),
            params.len() <= MAX_PARAMS,
        ),
        PacketCase::Event(code, tid, params) => (
            Packet::Event(message(*code, *tid, params)),
            params.len() <= MAX_EVENT_PARAMS,
        ),
        PacketCase::StartData(transaction_id, total_length) => (
            Packet::StartData {
                transaction_id: *transaction_id,
                total_length: *total_length,
            },
            true,
        ),
        PacketCase::Data(transaction_id, payload) => (
            Packet::Data {
                transaction_id: *transaction_id,
                payload,
            },
            true,
        ),
        PacketCase::Cancel(transaction_id) => (
            Packet::Cancel {
                transaction_id: *transaction_id,
            },
            true,
        ),
        PacketCase::EndData(transaction_id, payload) => (
            Packet::EndData {
                transaction_id: *transaction_id,
                payload,
            },
            true,
        ),
        PacketCase::ProbeRequest => (Packet::ProbeRequest, true),
        PacketCase::ProbeResponse => (Packet::ProbeResponse, true),
    };
    let len = packet.buffer_len();
    roundtrip!(input, packet, valid, |bytes| whole!(
        Packet::parse(bytes),
        len
    ));
}

/// A form whose values are owned.
enum OwnedForm<'m> {
    None,
    Range([Owned; 3]),
    Enumeration(Vec<Owned>),
    /// The MTP forms without values.
    Plain(&'m FormCase),
}

impl<'m> OwnedForm<'m> {
    fn new(case: &'m FormCase, typed: &dyn Fn(u8, &Material) -> Owned) -> Self {
        match case {
            FormCase::None => OwnedForm::None,
            FormCase::Range([min, max, step]) => {
                OwnedForm::Range([typed(2, min), typed(3, max), typed(4, step)])
            }
            FormCase::Enumeration(values) => OwnedForm::Enumeration(
                values
                    .iter()
                    .enumerate()
                    .map(|(i, m)| typed(5u8.saturating_add(i as u8), m))
                    .collect(),
            ),
            other => OwnedForm::Plain(other),
        }
    }

    fn values(&self) -> impl Iterator<Item = &Owned> {
        let values: &[Owned] = match self {
            OwnedForm::Range(values) => values,
            OwnedForm::Enumeration(values) => values,
            _ => &[],
        };
        values.iter()
    }

    /// Whether the form data itself can be written.
    fn valid(&self) -> bool {
        match self {
            OwnedForm::Plain(FormCase::RegularExpression(text)) => fits(text),
            _ => true,
        }
    }

    /// The form; `values` are the enumeration's values (from [`Self::values`]).
    fn value<'v>(&'v self, values: &'v [Value<'v>]) -> ObjectPropForm<'v> {
        match self {
            OwnedForm::None => ObjectPropForm::None,
            OwnedForm::Range([min, max, step]) => ObjectPropForm::Range {
                min: min.value(),
                max: max.value(),
                step: step.value(),
            },
            OwnedForm::Enumeration(_) => ObjectPropForm::Enumeration(Values::Slice(values)),
            OwnedForm::Plain(FormCase::DateTime) => ObjectPropForm::DateTime,
            OwnedForm::Plain(FormCase::FixedLengthArray(length)) => {
                ObjectPropForm::FixedLengthArray { length: *length }
            }
            OwnedForm::Plain(FormCase::RegularExpression(text)) => {
                ObjectPropForm::RegularExpression(text.as_str().into())
            }
            OwnedForm::Plain(FormCase::ByteArray(max_length)) => ObjectPropForm::ByteArray {
                max_length: *max_length,
            },
            OwnedForm::Plain(FormCase::LongString(max_length)) => ObjectPropForm::LongString {
                max_length: *max_length,
            },
            OwnedForm::Plain(_) => ObjectPropForm::None,
        }
    }
}
