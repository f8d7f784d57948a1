//! Property values typed by the user: text parsed into a [`Value`] of the
//! property's data type (integers in decimal or 0x hex, arrays as comma
//! separated lists, strings as they are).

use crate::error::{Error, Result};
use ptp_core::wire::{Array, DataType, PtpString, Value};

/// A value parsed from text, owning what it borrows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextValue {
    /// An integer of any integer type.
    Integer(Value<'static>),
    /// A string.
    Str(String),
    /// An array, one `Vec` per element type.
    Array(Elements),
}

/// The elements of an array value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Elements {
    Int8(Vec<i8>),
    UInt8(Vec<u8>),
    Int16(Vec<i16>),
    UInt16(Vec<u16>),
    Int32(Vec<i32>),
    UInt32(Vec<u32>),
    Int64(Vec<i64>),
    UInt64(Vec<u64>),
    Int128(Vec<i128>),
    UInt128(Vec<u128>),
}

/// Parses an integer: decimal, `0x` hex, optionally negative.
pub fn parse_integer(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i128>().ok()?,
    };
    Some(if negative { -value } else { value })
}

fn elements<T: TryFrom<i128>>(text: &str, data_type: DataType) -> Result<Vec<T>> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|item| !item.is_empty())
        .map(|item| {
            parse_integer(item)
                .and_then(|value| T::try_from(value).ok())
                .ok_or_else(|| {
                    Error::Invalid(format!("`{item}` is not an element of type {data_type}"))
                })
        })
        .collect()
}

impl TextValue {
    /// Parses `text` as a value of `data_type`.
    pub fn parse(data_type: DataType, text: &str) -> Result<TextValue> {
        if data_type.is_integer() {
            let value = parse_integer(text)
                .and_then(|value| Value::integer(data_type, value))
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "`{text}` is not a {data_type} value (decimal or 0x hex, in range)"
                    ))
                })?;
            return Ok(TextValue::Integer(value));
        }
        let array = |elements| Ok(TextValue::Array(elements));
        match data_type {
            DataType::Str => Ok(TextValue::Str(text.to_string())),
            DataType::ArrayInt8 => array(Elements::Int8(elements(text, data_type)?)),
            DataType::ArrayUInt8 => array(Elements::UInt8(elements(text, data_type)?)),
            DataType::ArrayInt16 => array(Elements::Int16(elements(text, data_type)?)),
            DataType::ArrayUInt16 => array(Elements::UInt16(elements(text, data_type)?)),
            DataType::ArrayInt32 => array(Elements::Int32(elements(text, data_type)?)),
            DataType::ArrayUInt32 => array(Elements::UInt32(elements(text, data_type)?)),
            DataType::ArrayInt64 => array(Elements::Int64(elements(text, data_type)?)),
            DataType::ArrayUInt64 => array(Elements::UInt64(elements(text, data_type)?)),
            DataType::ArrayInt128 => array(Elements::Int128(elements(text, data_type)?)),
            DataType::ArrayUInt128 => array(Elements::UInt128(elements(text, data_type)?)),
            other => Err(Error::Invalid(format!(
                "values of data type {other} cannot be set"
            ))),
        }
    }

    /// The value, borrowing this.
    pub fn as_value(&self) -> Value<'_> {
        match self {
            TextValue::Integer(value) => *value,
            TextValue::Str(text) => Value::Str(PtpString::Str(text)),
            TextValue::Array(elements) => match elements {
                Elements::Int8(v) => Value::ArrayInt8(Array::Slice(v)),
                Elements::UInt8(v) => Value::ArrayUInt8(Array::Slice(v)),
                Elements::Int16(v) => Value::ArrayInt16(Array::Slice(v)),
                Elements::UInt16(v) => Value::ArrayUInt16(Array::Slice(v)),
                Elements::Int32(v) => Value::ArrayInt32(Array::Slice(v)),
                Elements::UInt32(v) => Value::ArrayUInt32(Array::Slice(v)),
                Elements::Int64(v) => Value::ArrayInt64(Array::Slice(v)),
                Elements::UInt64(v) => Value::ArrayUInt64(Array::Slice(v)),
                Elements::Int128(v) => Value::ArrayInt128(Array::Slice(v)),
                Elements::UInt128(v) => Value::ArrayUInt128(Array::Slice(v)),
            },
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn integers_and_arrays_parse_by_type() {
        let value = TextValue::parse(DataType::UInt16, "0x10").unwrap();
        assert_eq!(value.as_value(), Value::UInt16(16));
        assert!(TextValue::parse(DataType::UInt8, "256").is_err());
        assert_eq!(
            TextValue::parse(DataType::Int8, "-5").unwrap().as_value(),
            Value::Int8(-5)
        );
        let array = TextValue::parse(DataType::ArrayUInt16, "1, 2 3").unwrap();
        assert_eq!(
            array.as_value(),
            Value::ArrayUInt16(Array::Slice(&[1, 2, 3]))
        );
        let text = TextValue::parse(DataType::Str, "Hello").unwrap();
        assert_eq!(text.as_value(), Value::Str(PtpString::Str("Hello")));
    }
}
