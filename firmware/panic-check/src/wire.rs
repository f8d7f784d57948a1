//! `ptp_core::wire`: the reader, the writer, strings, arrays, values and
//! date-times.

use crate::opaque::{any, bytes, halves, keep, out};
use ptp_core::wire::{Array, DataType, DateTime, PtpString, Reader, Value, Writer};

/// Every public entry point of `wire`.
pub fn exercise() {
    let mut reader = Reader::new(bytes());
    keep(reader.u8("a"));
    keep(reader.u16("b"));
    keep(reader.u32("c"));
    keep(reader.u64("d"));
    keep(reader.u128("e"));
    keep(reader.bytes("f", any(3)));
    keep(reader.array_bytes::<5>("g"));
    keep(reader.string("h"));
    keep(reader.array::<u16>("i"));
    keep(reader.array::<u128>("j"));
    keep(reader.data_type("k"));
    keep(reader.value("l", any(DataType::Str)));
    keep(Value::read(&mut reader, "m", any(DataType::UInt8)));
    keep((reader.position(), reader.rest(), reader.is_empty()));

    let mut storage = [0u8; 256];
    let mut writer = Writer::new(out(&mut storage));
    keep(writer.u8(any(1)));
    keep(writer.u16(any(1)));
    keep(writer.u32(any(1)));
    keep(writer.u64(any(1)));
    keep(writer.u128(any(1)));
    keep(writer.bytes(bytes()));
    keep(writer.str(any("text")));
    keep(writer.string_units(any(PtpString::from_wire(bytes())).units()));
    keep(writer.array(halves().iter().copied()));
    let value: Value<'_> = any(Value::UInt8(0));
    keep(value.write(&mut writer));
    keep(value.write_as(any(DataType::Int16), &mut writer));
    keep(writer.position());

    keep((
        value.encoded_len(),
        value.data_type(),
        value.as_i128(),
        Value::integer(any(DataType::Int64), any(-1)),
    ));
    let data_type = DataType::from_code(any(0x4002));
    keep((data_type.code(), data_type.name(), data_type.is_integer()));

    let text: PtpString<'_> = any(PtpString::from_wire(bytes()));
    keep((text.unit_count(), text.encoded_len(), text.is_empty()));
    keep(text.eq_str(any("IMG_0001.JPG")));
    keep(text.to_heapless::<16>());
    keep(text.chars().count());

    let array: Array<'_, u32> = any(Array::from_wire(bytes()));
    keep((array.len(), array.is_empty(), array.encoded_len()));
    keep((
        array.get(any(3)),
        array.contains(any(7)),
        array.iter().sum::<u32>(),
    ));
    let mut storage = [0u8; 64];
    keep(array.write(&mut Writer::new(out(&mut storage))));

    keep(DateTime::parse(&text));
    let date = DateTime::parse_ascii(bytes());
    keep(date);
    let date: DateTime = any(DateTime {
        year: 2024,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        tenths: None,
        offset: None,
    });
    keep(date.is_valid());
    let mut text = [0u8; 22];
    keep(date.format_into(&mut text).len());
}
