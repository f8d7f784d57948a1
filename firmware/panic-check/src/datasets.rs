//! Every dataset: parse, emit, buffer_len and the accessors of parsed
//! values, and emit of values built from slices.

use crate::opaque::{any, bytes, halves, keep, out};
use ptp_core::dataset::{
    CancelRequest, DeviceInfo, DeviceInfoScanner, DevicePropDesc, DeviceStatus, EosEvents,
    EosScanner, EventParams, ExtendedEventData, Form, ObjectInfo, ObjectPropDesc,
    ObjectPropElement, ObjectPropForm, ObjectPropList, StorageInfo, StreamInfo, Values,
};
use ptp_core::wire::{Array, DataType, Value};

/// Parses `bytes()` as each type and emits the result; then emits an
/// opaque value of each type.
macro_rules! parse_emit {
    ($storage:ident, $($t:ident),* $(,)?) => {$(
        if let Ok(parsed) = $t::parse(bytes()) {
            keep((parsed.buffer_len(), parsed.emit(out(&mut $storage))));
        }
    )*};
}

/// Every public entry point of `dataset`.
pub fn exercise() {
    let mut storage = [0u8; 512];
    parse_emit!(
        storage,
        DeviceInfo,
        StorageInfo,
        ObjectInfo,
        DevicePropDesc,
        ObjectPropDesc,
        ObjectPropList,
        StreamInfo,
        ExtendedEventData,
        DeviceStatus,
        CancelRequest,
    );

    let info: DeviceInfo<'_> = any(DeviceInfo {
        operations_supported: Array::Slice(halves()),
        ..DeviceInfo::default()
    });
    keep(info.emit(out(&mut storage)));
    keep(info.supports_operation(any(0x1001)));
    keep(info.code_set());

    let object: ObjectInfo<'_> = any(ObjectInfo::default());
    keep(object.emit(out(&mut storage)));
    keep((object.capture_date(), object.modification_date()));
    keep((object.compressed_size(), object.is_association()));

    let storage_info: StorageInfo<'_> = any(StorageInfo::default());
    keep(storage_info.emit(out(&mut storage)));
    let stream: StreamInfo = any(StreamInfo::default());
    keep(stream.emit(out(&mut storage)));
    let cancel: CancelRequest = any(CancelRequest { transaction_id: 1 });
    keep(cancel.emit(out(&mut storage)));

    let values = [Value::UInt16(1), Value::UInt16(2)];
    let form: Form<'_> = any(Form::Enumeration(Values::Slice(&values)));
    let desc: DevicePropDesc<'_> = any(DevicePropDesc {
        property_code: 0x5001,
        data_type: DataType::UInt16,
        get_set: DevicePropDesc::GET_SET,
        factory_default: Value::UInt16(1),
        current: Value::UInt16(2),
        form,
    });
    keep((desc.emit(out(&mut storage)), desc.is_settable()));
    keep((
        form.allows(&any(Value::UInt16(2))),
        form.flag(),
        form.encoded_len(),
    ));
    let parsed_values: Values<'_> = any(Values::Wire {
        bytes: bytes(),
        count: 9,
        data_type: DataType::Str,
    });
    keep((
        parsed_values.len(),
        parsed_values.contains(&any(Value::UInt8(0))),
    ));
    keep(parsed_values.iter().count());

    let object_form: ObjectPropForm<'_> = any(ObjectPropForm::RegularExpression("[a-z]".into()));
    let object_desc: ObjectPropDesc<'_> = any(ObjectPropDesc {
        property_code: 0xDC07,
        data_type: DataType::Str,
        get_set: ObjectPropDesc::GET,
        default_value: Value::Str("".into()),
        group_code: 0,
        form: object_form,
    });
    keep((
        object_desc.emit(out(&mut storage)),
        object_desc.is_settable(),
    ));
    keep((
        object_form.as_form(),
        object_form.flag(),
        object_form.encoded_len(),
    ));

    let elements = [ObjectPropElement {
        object_handle: 1,
        property_code: 0xDC07,
        value: Value::ArrayUInt8(Array::from_wire(bytes())),
    }];
    let list: ObjectPropList<'_> = any(ObjectPropList::from(&elements[..]));
    keep((list.emit(out(&mut storage)), list.len(), list.is_empty()));
    keep((list.get(any(1), any(0xDC07)), list.iter().count()));
    let element: ObjectPropElement<'_> = any(elements[0]);
    keep((element.data_type(), element.encoded_len()));

    let params: [&[u8]; 2] = [bytes(), &[1, 2, 3, 4]];
    let event: ExtendedEventData<'_> = any(ExtendedEventData {
        event_code: 0x4002,
        transaction_id: 1,
        params: EventParams::from(&params[..]),
    });
    keep((event.emit(out(&mut storage)), event.param_u32(any(1))));
    let event_params: EventParams<'_> = any(EventParams::Wire {
        bytes: bytes(),
        count: 3,
    });
    keep((
        event_params.get(any(2)),
        event_params.encoded_len(),
        event_params.iter().count(),
    ));

    if let Ok(events) = EosEvents::parse(bytes()) {
        for record in events.iter() {
            keep((record.kind, record.u32_at(any(1))));
        }
    }
    let mut scanner: EosScanner = any(EosScanner::new());
    keep(scanner.push(bytes(), |start| keep(start)));
    keep(scanner.ended());

    let mut scanner: DeviceInfoScanner<2> = any(DeviceInfoScanner::new([any(1), any(2)]));
    scanner.push(bytes());
    scanner.push(bytes());
    keep(scanner.is_complete());
    if let Ok(summary) = scanner.finish() {
        keep((
            summary.vendor_extension_id(),
            summary.vendor_extension_desc(),
            summary.manufacturer(),
            summary.model(),
            summary.supports(any(3)),
            summary.code_set(),
        ));
    }

    let status: DeviceStatus<'_> = any(DeviceStatus {
        code: DeviceStatus::OK,
        params: Array::from_wire(bytes()),
    });
    keep(status.emit(out(&mut storage)));
}
