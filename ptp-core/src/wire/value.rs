//! PTP data types (INT8 ... UINT128, their arrays, STR) and typed values.

use super::{Array, PtpString, Reader, Writer};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use core::fmt;

/// A PTP data type code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DataType {
    /// 0x0000: undefined.
    Undefined,
    /// 0x0001
    Int8,
    /// 0x0002
    UInt8,
    /// 0x0003
    Int16,
    /// 0x0004
    UInt16,
    /// 0x0005
    Int32,
    /// 0x0006
    UInt32,
    /// 0x0007
    Int64,
    /// 0x0008
    UInt64,
    /// 0x0009
    Int128,
    /// 0x000A
    UInt128,
    /// 0x4001
    ArrayInt8,
    /// 0x4002
    ArrayUInt8,
    /// 0x4003
    ArrayInt16,
    /// 0x4004
    ArrayUInt16,
    /// 0x4005
    ArrayInt32,
    /// 0x4006
    ArrayUInt32,
    /// 0x4007
    ArrayInt64,
    /// 0x4008
    ArrayUInt64,
    /// 0x4009
    ArrayInt128,
    /// 0x400A
    ArrayUInt128,
    /// 0xFFFF: a PTP string.
    Str,
    /// Any other code.
    Unknown(u16),
}

impl DataType {
    /// The type for a wire code.
    pub const fn from_code(code: u16) -> Self {
        match code {
            0x0000 => DataType::Undefined,
            0x0001 => DataType::Int8,
            0x0002 => DataType::UInt8,
            0x0003 => DataType::Int16,
            0x0004 => DataType::UInt16,
            0x0005 => DataType::Int32,
            0x0006 => DataType::UInt32,
            0x0007 => DataType::Int64,
            0x0008 => DataType::UInt64,
            0x0009 => DataType::Int128,
            0x000A => DataType::UInt128,
            0x4001 => DataType::ArrayInt8,
            0x4002 => DataType::ArrayUInt8,
            0x4003 => DataType::ArrayInt16,
            0x4004 => DataType::ArrayUInt16,
            0x4005 => DataType::ArrayInt32,
            0x4006 => DataType::ArrayUInt32,
            0x4007 => DataType::ArrayInt64,
            0x4008 => DataType::ArrayUInt64,
            0x4009 => DataType::ArrayInt128,
            0x400A => DataType::ArrayUInt128,
            0xFFFF => DataType::Str,
            code => DataType::Unknown(code),
        }
    }

    /// The wire code.
    pub const fn code(self) -> u16 {
        match self {
            DataType::Undefined => 0x0000,
            DataType::Int8 => 0x0001,
            DataType::UInt8 => 0x0002,
            DataType::Int16 => 0x0003,
            DataType::UInt16 => 0x0004,
            DataType::Int32 => 0x0005,
            DataType::UInt32 => 0x0006,
            DataType::Int64 => 0x0007,
            DataType::UInt64 => 0x0008,
            DataType::Int128 => 0x0009,
            DataType::UInt128 => 0x000A,
            DataType::ArrayInt8 => 0x4001,
            DataType::ArrayUInt8 => 0x4002,
            DataType::ArrayInt16 => 0x4003,
            DataType::ArrayUInt16 => 0x4004,
            DataType::ArrayInt32 => 0x4005,
            DataType::ArrayUInt32 => 0x4006,
            DataType::ArrayInt64 => 0x4007,
            DataType::ArrayUInt64 => 0x4008,
            DataType::ArrayInt128 => 0x4009,
            DataType::ArrayUInt128 => 0x400A,
            DataType::Str => 0xFFFF,
            DataType::Unknown(code) => code,
        }
    }

    /// The spec name (`UINT16`, `AUINT8`, `STR`).
    pub const fn name(self) -> &'static str {
        match self {
            DataType::Undefined => "UNDEF",
            DataType::Int8 => "INT8",
            DataType::UInt8 => "UINT8",
            DataType::Int16 => "INT16",
            DataType::UInt16 => "UINT16",
            DataType::Int32 => "INT32",
            DataType::UInt32 => "UINT32",
            DataType::Int64 => "INT64",
            DataType::UInt64 => "UINT64",
            DataType::Int128 => "INT128",
            DataType::UInt128 => "UINT128",
            DataType::ArrayInt8 => "AINT8",
            DataType::ArrayUInt8 => "AUINT8",
            DataType::ArrayInt16 => "AINT16",
            DataType::ArrayUInt16 => "AUINT16",
            DataType::ArrayInt32 => "AINT32",
            DataType::ArrayUInt32 => "AUINT32",
            DataType::ArrayInt64 => "AINT64",
            DataType::ArrayUInt64 => "AUINT64",
            DataType::ArrayInt128 => "AINT128",
            DataType::ArrayUInt128 => "AUINT128",
            DataType::Str => "STR",
            DataType::Unknown(_) => "UNKNOWN",
        }
    }

    /// Whether values of this type are integers (not arrays or strings).
    pub const fn is_integer(self) -> bool {
        matches!(self.code(), 0x0001..=0x000A)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::Unknown(code) => write!(f, "0x{code:04X}"),
            other => f.write_str(other.name()),
        }
    }
}

/// A value of any PTP data type, borrowing arrays and strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Value<'a> {
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
    ArrayInt8(Array<'a, i8>),
    ArrayUInt8(Array<'a, u8>),
    ArrayInt16(Array<'a, i16>),
    ArrayUInt16(Array<'a, u16>),
    ArrayInt32(Array<'a, i32>),
    ArrayUInt32(Array<'a, u32>),
    ArrayInt64(Array<'a, i64>),
    ArrayUInt64(Array<'a, u64>),
    ArrayInt128(Array<'a, i128>),
    ArrayUInt128(Array<'a, u128>),
    Str(PtpString<'a>),
}

impl<'a> Value<'a> {
    /// Reads a value of `data_type`. `Undefined` and unknown types are errors.
    pub fn read(
        reader: &mut Reader<'a>,
        field: &'static str,
        data_type: DataType,
    ) -> Result<Self, DecodeError> {
        let r = reader;
        Ok(match data_type {
            DataType::Int8 => Value::Int8(i8::from_le_bytes(r.array_bytes(field)?)),
            DataType::UInt8 => Value::UInt8(r.u8(field)?),
            DataType::Int16 => Value::Int16(i16::from_le_bytes(r.array_bytes(field)?)),
            DataType::UInt16 => Value::UInt16(r.u16(field)?),
            DataType::Int32 => Value::Int32(i32::from_le_bytes(r.array_bytes(field)?)),
            DataType::UInt32 => Value::UInt32(r.u32(field)?),
            DataType::Int64 => Value::Int64(i64::from_le_bytes(r.array_bytes(field)?)),
            DataType::UInt64 => Value::UInt64(r.u64(field)?),
            DataType::Int128 => Value::Int128(i128::from_le_bytes(r.array_bytes(field)?)),
            DataType::UInt128 => Value::UInt128(r.u128(field)?),
            DataType::ArrayInt8 => Value::ArrayInt8(r.array(field)?),
            DataType::ArrayUInt8 => Value::ArrayUInt8(r.array(field)?),
            DataType::ArrayInt16 => Value::ArrayInt16(r.array(field)?),
            DataType::ArrayUInt16 => Value::ArrayUInt16(r.array(field)?),
            DataType::ArrayInt32 => Value::ArrayInt32(r.array(field)?),
            DataType::ArrayUInt32 => Value::ArrayUInt32(r.array(field)?),
            DataType::ArrayInt64 => Value::ArrayInt64(r.array(field)?),
            DataType::ArrayUInt64 => Value::ArrayUInt64(r.array(field)?),
            DataType::ArrayInt128 => Value::ArrayInt128(r.array(field)?),
            DataType::ArrayUInt128 => Value::ArrayUInt128(r.array(field)?),
            DataType::Str => Value::Str(r.string(field)?),
            DataType::Undefined | DataType::Unknown(_) => {
                return Err(r.error(field, DecodeErrorKind::UnknownDataType(data_type.code())));
            }
        })
    }

    /// The data type of this value.
    pub const fn data_type(&self) -> DataType {
        match self {
            Value::Int8(_) => DataType::Int8,
            Value::UInt8(_) => DataType::UInt8,
            Value::Int16(_) => DataType::Int16,
            Value::UInt16(_) => DataType::UInt16,
            Value::Int32(_) => DataType::Int32,
            Value::UInt32(_) => DataType::UInt32,
            Value::Int64(_) => DataType::Int64,
            Value::UInt64(_) => DataType::UInt64,
            Value::Int128(_) => DataType::Int128,
            Value::UInt128(_) => DataType::UInt128,
            Value::ArrayInt8(_) => DataType::ArrayInt8,
            Value::ArrayUInt8(_) => DataType::ArrayUInt8,
            Value::ArrayInt16(_) => DataType::ArrayInt16,
            Value::ArrayUInt16(_) => DataType::ArrayUInt16,
            Value::ArrayInt32(_) => DataType::ArrayInt32,
            Value::ArrayUInt32(_) => DataType::ArrayUInt32,
            Value::ArrayInt64(_) => DataType::ArrayInt64,
            Value::ArrayUInt64(_) => DataType::ArrayUInt64,
            Value::ArrayInt128(_) => DataType::ArrayInt128,
            Value::ArrayUInt128(_) => DataType::ArrayUInt128,
            Value::Str(_) => DataType::Str,
        }
    }

    /// Bytes this value takes on the wire.
    pub fn encoded_len(&self) -> usize {
        match self {
            Value::Int8(_) | Value::UInt8(_) => 1,
            Value::Int16(_) | Value::UInt16(_) => 2,
            Value::Int32(_) | Value::UInt32(_) => 4,
            Value::Int64(_) | Value::UInt64(_) => 8,
            Value::Int128(_) | Value::UInt128(_) => 16,
            Value::ArrayInt8(a) => a.encoded_len(),
            Value::ArrayUInt8(a) => a.encoded_len(),
            Value::ArrayInt16(a) => a.encoded_len(),
            Value::ArrayUInt16(a) => a.encoded_len(),
            Value::ArrayInt32(a) => a.encoded_len(),
            Value::ArrayUInt32(a) => a.encoded_len(),
            Value::ArrayInt64(a) => a.encoded_len(),
            Value::ArrayUInt64(a) => a.encoded_len(),
            Value::ArrayInt128(a) => a.encoded_len(),
            Value::ArrayUInt128(a) => a.encoded_len(),
            Value::Str(s) => s.encoded_len(),
        }
    }

    /// Writes the value.
    pub fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match *self {
            Value::Int8(v) => w.bytes(&v.to_le_bytes()),
            Value::UInt8(v) => w.u8(v),
            Value::Int16(v) => w.bytes(&v.to_le_bytes()),
            Value::UInt16(v) => w.u16(v),
            Value::Int32(v) => w.bytes(&v.to_le_bytes()),
            Value::UInt32(v) => w.u32(v),
            Value::Int64(v) => w.bytes(&v.to_le_bytes()),
            Value::UInt64(v) => w.u64(v),
            Value::Int128(v) => w.bytes(&v.to_le_bytes()),
            Value::UInt128(v) => w.u128(v),
            Value::ArrayInt8(a) => a.write(w),
            Value::ArrayUInt8(a) => a.write(w),
            Value::ArrayInt16(a) => a.write(w),
            Value::ArrayUInt16(a) => a.write(w),
            Value::ArrayInt32(a) => a.write(w),
            Value::ArrayUInt32(a) => a.write(w),
            Value::ArrayInt64(a) => a.write(w),
            Value::ArrayUInt64(a) => a.write(w),
            Value::ArrayInt128(a) => a.write(w),
            Value::ArrayUInt128(a) => a.write(w),
            Value::Str(s) => w.string_units(s.units()),
        }
    }

    /// Writes the value, refusing one that is not of `data_type`.
    pub fn write_as(&self, data_type: DataType, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.data_type() != data_type {
            return Err(EncodeError::TypeMismatch);
        }
        self.write(w)
    }

    /// The value as a signed 128-bit integer, for integer types.
    pub const fn as_i128(&self) -> Option<i128> {
        Some(match *self {
            Value::Int8(v) => v as i128,
            Value::UInt8(v) => v as i128,
            Value::Int16(v) => v as i128,
            Value::UInt16(v) => v as i128,
            Value::Int32(v) => v as i128,
            Value::UInt32(v) => v as i128,
            Value::Int64(v) => v as i128,
            Value::UInt64(v) => v as i128,
            Value::Int128(v) => v,
            Value::UInt128(v) => {
                if v > i128::MAX as u128 {
                    return None;
                }
                v as i128
            }
            _ => return None,
        })
    }

    /// An integer value of `data_type` from `value`; `None` if it does not fit
    /// or the type is not an integer type.
    pub fn integer(data_type: DataType, value: i128) -> Option<Value<'static>> {
        Some(match data_type {
            DataType::Int8 => Value::Int8(value.try_into().ok()?),
            DataType::UInt8 => Value::UInt8(value.try_into().ok()?),
            DataType::Int16 => Value::Int16(value.try_into().ok()?),
            DataType::UInt16 => Value::UInt16(value.try_into().ok()?),
            DataType::Int32 => Value::Int32(value.try_into().ok()?),
            DataType::UInt32 => Value::UInt32(value.try_into().ok()?),
            DataType::Int64 => Value::Int64(value.try_into().ok()?),
            DataType::UInt64 => Value::UInt64(value.try_into().ok()?),
            DataType::Int128 => Value::Int128(value),
            DataType::UInt128 => Value::UInt128(value.try_into().ok()?),
            _ => return None,
        })
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T: super::Element + fmt::Display>(
            f: &mut fmt::Formatter<'_>,
            a: &Array<'_, T>,
        ) -> fmt::Result {
            f.write_str("[")?;
            for (index, element) in a.iter().enumerate() {
                if index > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{element}")?;
            }
            f.write_str("]")
        }
        match self {
            Value::Int8(v) => write!(f, "{v}"),
            Value::UInt8(v) => write!(f, "{v}"),
            Value::Int16(v) => write!(f, "{v}"),
            Value::UInt16(v) => write!(f, "{v}"),
            Value::Int32(v) => write!(f, "{v}"),
            Value::UInt32(v) => write!(f, "{v}"),
            Value::Int64(v) => write!(f, "{v}"),
            Value::UInt64(v) => write!(f, "{v}"),
            Value::Int128(v) => write!(f, "{v}"),
            Value::UInt128(v) => write!(f, "{v}"),
            Value::ArrayInt8(a) => list(f, a),
            Value::ArrayUInt8(a) => list(f, a),
            Value::ArrayInt16(a) => list(f, a),
            Value::ArrayUInt16(a) => list(f, a),
            Value::ArrayInt32(a) => list(f, a),
            Value::ArrayUInt32(a) => list(f, a),
            Value::ArrayInt64(a) => list(f, a),
            Value::ArrayUInt64(a) => list(f, a),
            Value::ArrayInt128(a) => list(f, a),
            Value::ArrayUInt128(a) => list(f, a),
            Value::Str(s) => write!(f, "{s:?}"),
        }
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Value<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Value::Str(s) => defmt::write!(f, "{}", s),
            other => match other.as_i128() {
                Some(v) => defmt::write!(f, "{=i128}", v),
                None => defmt::write!(f, "{}[{=usize}B]", other.data_type(), other.encoded_len()),
            },
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn data_type_codes_round_trip() {
        for code in (0u16..=0x0Au16)
            .chain(0x4001..=0x400A)
            .chain([0xFFFF, 0x1234])
        {
            assert_eq!(DataType::from_code(code).code(), code);
        }
        assert_eq!(DataType::from_code(0x4004), DataType::ArrayUInt16);
        assert_eq!(DataType::Int128.to_string(), "INT128");
    }

    #[test]
    fn every_type_round_trips() {
        let values = [
            Value::Int8(-2),
            Value::UInt8(200),
            Value::Int16(-300),
            Value::UInt16(60000),
            Value::Int32(-70000),
            Value::UInt32(4_000_000_000),
            Value::Int64(-5_000_000_000),
            Value::UInt64(u64::MAX),
            Value::Int128(i128::MIN),
            Value::UInt128(u128::MAX),
            Value::ArrayInt8(Array::Slice(&[-1, 2])),
            Value::ArrayUInt8(Array::Slice(&[1, 2, 3])),
            Value::ArrayInt16(Array::Slice(&[-1])),
            Value::ArrayUInt16(Array::Slice(&[0x1001, 0x1002])),
            Value::ArrayInt32(Array::Slice(&[i32::MIN])),
            Value::ArrayUInt32(Array::Slice(&[])),
            Value::ArrayInt64(Array::Slice(&[-9])),
            Value::ArrayUInt64(Array::Slice(&[9])),
            Value::ArrayInt128(Array::Slice(&[-1, 1])),
            Value::ArrayUInt128(Array::Slice(&[u128::MAX])),
            Value::Str(PtpString::Str("Canon EOS R6")),
        ];
        for value in values {
            let mut buffer = [0u8; 64];
            let mut writer = Writer::new(&mut buffer);
            value.write(&mut writer).unwrap();
            let written = writer.position();
            assert_eq!(written, value.encoded_len(), "{value:?}");
            let mut reader = Reader::new(&buffer[..written]);
            let parsed = Value::read(&mut reader, "v", value.data_type()).unwrap();
            assert!(reader.is_empty());
            assert_eq!(parsed, value);
        }
    }

    #[test]
    fn undefined_type_is_an_error() {
        let err = Value::read(&mut Reader::new(&[0; 4]), "v", DataType::Unknown(0x77)).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::UnknownDataType(0x77));
    }

    #[test]
    fn integer_conversion_checks_range() {
        assert_eq!(
            Value::integer(DataType::UInt8, 255),
            Some(Value::UInt8(255))
        );
        assert_eq!(Value::integer(DataType::UInt8, 256), None);
        assert_eq!(Value::integer(DataType::Str, 1), None);
        assert_eq!(Value::Int16(-5).as_i128(), Some(-5));
    }
}
