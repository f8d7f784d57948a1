//! Property tests of every dataset in `ptp_core::dataset`:
//! - arbitrary valid values round-trip `emit` then `parse` to an equal value,
//!   `emit` writes exactly `buffer_len()` bytes and refuses a buffer one byte
//!   short, and every proper prefix of the encoding fails to parse;
//! - arbitrary bytes, and valid encodings with bytes overwritten or cut, never
//!   make a parser panic; when they parse, the value emits and parses back
//!   equal.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use ptp_core::codes::CodeSet;
use ptp_core::dataset::{
    CancelRequest, DeviceInfo, DeviceInfoScanner, DevicePropDesc, DeviceStatus, EventParams,
    ExtendedEventData, Form, IDENTITY_DESC_BYTES, IDENTITY_NAME_BYTES, ObjectInfo, ObjectPropDesc,
    ObjectPropElement, ObjectPropForm, ObjectPropList, StorageInfo, StreamInfo, Values,
};
use ptp_core::wire::{Array, DataType, MAX_STRING_UNITS, PtpString, Value};
use ptp_core::{DecodeError, EncodeError};

// ---------------------------------------------------------------------------
// Owned mirrors of the borrowed values, for strategies.
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum OwnedValue {
    Int8(i8),
    UInt8(u8),
    Int16(i16),
    UInt16(u16),
    Int32(i32),
    UInt32(u32),
    Int64(i64),
    UInt64(u64),
    Int128(i128),
    UInt128(u128),
    ArrayInt8(Vec<i8>),
    ArrayUInt8(Vec<u8>),
    ArrayInt16(Vec<i16>),
    ArrayUInt16(Vec<u16>),
    ArrayInt32(Vec<i32>),
    ArrayUInt32(Vec<u32>),
    ArrayInt64(Vec<i64>),
    ArrayUInt64(Vec<u64>),
    ArrayInt128(Vec<i128>),
    ArrayUInt128(Vec<u128>),
    Str(String),
}

impl OwnedValue {
    fn value(&self) -> Value<'_> {
        match self {
            OwnedValue::Int8(v) => Value::Int8(*v),
            OwnedValue::UInt8(v) => Value::UInt8(*v),
            OwnedValue::Int16(v) => Value::Int16(*v),
            OwnedValue::UInt16(v) => Value::UInt16(*v),
            OwnedValue::Int32(v) => Value::Int32(*v),
            OwnedValue::UInt32(v) => Value::UInt32(*v),
            OwnedValue::Int64(v) => Value::Int64(*v),
            OwnedValue::UInt64(v) => Value::UInt64(*v),
            OwnedValue::Int128(v) => Value::Int128(*v),
            OwnedValue::UInt128(v) => Value::UInt128(*v),
            OwnedValue::ArrayInt8(v) => Value::ArrayInt8(Array::Slice(v)),
            OwnedValue::ArrayUInt8(v) => Value::ArrayUInt8(Array::Slice(v)),
            OwnedValue::ArrayInt16(v) => Value::ArrayInt16(Array::Slice(v)),
            OwnedValue::ArrayUInt16(v) => Value::ArrayUInt16(Array::Slice(v)),
            OwnedValue::ArrayInt32(v) => Value::ArrayInt32(Array::Slice(v)),
            OwnedValue::ArrayUInt32(v) => Value::ArrayUInt32(Array::Slice(v)),
            OwnedValue::ArrayInt64(v) => Value::ArrayInt64(Array::Slice(v)),
            OwnedValue::ArrayUInt64(v) => Value::ArrayUInt64(Array::Slice(v)),
            OwnedValue::ArrayInt128(v) => Value::ArrayInt128(Array::Slice(v)),
            OwnedValue::ArrayUInt128(v) => Value::ArrayUInt128(Array::Slice(v)),
            OwnedValue::Str(s) => Value::Str(PtpString::Str(s)),
        }
    }
}

#[derive(Clone, Debug)]
enum OwnedForm {
    None,
    Range(OwnedValue, OwnedValue, OwnedValue),
    Enumeration(Vec<OwnedValue>),
    DateTime,
    FixedLengthArray(u16),
    RegularExpression(String),
    ByteArray(u32),
    LongString(u32),
}

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

/// Text of at most 254 UTF-16 units without NUL (a NUL ends a PTP string).
fn ptp_text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=MAX_STRING_UNITS).prop_map(|chars| {
        let mut text = String::new();
        let mut units = 0;
        for c in chars {
            let c = if c == '\0' { '0' } else { c };
            if units + c.len_utf16() > MAX_STRING_UNITS {
                break;
            }
            units += c.len_utf16();
            text.push(c);
        }
        text
    })
}

fn data_type() -> impl Strategy<Value = DataType> {
    proptest::sample::select(&TYPES[..])
}

fn value_of(data_type: DataType) -> BoxedStrategy<OwnedValue> {
    const N: usize = 12;
    match data_type {
        DataType::Int8 => any::<i8>().prop_map(OwnedValue::Int8).boxed(),
        DataType::UInt8 => any::<u8>().prop_map(OwnedValue::UInt8).boxed(),
        DataType::Int16 => any::<i16>().prop_map(OwnedValue::Int16).boxed(),
        DataType::UInt16 => any::<u16>().prop_map(OwnedValue::UInt16).boxed(),
        DataType::Int32 => any::<i32>().prop_map(OwnedValue::Int32).boxed(),
        DataType::UInt32 => any::<u32>().prop_map(OwnedValue::UInt32).boxed(),
        DataType::Int64 => any::<i64>().prop_map(OwnedValue::Int64).boxed(),
        DataType::UInt64 => any::<u64>().prop_map(OwnedValue::UInt64).boxed(),
        DataType::Int128 => any::<i128>().prop_map(OwnedValue::Int128).boxed(),
        DataType::UInt128 => any::<u128>().prop_map(OwnedValue::UInt128).boxed(),
        DataType::ArrayInt8 => vec(any::<i8>(), 0..N)
            .prop_map(OwnedValue::ArrayInt8)
            .boxed(),
        DataType::ArrayUInt8 => vec(any::<u8>(), 0..N)
            .prop_map(OwnedValue::ArrayUInt8)
            .boxed(),
        DataType::ArrayInt16 => vec(any::<i16>(), 0..N)
            .prop_map(OwnedValue::ArrayInt16)
            .boxed(),
        DataType::ArrayUInt16 => vec(any::<u16>(), 0..N)
            .prop_map(OwnedValue::ArrayUInt16)
            .boxed(),
        DataType::ArrayInt32 => vec(any::<i32>(), 0..N)
            .prop_map(OwnedValue::ArrayInt32)
            .boxed(),
        DataType::ArrayUInt32 => vec(any::<u32>(), 0..N)
            .prop_map(OwnedValue::ArrayUInt32)
            .boxed(),
        DataType::ArrayInt64 => vec(any::<i64>(), 0..N)
            .prop_map(OwnedValue::ArrayInt64)
            .boxed(),
        DataType::ArrayUInt64 => vec(any::<u64>(), 0..N)
            .prop_map(OwnedValue::ArrayUInt64)
            .boxed(),
        DataType::ArrayInt128 => vec(any::<i128>(), 0..N)
            .prop_map(OwnedValue::ArrayInt128)
            .boxed(),
        DataType::ArrayUInt128 => vec(any::<u128>(), 0..N)
            .prop_map(OwnedValue::ArrayUInt128)
            .boxed(),
        DataType::Str => ptp_text().prop_map(OwnedValue::Str).boxed(),
        other => unreachable!("no values of {other:?}"),
    }
}

/// Any value of any type.
fn any_value() -> impl Strategy<Value = OwnedValue> {
    data_type().prop_flat_map(value_of)
}

/// A PTP form (none, range, enumeration) of `data_type`.
fn form_of(data_type: DataType) -> BoxedStrategy<OwnedForm> {
    prop_oneof![
        Just(OwnedForm::None),
        (
            value_of(data_type),
            value_of(data_type),
            value_of(data_type)
        )
            .prop_map(|(min, max, step)| OwnedForm::Range(min, max, step)),
        vec(value_of(data_type), 0..8).prop_map(OwnedForm::Enumeration),
    ]
    .boxed()
}

/// Any MTP ObjectPropDesc form of `data_type`.
fn object_form_of(data_type: DataType) -> BoxedStrategy<OwnedForm> {
    prop_oneof![
        form_of(data_type),
        Just(OwnedForm::DateTime),
        any::<u16>().prop_map(OwnedForm::FixedLengthArray),
        ptp_text().prop_map(OwnedForm::RegularExpression),
        any::<u32>().prop_map(OwnedForm::ByteArray),
        any::<u32>().prop_map(OwnedForm::LongString),
    ]
    .boxed()
}

/// The values of an owned form, borrowed (enumerations need a slice).
fn form_values(form: &OwnedForm) -> Vec<Value<'_>> {
    match form {
        OwnedForm::Enumeration(values) => values.iter().map(OwnedValue::value).collect(),
        _ => Vec::new(),
    }
}

fn ptp_form<'a>(form: &'a OwnedForm, values: &'a [Value<'a>]) -> Form<'a> {
    match form {
        OwnedForm::Range(min, max, step) => Form::Range {
            min: min.value(),
            max: max.value(),
            step: step.value(),
        },
        OwnedForm::Enumeration(_) => Form::Enumeration(Values::Slice(values)),
        _ => Form::None,
    }
}

fn object_form<'a>(form: &'a OwnedForm, values: &'a [Value<'a>]) -> ObjectPropForm<'a> {
    match form {
        OwnedForm::DateTime => ObjectPropForm::DateTime,
        OwnedForm::FixedLengthArray(length) => ObjectPropForm::FixedLengthArray { length: *length },
        OwnedForm::RegularExpression(text) => {
            ObjectPropForm::RegularExpression(PtpString::Str(text))
        }
        OwnedForm::ByteArray(max_length) => ObjectPropForm::ByteArray {
            max_length: *max_length,
        },
        OwnedForm::LongString(max_length) => ObjectPropForm::LongString {
            max_length: *max_length,
        },
        basic => ptp_form(basic, values).into(),
    }
}

// ---------------------------------------------------------------------------
// Shared checks.
// ---------------------------------------------------------------------------

/// What every dataset offers, so the checks are written once. `Of<'a>` is
/// the dataset borrowing bytes of lifetime `'a`.
trait Dataset {
    type Of<'a>: core::fmt::Debug;
    fn parse(bytes: &[u8]) -> Result<Self::Of<'_>, DecodeError>;
    fn buffer_len(value: &Self::Of<'_>) -> usize;
    fn emit(value: &Self::Of<'_>, buffer: &mut [u8]) -> Result<usize, EncodeError>;
    /// `==` across two borrows (the datasets are covariant).
    fn same(a: &Self::Of<'_>, b: &Self::Of<'_>) -> bool;
}

macro_rules! dataset {
    (@impl $marker:ident, $ty:ident, $of:ty) => {
        struct $marker;
        impl Dataset for $marker {
            type Of<'a> = $of;
            fn parse(bytes: &[u8]) -> Result<Self::Of<'_>, DecodeError> {
                $ty::parse(bytes)
            }
            fn buffer_len(value: &Self::Of<'_>) -> usize {
                value.buffer_len()
            }
            fn emit(value: &Self::Of<'_>, buffer: &mut [u8]) -> Result<usize, EncodeError> {
                value.emit(buffer)
            }
            fn same(a: &Self::Of<'_>, b: &Self::Of<'_>) -> bool {
                a == b
            }
        }
    };
    (borrowed $marker:ident => $ty:ident) => {
        dataset!(@impl $marker, $ty, $ty<'a>);
    };
    (owned $marker:ident => $ty:ident) => {
        dataset!(@impl $marker, $ty, $ty);
    };
}

dataset!(borrowed DeviceInfoSet => DeviceInfo);
dataset!(borrowed StorageInfoSet => StorageInfo);
dataset!(borrowed ObjectInfoSet => ObjectInfo);
dataset!(borrowed DevicePropDescSet => DevicePropDesc);
dataset!(borrowed ObjectPropDescSet => ObjectPropDesc);
dataset!(borrowed ObjectPropListSet => ObjectPropList);
dataset!(owned StreamInfoSet => StreamInfo);
dataset!(borrowed ExtendedEventDataSet => ExtendedEventData);
dataset!(borrowed DeviceStatusSet => DeviceStatus);
dataset!(owned CancelRequestSet => CancelRequest);

/// Emits `value`, checks the length contract, checks that it parses back
/// equal and that the given proper prefixes do not parse. Returns the
/// encoding.
fn round_trip<D: Dataset>(value: &D::Of<'_>, prefixes: &[Index]) -> Result<Vec<u8>, TestCaseError> {
    let len = D::buffer_len(value);
    let mut buffer = vec![0u8; len];
    prop_assert_eq!(D::emit(value, &mut buffer), Ok(len));
    if len > 0 {
        let mut short = vec![0u8; len - 1];
        prop_assert_eq!(
            D::emit(value, &mut short),
            Err(EncodeError::BufferTooSmall {
                needed: len,
                available: len - 1
            })
        );
    }
    match D::parse(&buffer) {
        Ok(parsed) => prop_assert!(D::same(&parsed, value), "{parsed:?} != {value:?}"),
        Err(err) => prop_assert!(false, "{err} parsing {value:?}"),
    }
    for index in prefixes {
        let prefix = buffer.get(..index.index(len)).unwrap_or_default();
        prop_assert!(
            D::parse(prefix).is_err(),
            "prefix of {} parsed",
            prefix.len()
        );
    }
    Ok(buffer)
}

/// Parses `bytes`; if that succeeds, the value emits and parses back equal.
fn never_panics<D: Dataset>(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(parsed) = D::parse(bytes) {
        let len = D::buffer_len(&parsed);
        let mut buffer = vec![0u8; len];
        prop_assert_eq!(D::emit(&parsed, &mut buffer), Ok(len));
        match D::parse(&buffer) {
            Ok(again) => prop_assert!(D::same(&again, &parsed), "{again:?} != {parsed:?}"),
            Err(err) => prop_assert!(false, "{err} re-parsing {parsed:?}"),
        }
    }
    Ok(())
}

fn all_parsers(bytes: &[u8]) -> Result<(), TestCaseError> {
    never_panics::<DeviceInfoSet>(bytes)?;
    never_panics::<StorageInfoSet>(bytes)?;
    never_panics::<ObjectInfoSet>(bytes)?;
    never_panics::<DevicePropDescSet>(bytes)?;
    never_panics::<ObjectPropDescSet>(bytes)?;
    never_panics::<ObjectPropListSet>(bytes)?;
    never_panics::<StreamInfoSet>(bytes)?;
    never_panics::<ExtendedEventDataSet>(bytes)?;
    never_panics::<DeviceStatusSet>(bytes)?;
    never_panics::<CancelRequestSet>(bytes)?;
    Ok(())
}

/// A valid encoding with some bytes overwritten, then maybe cut short.
fn mutate(mut bytes: Vec<u8>, edits: &[(Index, u8)], cut: Option<Index>) -> Vec<u8> {
    if !bytes.is_empty() {
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            if let Some(slot) = bytes.get_mut(at) {
                *slot = *byte;
            }
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len() + 1));
    }
    bytes
}

fn prefixes() -> impl Strategy<Value = Vec<Index>> {
    vec(any::<Index>(), 4)
}

fn edits() -> impl Strategy<Value = (Vec<(Index, u8)>, Option<Index>)> {
    (
        vec((any::<Index>(), any::<u8>()), 1..4),
        any::<Option<Index>>(),
    )
}

/// What a DeviceInfo scan keeps: the vendor id, the three identity strings
/// (cut to whole characters within their byte budgets) and the code set.
type Identity = (u32, String, String, String, CodeSet);

/// The characters of `text` that fit `budget` bytes of UTF-8, stopping at
/// the first that does not.
fn cut(text: &PtpString<'_>, budget: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if out.len() + c.len_utf8() > budget {
            break;
        }
        out.push(c);
    }
    out
}

/// `DeviceInfo::parse` of the whole data, reduced to what a scan keeps.
fn parsed_identity(bytes: &[u8]) -> Result<Identity, DecodeError> {
    let info = DeviceInfo::parse(bytes)?;
    Ok((
        info.vendor_extension_id,
        cut(&info.vendor_extension_desc, IDENTITY_DESC_BYTES),
        cut(&info.manufacturer, IDENTITY_NAME_BYTES),
        cut(&info.model, IDENTITY_NAME_BYTES),
        info.code_set(),
    ))
}

/// A [`DeviceInfoScanner`] fed `bytes` split at `cuts`, reduced the same way.
fn scanned_identity(bytes: &[u8], cuts: &[Index]) -> Result<Identity, DecodeError> {
    let mut at: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut scanner = DeviceInfoScanner::new([]);
    let mut start = 0;
    for end in at.into_iter().chain([bytes.len()]) {
        scanner.push(bytes.get(start..end).unwrap_or_default());
        start = end;
    }
    let summary = scanner.finish()?;
    Ok((
        summary.vendor_extension_id(),
        summary.vendor_extension_desc().to_string(),
        summary.manufacturer().to_string(),
        summary.model().to_string(),
        summary.code_set(),
    ))
}

// ---------------------------------------------------------------------------
// Strategies for each dataset's owned fields.
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct OwnedDeviceInfo {
    numbers: (u16, u32, u16, u16),
    arrays: [Vec<u16>; 5],
    strings: [String; 5],
}

impl OwnedDeviceInfo {
    fn borrow(&self) -> DeviceInfo<'_> {
        let [ops, events, props, capture, playback] = &self.arrays;
        let [desc, manufacturer, model, version, serial] = &self.strings;
        DeviceInfo {
            standard_version: self.numbers.0,
            vendor_extension_id: self.numbers.1,
            vendor_extension_version: self.numbers.2,
            vendor_extension_desc: PtpString::Str(desc),
            functional_mode: self.numbers.3,
            operations_supported: Array::Slice(ops),
            events_supported: Array::Slice(events),
            device_properties_supported: Array::Slice(props),
            capture_formats: Array::Slice(capture),
            playback_formats: Array::Slice(playback),
            manufacturer: PtpString::Str(manufacturer),
            model: PtpString::Str(model),
            device_version: PtpString::Str(version),
            serial_number: PtpString::Str(serial),
        }
    }
}

fn device_info() -> impl Strategy<Value = OwnedDeviceInfo> {
    let codes = || vec(any::<u16>(), 0..40);
    (
        any::<(u16, u32, u16, u16)>(),
        [codes(), codes(), codes(), codes(), codes()],
        [ptp_text(), ptp_text(), ptp_text(), ptp_text(), ptp_text()],
    )
        .prop_map(|(numbers, arrays, strings)| OwnedDeviceInfo {
            numbers,
            arrays,
            strings,
        })
}

#[derive(Clone, Debug)]
struct OwnedObjectInfo {
    ids: (u32, u16, u16, u32, u16, u32),
    sizes: (u32, u32, u32, u32, u32, u32),
    association: (u16, u32, u32),
    strings: [String; 4],
}

impl OwnedObjectInfo {
    fn borrow(&self) -> ObjectInfo<'_> {
        let [filename, captured, modified, keywords] = &self.strings;
        ObjectInfo {
            storage_id: self.ids.0,
            object_format: self.ids.1,
            protection_status: self.ids.2,
            object_compressed_size: self.ids.3,
            thumb_format: self.ids.4,
            thumb_compressed_size: self.ids.5,
            thumb_pix_width: self.sizes.0,
            thumb_pix_height: self.sizes.1,
            image_pix_width: self.sizes.2,
            image_pix_height: self.sizes.3,
            image_bit_depth: self.sizes.4,
            parent_object: self.sizes.5,
            association_type: self.association.0,
            association_desc: self.association.1,
            sequence_number: self.association.2,
            filename: PtpString::Str(filename),
            capture_date: PtpString::Str(captured),
            modification_date: PtpString::Str(modified),
            keywords: PtpString::Str(keywords),
        }
    }
}

fn object_info() -> impl Strategy<Value = OwnedObjectInfo> {
    (
        any::<(u32, u16, u16, u32, u16, u32)>(),
        any::<(u32, u32, u32, u32, u32, u32)>(),
        any::<(u16, u32, u32)>(),
        [ptp_text(), ptp_text(), ptp_text(), ptp_text()],
    )
        .prop_map(|(ids, sizes, association, strings)| OwnedObjectInfo {
            ids,
            sizes,
            association,
            strings,
        })
}

#[derive(Clone, Debug)]
struct OwnedPropDesc {
    code: u16,
    data_type: DataType,
    get_set: u8,
    first: OwnedValue,
    second: OwnedValue,
    group: u32,
    form: OwnedForm,
}

fn prop_desc(mtp: bool) -> impl Strategy<Value = OwnedPropDesc> {
    data_type().prop_flat_map(move |data_type| {
        let form = if mtp {
            object_form_of(data_type)
        } else {
            form_of(data_type)
        };
        (
            any::<u16>(),
            any::<u8>(),
            value_of(data_type),
            value_of(data_type),
            any::<u32>(),
            form,
        )
            .prop_map(
                move |(code, get_set, first, second, group, form)| OwnedPropDesc {
                    code,
                    data_type,
                    get_set,
                    first,
                    second,
                    group,
                    form,
                },
            )
    })
}

fn prop_list() -> impl Strategy<Value = Vec<(u32, u16, OwnedValue)>> {
    vec((any::<u32>(), any::<u16>(), any_value()), 0..8)
}

fn stream_info() -> impl Strategy<Value = StreamInfo> {
    any::<(u64, u64, u32, u32, u32, u32, u32)>().prop_map(|f| StreamInfo {
        dataset_size: f.0,
        time_resolution: f.1,
        frame_header_size: f.2,
        frame_max_size: f.3,
        packet_header_size: f.4,
        packet_max_size: f.5,
        packet_alignment: f.6,
    })
}

// ---------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn device_info_round_trips(owned in device_info(), cuts in prefixes(), (e, c) in edits()) {
        let info = owned.borrow();
        let bytes = round_trip::<DeviceInfoSet>(&info, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    /// The streaming scan of an emitted DeviceInfo, split anywhere, keeps
    /// what the full parse gives; with bytes overwritten or cut, it gives
    /// the parser's answer, error included.
    #[test]
    fn device_info_scan_equals_the_parse(
        owned in device_info(),
        vendor in prop_oneof![Just(0x0B_u32), Just(6), Just(0x11), any::<u32>()],
        cuts in vec(any::<Index>(), 0..6),
        (e, c) in edits(),
    ) {
        let info = DeviceInfo { vendor_extension_id: vendor, ..owned.borrow() };
        let mut bytes = vec![0u8; info.buffer_len()];
        prop_assert_eq!(info.emit(&mut bytes), Ok(bytes.len()));
        let whole = scanned_identity(&bytes, &cuts);
        prop_assert!(whole.is_ok(), "{:?}", whole);
        prop_assert_eq!(&whole, &parsed_identity(&bytes));
        let mutated = mutate(bytes, &e, c);
        prop_assert_eq!(scanned_identity(&mutated, &cuts), parsed_identity(&mutated));
    }

    #[test]
    fn storage_info_round_trips(
        numbers in any::<(u16, u16, u16, u64, u64, u32)>(),
        description in ptp_text(),
        label in ptp_text(),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let info = StorageInfo {
            storage_type: numbers.0,
            filesystem_type: numbers.1,
            access_capability: numbers.2,
            max_capacity: numbers.3,
            free_space_in_bytes: numbers.4,
            free_space_in_images: numbers.5,
            storage_description: PtpString::Str(&description),
            volume_label: PtpString::Str(&label),
        };
        let bytes = round_trip::<StorageInfoSet>(&info, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn object_info_round_trips(owned in object_info(), cuts in prefixes(), (e, c) in edits()) {
        let info = owned.borrow();
        let bytes = round_trip::<ObjectInfoSet>(&info, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn device_prop_desc_round_trips(
        owned in prop_desc(false),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let values = form_values(&owned.form);
        let desc = DevicePropDesc {
            property_code: owned.code,
            data_type: owned.data_type,
            get_set: owned.get_set,
            factory_default: owned.first.value(),
            current: owned.second.value(),
            form: ptp_form(&owned.form, &values),
        };
        let bytes = round_trip::<DevicePropDescSet>(&desc, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn object_prop_desc_round_trips(
        owned in prop_desc(true),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let values = form_values(&owned.form);
        let desc = ObjectPropDesc {
            property_code: owned.code,
            data_type: owned.data_type,
            get_set: owned.get_set,
            default_value: owned.first.value(),
            group_code: owned.group,
            form: object_form(&owned.form, &values),
        };
        let bytes = round_trip::<ObjectPropDescSet>(&desc, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn object_prop_list_round_trips(
        owned in prop_list(),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let elements: Vec<ObjectPropElement<'_>> = owned
            .iter()
            .map(|(object_handle, property_code, value)| ObjectPropElement {
                object_handle: *object_handle,
                property_code: *property_code,
                value: value.value(),
            })
            .collect();
        let list = ObjectPropList::from(&elements[..]);
        let bytes = round_trip::<ObjectPropListSet>(&list, &cuts)?;
        let parsed = ObjectPropList::parse(&bytes).unwrap();
        prop_assert_eq!(parsed.len(), elements.len());
        prop_assert!(parsed.iter().eq(elements.iter().copied()));
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn stream_info_round_trips(info in stream_info(), cuts in prefixes(), (e, c) in edits()) {
        let bytes = round_trip::<StreamInfoSet>(&info, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn extended_event_data_round_trips(
        code in any::<u16>(),
        transaction_id in any::<u32>(),
        params in vec(vec(any::<u8>(), 0..24), 0..8),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let slices: Vec<&[u8]> = params.iter().map(Vec::as_slice).collect();
        let data = ExtendedEventData {
            event_code: code,
            transaction_id,
            params: EventParams::Slice(&slices),
        };
        let bytes = round_trip::<ExtendedEventDataSet>(&data, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn device_status_round_trips(
        code in any::<u16>(),
        params in vec(any::<u32>(), 0..16),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let status = DeviceStatus { code, params: Array::Slice(&params) };
        let bytes = round_trip::<DeviceStatusSet>(&status, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn cancel_request_round_trips(
        transaction_id in any::<u32>(),
        cuts in prefixes(),
        (e, c) in edits(),
    ) {
        let cancel = CancelRequest { transaction_id };
        let bytes = round_trip::<CancelRequestSet>(&cancel, &cuts)?;
        all_parsers(&mutate(bytes, &e, c))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..600)) {
        all_parsers(&bytes)?;
        prop_assert_eq!(scanned_identity(&bytes, &[]), parsed_identity(&bytes));
    }

    /// Arbitrary bytes behind a plausible head: a small count or a known data
    /// type, so the parsers get past their first field more often.
    #[test]
    fn arbitrary_bytes_after_plausible_heads_never_panic(
        data_type in data_type(),
        small in 0u8..4,
        form_flag in prop_oneof![0u8..=6, Just(0xFF)],
        tail in vec(any::<u8>(), 0..200),
    ) {
        let code = data_type.code().to_le_bytes();
        // DevicePropDesc / ObjectPropDesc: code, type, get/set, then the tail.
        let mut desc = vec![0x01, 0x50, code[0], code[1], 1];
        desc.extend_from_slice(&tail);
        all_parsers(&desc)?;
        // The same with a form flag right after one-byte values.
        let mut small_desc = vec![0x01, 0x50, 0x02, 0x00, 1, 7, 9, form_flag];
        small_desc.extend_from_slice(&tail);
        all_parsers(&small_desc)?;
        // ObjectPropList / ExtendedEventData / DeviceStatus with small counts.
        let mut list = vec![small, 0, 0, 0, 1, 0, 0, 0, 0x07, 0xDC, code[0], code[1]];
        list.extend_from_slice(&tail);
        all_parsers(&list)?;
        let mut status = vec![4 + 4 * small, 0, 0x01, 0x20];
        status.extend_from_slice(&tail);
        all_parsers(&status)?;
    }

    /// A string whose count byte says 255 (the most) over units that may or
    /// may not end in a terminator.
    #[test]
    fn longest_strings_never_panic(units in vec(any::<u16>(), 255), terminated in any::<bool>()) {
        let mut storage = vec![0u8; 26];
        storage.push(255);
        for (index, unit) in units.iter().enumerate() {
            let unit = if terminated && index == 254 { 0 } else { *unit | 1 };
            storage.extend_from_slice(&unit.to_le_bytes());
        }
        storage.push(0);
        let parsed = StorageInfo::parse(&storage);
        prop_assert_eq!(parsed.is_ok(), terminated);
        all_parsers(&storage)?;
    }
}
