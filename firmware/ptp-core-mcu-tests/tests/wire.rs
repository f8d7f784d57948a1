//! The wire primitives on the MCU: `Reader`/`Writer` at every misalignment,
//! strings, arrays, a value of every data type, date-times and errors.
#![no_std]
#![no_main]

use ptp_core_mcu_tests as _;

#[defmt_test::tests]
mod tests {
    use ptp_core::wire::{Array, DateTime, PtpString, Reader, UtcOffset, Value, Writer};
    use ptp_core::{DataType, DecodeErrorKind, EncodeError};
    use ptp_core_mcu_tests::{Aligned, place, window};

    /// Bytes 0x01..=0x1F: one u8, u16, u32, u64 and u128 back to back (31 bytes).
    const COUNTING: [u8; 31] = {
        let mut bytes = [0u8; 31];
        let mut index = 0;
        while index < 31 {
            bytes[index] = index as u8 + 1;
            index += 1;
        }
        bytes
    };

    /// `COUNTING` read as little-endian integers of growing width.
    const U8: u8 = 0x01;
    const U16: u16 = 0x0302;
    const U32: u32 = 0x0706_0504;
    const U64: u64 = 0x0F0E_0D0C_0B0A_0908;
    const U128: u128 = 0x1F1E_1D1C_1B1A_1918_1716_1514_1312_1110;

    #[test]
    fn reads_integers_at_every_misalignment() {
        let mut buffer = Aligned::<48>::new();
        for offset in 0..16 {
            let bytes = place(&mut buffer, offset, &COUNTING);
            let mut reader = Reader::new(bytes);
            defmt::assert_eq!(reader.u8("u8").unwrap(), U8);
            // u16 at offset+1, u32 at offset+3, u64 at offset+7, u128 at offset+15:
            // for most offsets none of them is naturally aligned.
            defmt::assert_eq!(reader.u16("u16").unwrap(), U16);
            defmt::assert_eq!(reader.u32("u32").unwrap(), U32);
            defmt::assert_eq!(reader.u64("u64").unwrap(), U64);
            defmt::assert_eq!(reader.u128("u128").unwrap(), U128);
            defmt::assert_eq!(reader.position(), 31);
            defmt::assert!(reader.is_empty());
        }
    }

    #[test]
    fn signed_values_at_odd_offsets() {
        let mut buffer = Aligned::<48>::new();
        let bytes = place(
            &mut buffer,
            1,
            &[0xFE, 0xFF, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF],
        );
        let mut reader = Reader::new(bytes);
        defmt::assert_eq!(
            reader.value("i16", DataType::Int16).unwrap(),
            Value::Int16(-2)
        );
        defmt::assert_eq!(
            reader.value("i16", DataType::Int16).unwrap(),
            Value::Int16(i16::MIN)
        );
        defmt::assert_eq!(
            reader.value("i32", DataType::Int32).unwrap(),
            Value::Int32(-1)
        );
        defmt::assert!(reader.is_empty());
    }

    #[test]
    fn writes_integers_at_every_misalignment() {
        let mut buffer = Aligned::<48>::new();
        for offset in 0..16 {
            let target = window(&mut buffer, offset, COUNTING.len());
            let mut writer = Writer::new(target);
            writer.u8(U8).unwrap();
            writer.u16(U16).unwrap();
            writer.u32(U32).unwrap();
            writer.u64(U64).unwrap();
            writer.u128(U128).unwrap();
            defmt::assert_eq!(writer.position(), COUNTING.len());
            defmt::assert_eq!(&buffer.0[offset..offset + COUNTING.len()], &COUNTING[..]);
        }
    }

    #[test]
    fn writer_never_writes_past_the_end() {
        let mut buffer = Aligned::<16>::new();
        buffer.0 = [0xAA; 16];
        let mut writer = Writer::new(&mut buffer.0[1..4]);
        writer.u16(0x1234).unwrap();
        defmt::assert_eq!(
            writer.u32(0xDEAD_BEEF),
            Err(EncodeError::BufferTooSmall {
                needed: 6,
                available: 3
            })
        );
        defmt::assert_eq!(buffer.0[..5], [0xAA, 0x34, 0x12, 0xAA, 0xAA]);
    }

    #[test]
    fn truncated_reads_name_the_field_and_offset() {
        let mut buffer = Aligned::<16>::new();
        let bytes = place(&mut buffer, 3, &[1, 2, 3, 4, 5]);
        let mut reader = Reader::new(bytes);
        defmt::assert_eq!(reader.u16("first").unwrap(), 0x0201);
        let err = reader.u32("StorageID").unwrap_err();
        defmt::assert_eq!(err.field, "StorageID");
        defmt::assert_eq!(err.offset, 2);
        defmt::assert_eq!(
            err.kind,
            DecodeErrorKind::Truncated {
                needed: 4,
                available: 3
            }
        );
        // A failed read consumes nothing.
        defmt::assert_eq!(reader.position(), 2);
    }

    #[test]
    fn strings_round_trip_at_odd_offsets() {
        for text in ["", "Canon EOS R6", "a\u{1F600}", "\u{00E9}t\u{00E9}"] {
            let mut encoded = Aligned::<64>::new();
            let mut writer = Writer::new(&mut encoded.0[..]);
            writer.str(text).unwrap();
            let len = writer.position();
            defmt::assert_eq!(len, PtpString::Str(text).encoded_len());

            let mut buffer = Aligned::<80>::new();
            let bytes = place(&mut buffer, 5, &encoded.0[..len]);
            let mut reader = Reader::new(bytes);
            let parsed = reader.string("s").unwrap();
            defmt::assert!(reader.is_empty());
            defmt::assert!(parsed.eq_str(text));
            defmt::assert_eq!(parsed, PtpString::Str(text));
            defmt::assert_eq!(parsed.encoded_len(), len);
            let copy = parsed.to_heapless::<32>().unwrap();
            defmt::assert_eq!(copy.as_str(), text);
        }
    }

    #[test]
    fn string_wire_form_and_limits() {
        let mut buffer = Aligned::<16>::new();
        let mut writer = Writer::new(&mut buffer.0[1..8]);
        writer.str("Hi").unwrap();
        defmt::assert_eq!(buffer.0[1..8], [3, b'H', 0, b'i', 0, 0, 0]);

        // 254 UTF-16 units is the most a PTP string holds.
        let mut big = Aligned::<600>::new();
        let units = |count| core::iter::repeat_n(u16::from(b'x'), count);
        let mut writer = Writer::new(&mut big.0[..]);
        writer.string_units(units(254)).unwrap();
        defmt::assert_eq!(writer.position(), 1 + 2 * 255);
        defmt::assert_eq!(big.0[0], 255);
        let mut writer = Writer::new(&mut big.0[..]);
        defmt::assert_eq!(
            writer.string_units(units(255)),
            Err(EncodeError::StringTooLong { units: 255 })
        );

        // A lone surrogate decodes to U+FFFD instead of failing.
        let lone = place(&mut buffer, 3, &[2, 0x00, 0xD8, 0, 0]);
        let text = Reader::new(lone).string("s").unwrap();
        defmt::assert!(text.eq_str("\u{FFFD}"));

        let truncated = place(&mut buffer, 1, &[3, b'H', 0, b'i', 0]);
        let err = Reader::new(truncated).string("Model").unwrap_err();
        defmt::assert_eq!(err.field, "Model");
        defmt::assert_eq!(err.offset, 1);
    }

    #[test]
    fn arrays_iterate_misaligned_elements() {
        // Three u32 elements; at offset 1 the count and every element are misaligned.
        let wire = [
            3, 0, 0, 0, 1, 0, 0, 0x80, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
        ];
        let mut buffer = Aligned::<32>::new();
        for offset in [1, 2, 3, 5] {
            let bytes = place(&mut buffer, offset, &wire);
            let mut reader = Reader::new(bytes);
            let array: Array<'_, u32> = reader.array("a").unwrap();
            defmt::assert!(reader.is_empty());
            defmt::assert_eq!(array.len(), 3);
            defmt::assert_eq!(array.get(0), Some(0x8000_0001));
            defmt::assert_eq!(array.get(2), Some(u32::MAX));
            defmt::assert_eq!(array.get(3), None);
            defmt::assert!(array.contains(2));
            defmt::assert_eq!(array, Array::Slice(&[0x8000_0001, 2, u32::MAX]));
        }
    }

    #[test]
    fn array_count_larger_than_input_is_bad_length() {
        let mut buffer = Aligned::<16>::new();
        let bytes = place(&mut buffer, 3, &[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2]);
        let mut reader = Reader::new(bytes);
        defmt::assert_eq!(reader.u32("pad").unwrap(), 0);
        let err = reader.array::<u16>("ops").unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::BadLength(0x7FFF_FFFF));
        defmt::assert_eq!(err.offset, 4);
    }

    /// One value of every PTP data type, with extreme values and arrays.
    const VALUES: [Value<'static>; 21] = [
        Value::Int8(i8::MIN),
        Value::UInt8(u8::MAX),
        Value::Int16(-300),
        Value::UInt16(0xBEEF),
        Value::Int32(i32::MIN),
        Value::UInt32(0xDEAD_BEEF),
        Value::Int64(-5_000_000_000),
        Value::UInt64(u64::MAX - 1),
        Value::Int128(i128::MIN + 1),
        Value::UInt128(u128::MAX - 2),
        Value::ArrayInt8(Array::Slice(&[-1, 2, i8::MAX])),
        Value::ArrayUInt8(Array::Slice(&[1, 2, 3, 4, 5])),
        Value::ArrayInt16(Array::Slice(&[-1, i16::MIN])),
        Value::ArrayUInt16(Array::Slice(&[0x1001, 0x1002, 0x9116])),
        Value::ArrayInt32(Array::Slice(&[i32::MIN, 0, i32::MAX])),
        Value::ArrayUInt32(Array::Slice(&[])),
        Value::ArrayInt64(Array::Slice(&[-9, i64::MAX])),
        Value::ArrayUInt64(Array::Slice(&[9])),
        Value::ArrayInt128(Array::Slice(&[-1, 1])),
        Value::ArrayUInt128(Array::Slice(&[u128::MAX, 0x0102_0304])),
        Value::Str(PtpString::Str("Canon EOS R6")),
    ];

    #[test]
    fn every_data_type_round_trips_misaligned() {
        // Every type code that names a type is covered by VALUES.
        let codes = (0x0001u16..=0x000A).chain(0x4001..=0x400A).chain([0xFFFF]);
        let mut covered = 0;
        for code in codes {
            let data_type = DataType::from_code(code);
            defmt::assert_eq!(data_type.code(), code);
            defmt::assert!(
                VALUES.iter().any(|value| value.data_type() == data_type),
                "no test value of type {}",
                data_type
            );
            covered += 1;
        }
        defmt::assert_eq!(covered, VALUES.len());

        for (index, value) in VALUES.iter().enumerate() {
            let mut encoded = Aligned::<64>::new();
            let mut writer = Writer::new(&mut encoded.0[..]);
            value.write_as(value.data_type(), &mut writer).unwrap();
            let len = writer.position();
            defmt::assert_eq!(len, value.encoded_len(), "length of {}", value.data_type());

            let offset = 1 + index % 15;
            let mut buffer = Aligned::<96>::new();
            let bytes = place(&mut buffer, offset, &encoded.0[..len]);
            let mut reader = Reader::new(bytes);
            let parsed = reader.value("v", value.data_type()).unwrap();
            defmt::assert!(reader.is_empty());
            defmt::assert_eq!(
                parsed,
                *value,
                "{} at offset {=usize}",
                value.data_type(),
                offset
            );
            defmt::assert_eq!(parsed.as_i128(), value.as_i128());
        }
    }

    #[test]
    fn data_type_mismatch_and_unknown_types_are_errors() {
        let mut encoded = [0u8; 8];
        let mut writer = Writer::new(&mut encoded);
        defmt::assert_eq!(
            Value::UInt16(1).write_as(DataType::UInt32, &mut writer),
            Err(EncodeError::TypeMismatch)
        );
        defmt::assert_eq!(writer.position(), 0);

        let bytes = [0x77, 0x00, 0, 0];
        let err = Reader::new(&bytes).data_type("DataType").unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::UnknownDataType(0x0077));
        let err = Reader::new(&bytes)
            .value("v", DataType::Undefined)
            .unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::UnknownDataType(0));
        defmt::assert_eq!(Value::integer(DataType::UInt8, 256), None);
        defmt::assert_eq!(
            Value::integer(DataType::Int8, -128),
            Some(Value::Int8(-128))
        );
    }

    #[test]
    fn date_time_parses_from_wire_and_formats_back() {
        let forms = [
            ("20261121T134502", 2026, 11, 21, 13, 45, 2, None, None),
            (
                "20261121T134502.7-0130",
                2026,
                11,
                21,
                13,
                45,
                2,
                Some(7),
                Some(UtcOffset::Minutes(-90)),
            ),
            (
                "19990101T000000Z",
                1999,
                1,
                1,
                0,
                0,
                0,
                None,
                Some(UtcOffset::Utc),
            ),
            (
                "20000229T235960+1400",
                2000,
                2,
                29,
                23,
                59,
                60,
                None,
                Some(UtcOffset::Minutes(840)),
            ),
        ];
        for (text, year, month, day, hour, minute, second, tenths, offset) in forms {
            // As a device sends it: a PTP string, here at an odd address.
            let mut encoded = Aligned::<64>::new();
            let mut writer = Writer::new(&mut encoded.0[..]);
            writer.str(text).unwrap();
            let len = writer.position();
            let mut buffer = Aligned::<80>::new();
            let bytes = place(&mut buffer, 7, &encoded.0[..len]);
            let string = Reader::new(bytes).string("CaptureDate").unwrap();

            let parsed = DateTime::parse(&string).unwrap();
            defmt::assert_eq!(
                parsed,
                DateTime {
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    tenths,
                    offset
                }
            );
            let mut formatted = [0u8; 22];
            defmt::assert_eq!(parsed.format_into(&mut formatted), text);
        }
    }

    #[test]
    fn date_time_rejects_bad_forms() {
        for bad in [
            "",
            "2026",
            "20261121 134502",
            "20261321T134502",
            "20261121T246000",
            "20261121T134502.",
            "20261121T134502+01",
            "20261121T134502X",
            "2026112xT134502",
            "20261121T134502.7-0130 trailing",
        ] {
            defmt::assert_eq!(DateTime::parse(&PtpString::Str(bad)), None, "{=str}", bad);
        }
    }
}
