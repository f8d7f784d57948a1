//! The forms of a property description: what values a device or object
//! property may take. PTP's DevicePropDesc has three ([`Form`]); MTP's
//! ObjectPropDesc adds five more ([`ObjectPropForm`]).
//!
//! | flag | form | form data |
//! |---|---|---|
//! | 0x00 | none | — |
//! | 0x01 | range | minimum, maximum, step, each of the property's data type |
//! | 0x02 | enumeration | `u16` count, then that many values of the data type |
//! | 0x03 | date-time (MTP) | — |
//! | 0x04 | fixed-length array (MTP) | `u16` length |
//! | 0x05 | regular expression (MTP) | a string |
//! | 0x06 | byte array (MTP) | `u32` maximum length |
//! | 0xFF | long string (MTP) | `u32` maximum length |

use super::consumed;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::wire::{DataType, PtpString, Reader, Value, Writer};
use core::fmt;

/// Form flag values.
mod flag {
    pub const NONE: u8 = 0x00;
    pub const RANGE: u8 = 0x01;
    pub const ENUMERATION: u8 = 0x02;
    pub const DATE_TIME: u8 = 0x03;
    pub const FIXED_LENGTH_ARRAY: u8 = 0x04;
    pub const REGULAR_EXPRESSION: u8 = 0x05;
    pub const BYTE_ARRAY: u8 = 0x06;
    pub const LONG_STRING: u8 = 0xFF;
}

/// The names of one dataset's form fields, for errors.
pub(super) struct FormFields {
    pub flag: &'static str,
    pub minimum: &'static str,
    pub maximum: &'static str,
    pub step: &'static str,
    pub count: &'static str,
    pub value: &'static str,
    pub array_length: &'static str,
    pub regex: &'static str,
    pub max_length: &'static str,
}

/// The form of a PTP DevicePropDesc: which values the property may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Form<'a> {
    /// Flag 0: any value of the data type.
    None,
    /// Flag 1: `min..=max` in steps of `step`, all of the property's type.
    Range {
        /// MinimumValue.
        min: Value<'a>,
        /// MaximumValue.
        max: Value<'a>,
        /// StepSize.
        step: Value<'a>,
    },
    /// Flag 2: one of a list of values of the property's type.
    Enumeration(Values<'a>),
}

impl<'a> Form<'a> {
    /// The FormFlag byte.
    pub const fn flag(&self) -> u8 {
        match self {
            Form::None => flag::NONE,
            Form::Range { .. } => flag::RANGE,
            Form::Enumeration(_) => flag::ENUMERATION,
        }
    }

    /// Reads the flag and the form data; other flags are `UnknownForm`.
    pub(super) fn read(
        reader: &mut Reader<'a>,
        data_type: DataType,
        fields: &FormFields,
    ) -> Result<Self, DecodeError> {
        let offset = reader.position();
        let form_flag = reader.u8(fields.flag)?;
        read_basic(reader, form_flag, data_type, fields)?.ok_or(DecodeError {
            field: fields.flag,
            offset,
            kind: DecodeErrorKind::UnknownForm(form_flag),
        })
    }

    /// Bytes of the flag and the form data.
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            Form::None => 0,
            Form::Range { min, max, step } => {
                min.encoded_len() + max.encoded_len() + step.encoded_len()
            }
            Form::Enumeration(values) => values.encoded_len(),
        }
    }

    /// Writes the flag and the form data; every value must be of `data_type`.
    pub(super) fn write(
        &self,
        writer: &mut Writer<'_>,
        data_type: DataType,
    ) -> Result<(), EncodeError> {
        writer.u8(self.flag())?;
        match self {
            Form::None => Ok(()),
            Form::Range { min, max, step } => {
                min.write_as(data_type, writer)?;
                max.write_as(data_type, writer)?;
                step.write_as(data_type, writer)
            }
            Form::Enumeration(values) => values.write(writer, data_type),
        }
    }

    /// Whether `value` is allowed by this form. [`Form::None`] allows any
    /// value; an enumeration, a value equal to one listed (type included); a
    /// range, a value of the range's type between the bounds and a whole
    /// number of steps from the minimum (a step of 0 allows any value between
    /// the bounds; ranges of non-integer types only check the type).
    pub fn allows(&self, value: &Value<'_>) -> bool {
        match self {
            Form::None => true,
            Form::Enumeration(values) => values.contains(value),
            Form::Range { min, max, step } => {
                if value.data_type() != min.data_type() {
                    return false;
                }
                let (Some(min), Some(max), Some(step), Some(v)) = (
                    min.as_i128(),
                    max.as_i128(),
                    step.as_i128(),
                    value.as_i128(),
                ) else {
                    return true;
                };
                if v < min || v > max {
                    return false;
                }
                match v.checked_sub(min) {
                    Some(offset) if step > 0 => offset.checked_rem(step) == Some(0),
                    _ => true,
                }
            }
        }
    }
}

/// Reads the form data of the three PTP forms; `None` for another flag.
fn read_basic<'a>(
    reader: &mut Reader<'a>,
    form_flag: u8,
    data_type: DataType,
    fields: &FormFields,
) -> Result<Option<Form<'a>>, DecodeError> {
    Ok(Some(match form_flag {
        flag::NONE => Form::None,
        flag::RANGE => Form::Range {
            min: reader.value(fields.minimum, data_type)?,
            max: reader.value(fields.maximum, data_type)?,
            step: reader.value(fields.step, data_type)?,
        },
        flag::ENUMERATION => Form::Enumeration(Values::read(reader, data_type, fields)?),
        _ => return Ok(None),
    }))
}

impl fmt::Display for Form<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::None => f.write_str("any"),
            Form::Range { min, max, step } => write!(f, "{min}..={max} step {step}"),
            Form::Enumeration(values) => write!(f, "one of {values}"),
        }
    }
}

/// The form of an MTP ObjectPropDesc: PTP's three forms and MTP's five more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ObjectPropForm<'a> {
    /// Flag 0x00: any value of the data type.
    None,
    /// Flag 0x01: `min..=max` in steps of `step`, all of the property's type.
    Range {
        /// MinimumValue.
        min: Value<'a>,
        /// MaximumValue.
        max: Value<'a>,
        /// StepSize.
        step: Value<'a>,
    },
    /// Flag 0x02: one of a list of values of the property's type.
    Enumeration(Values<'a>),
    /// Flag 0x03: a string holding a PTP date-time. No form data.
    DateTime,
    /// Flag 0x04: an array of exactly `length` elements.
    FixedLengthArray {
        /// The array length.
        length: u16,
    },
    /// Flag 0x05: a string matching a regular expression.
    RegularExpression(PtpString<'a>),
    /// Flag 0x06: a byte array (AUINT8) of at most `max_length` bytes.
    ByteArray {
        /// The most bytes allowed.
        max_length: u32,
    },
    /// Flag 0xFF: a string longer than a PTP string may be, sent as an
    /// AUINT16 of at most `max_length` units.
    LongString {
        /// The most UTF-16 units allowed.
        max_length: u32,
    },
}

impl<'a> ObjectPropForm<'a> {
    /// The FormFlag byte.
    pub const fn flag(&self) -> u8 {
        match self {
            ObjectPropForm::None => flag::NONE,
            ObjectPropForm::Range { .. } => flag::RANGE,
            ObjectPropForm::Enumeration(_) => flag::ENUMERATION,
            ObjectPropForm::DateTime => flag::DATE_TIME,
            ObjectPropForm::FixedLengthArray { .. } => flag::FIXED_LENGTH_ARRAY,
            ObjectPropForm::RegularExpression(_) => flag::REGULAR_EXPRESSION,
            ObjectPropForm::ByteArray { .. } => flag::BYTE_ARRAY,
            ObjectPropForm::LongString { .. } => flag::LONG_STRING,
        }
    }

    /// The PTP form, for the three forms PTP has.
    pub const fn as_form(&self) -> Option<Form<'a>> {
        match *self {
            ObjectPropForm::None => Some(Form::None),
            ObjectPropForm::Range { min, max, step } => Some(Form::Range { min, max, step }),
            ObjectPropForm::Enumeration(values) => Some(Form::Enumeration(values)),
            _ => None,
        }
    }

    /// Reads the flag and the form data; other flags are `UnknownForm`.
    pub(super) fn read(
        reader: &mut Reader<'a>,
        data_type: DataType,
        fields: &FormFields,
    ) -> Result<Self, DecodeError> {
        let offset = reader.position();
        let form_flag = reader.u8(fields.flag)?;
        if let Some(form) = read_basic(reader, form_flag, data_type, fields)? {
            return Ok(form.into());
        }
        Ok(match form_flag {
            flag::DATE_TIME => ObjectPropForm::DateTime,
            flag::FIXED_LENGTH_ARRAY => ObjectPropForm::FixedLengthArray {
                length: reader.u16(fields.array_length)?,
            },
            flag::REGULAR_EXPRESSION => {
                ObjectPropForm::RegularExpression(reader.string(fields.regex)?)
            }
            flag::BYTE_ARRAY => ObjectPropForm::ByteArray {
                max_length: reader.u32(fields.max_length)?,
            },
            flag::LONG_STRING => ObjectPropForm::LongString {
                max_length: reader.u32(fields.max_length)?,
            },
            other => {
                return Err(DecodeError {
                    field: fields.flag,
                    offset,
                    kind: DecodeErrorKind::UnknownForm(other),
                });
            }
        })
    }

    /// Bytes of the flag and the form data.
    pub fn encoded_len(&self) -> usize {
        match self {
            ObjectPropForm::DateTime => 1,
            ObjectPropForm::FixedLengthArray { .. } => 1 + 2,
            ObjectPropForm::RegularExpression(text) => 1 + text.encoded_len(),
            ObjectPropForm::ByteArray { .. } | ObjectPropForm::LongString { .. } => 1 + 4,
            basic => basic.as_form().map_or(1, |form| form.encoded_len()),
        }
    }

    /// Writes the flag and the form data; every value must be of `data_type`.
    pub(super) fn write(
        &self,
        writer: &mut Writer<'_>,
        data_type: DataType,
    ) -> Result<(), EncodeError> {
        if let Some(form) = self.as_form() {
            return form.write(writer, data_type);
        }
        writer.u8(self.flag())?;
        match *self {
            ObjectPropForm::FixedLengthArray { length } => writer.u16(length),
            ObjectPropForm::RegularExpression(text) => writer.string_units(text.units()),
            ObjectPropForm::ByteArray { max_length }
            | ObjectPropForm::LongString { max_length } => writer.u32(max_length),
            _ => Ok(()),
        }
    }
}

impl<'a> From<Form<'a>> for ObjectPropForm<'a> {
    fn from(form: Form<'a>) -> Self {
        match form {
            Form::None => ObjectPropForm::None,
            Form::Range { min, max, step } => ObjectPropForm::Range { min, max, step },
            Form::Enumeration(values) => ObjectPropForm::Enumeration(values),
        }
    }
}

impl fmt::Display for ObjectPropForm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectPropForm::DateTime => f.write_str("date-time"),
            ObjectPropForm::FixedLengthArray { length } => write!(f, "array of {length}"),
            ObjectPropForm::RegularExpression(regex) => write!(f, "matching {regex:?}"),
            ObjectPropForm::ByteArray { max_length } => write!(f, "at most {max_length} bytes"),
            ObjectPropForm::LongString { max_length } => {
                write!(f, "string of at most {max_length} units")
            }
            basic => match basic.as_form() {
                Some(form) => write!(f, "{form}"),
                None => Ok(()),
            },
        }
    }
}

/// The values of an enumeration form: borrowed wire bytes (parsed, decoded
/// one by one when iterated) or a slice of values (to emit). Both compare
/// equal when their values are equal.
///
/// A parsed `Wire` has been checked: all `count` values decode. A `Wire`
/// built by hand from bad bytes iterates until the first value that does
/// not decode.
#[derive(Clone, Copy)]
pub enum Values<'a> {
    /// Values as read from the wire.
    Wire {
        /// The encoded values, without the count.
        bytes: &'a [u8],
        /// NumberOfValues.
        count: u16,
        /// The type of every value.
        data_type: DataType,
    },
    /// Values to be written; each must be of the property's data type.
    Slice(&'a [Value<'a>]),
}

impl<'a> Values<'a> {
    /// Reads NumberOfValues and the values, checking that each decodes.
    fn read(
        reader: &mut Reader<'a>,
        data_type: DataType,
        fields: &FormFields,
    ) -> Result<Self, DecodeError> {
        let count = reader.u16(fields.count)?;
        let before = reader.rest();
        let start = reader.position();
        for _ in 0..count {
            reader.value(fields.value, data_type)?;
        }
        let bytes = consumed(before, start, reader.position(), fields.value)?;
        Ok(Values::Wire {
            bytes,
            count,
            data_type,
        })
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::Wire { count, .. } => usize::from(*count),
            Values::Slice(values) => values.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values, in order.
    pub fn iter(&self) -> ValuesIter<'a> {
        ValuesIter {
            inner: match *self {
                Values::Wire {
                    bytes,
                    count,
                    data_type,
                } => Inner::Wire {
                    reader: Reader::new(bytes),
                    data_type,
                    remaining: count,
                },
                Values::Slice(values) => Inner::Slice(values.iter()),
            },
        }
    }

    /// Whether `value` is one of the values.
    pub fn contains(&self, value: &Value<'_>) -> bool {
        self.iter().any(|candidate| candidate == *value)
    }

    /// Bytes these values take on the wire, count included.
    pub fn encoded_len(&self) -> usize {
        2 + match self {
            Values::Wire { bytes, .. } => bytes.len(),
            Values::Slice(values) => values.iter().map(Value::encoded_len).sum(),
        }
    }

    /// Writes the count and the values, which must be of `data_type`.
    fn write(&self, writer: &mut Writer<'_>, data_type: DataType) -> Result<(), EncodeError> {
        match *self {
            Values::Wire {
                bytes,
                count,
                data_type: own,
            } => {
                if own != data_type {
                    return Err(EncodeError::TypeMismatch);
                }
                writer.u16(count)?;
                writer.bytes(bytes)
            }
            Values::Slice(values) => {
                let count =
                    u16::try_from(values.len()).map_err(|_| EncodeError::TooManyElements)?;
                writer.u16(count)?;
                values
                    .iter()
                    .try_for_each(|value| value.write_as(data_type, writer))
            }
        }
    }
}

impl<'a> From<&'a [Value<'a>]> for Values<'a> {
    fn from(values: &'a [Value<'a>]) -> Self {
        Values::Slice(values)
    }
}

impl<'a> IntoIterator for &Values<'a> {
    type Item = Value<'a>;
    type IntoIter = ValuesIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Values<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Values<'_> {}

impl fmt::Debug for Values<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl fmt::Display for Values<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (index, value) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{value}")?;
        }
        f.write_str("]")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Values<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "[");
        for (index, value) in self.iter().enumerate() {
            if index > 0 {
                defmt::write!(f, ", ");
            }
            defmt::write!(f, "{}", value);
        }
        defmt::write!(f, "]");
    }
}

/// Iterator over [`Values`].
#[derive(Clone, Debug)]
pub struct ValuesIter<'a> {
    inner: Inner<'a>,
}

#[derive(Clone, Debug)]
enum Inner<'a> {
    Wire {
        reader: Reader<'a>,
        data_type: DataType,
        remaining: u16,
    },
    Slice(core::slice::Iter<'a, Value<'a>>),
}

impl<'a> Iterator for ValuesIter<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Value<'a>> {
        match &mut self.inner {
            Inner::Wire {
                reader,
                data_type,
                remaining,
            } => {
                *remaining = remaining.checked_sub(1)?;
                let value = Value::read(reader, "Values", *data_type).ok();
                if value.is_none() {
                    *remaining = 0;
                }
                value
            }
            Inner::Slice(values) => values.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            // A hand-built `Wire` may end early.
            Inner::Wire { remaining, .. } => (0, Some(usize::from(*remaining))),
            Inner::Slice(values) => values.size_hint(),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::wire::Array;

    const FIELDS: FormFields = FormFields {
        flag: "T.FormFlag",
        minimum: "T.MinimumValue",
        maximum: "T.MaximumValue",
        step: "T.StepSize",
        count: "T.NumberOfValues",
        value: "T.SupportedValue",
        array_length: "T.ArrayLength",
        regex: "T.RegEx",
        max_length: "T.MaxLength",
    };

    // Enumeration of three UINT16: 100, 200, 400.
    static ENUM_U16: [u8; 9] = [0x02, 3, 0, 100, 0, 200, 0, 0x90, 0x01];
    // Enumeration of two strings: "a", "".
    static ENUM_STR: [u8; 9] = [0x02, 2, 0, 2, b'a', 0, 0, 0, 0];

    fn emit_form(form: &Form<'_>, data_type: DataType) -> heapless::Vec<u8, 64> {
        let mut buffer = [0u8; 64];
        let mut writer = Writer::new(&mut buffer);
        form.write(&mut writer, data_type).unwrap();
        let len = writer.position();
        assert_eq!(len, form.encoded_len());
        heapless::Vec::from_slice(&buffer[..len]).unwrap()
    }

    #[test]
    fn parse_enumeration() {
        let mut reader = Reader::new(&ENUM_U16);
        let form = Form::read(&mut reader, DataType::UInt16, &FIELDS).unwrap();
        assert!(reader.is_empty());
        let Form::Enumeration(values) = form else {
            panic!("{form:?}")
        };
        assert_eq!(values.len(), 3);
        let listed: heapless::Vec<Value<'_>, 4> = values.iter().collect();
        assert_eq!(
            listed.as_slice(),
            [Value::UInt16(100), Value::UInt16(200), Value::UInt16(400)]
        );
        assert!(values.contains(&Value::UInt16(200)));
        assert!(!values.contains(&Value::UInt16(300)));
        assert!(!values.contains(&Value::UInt32(200)));
        let slice = [Value::UInt16(100), Value::UInt16(200), Value::UInt16(400)];
        assert_eq!(form, Form::Enumeration(Values::from(&slice[..])));
        assert_eq!(form.to_string(), "one of [100, 200, 400]");
    }

    #[test]
    fn emit_enumeration() {
        let slice = [Value::UInt16(100), Value::UInt16(200), Value::UInt16(400)];
        let form = Form::Enumeration(Values::Slice(&slice));
        assert_eq!(emit_form(&form, DataType::UInt16), ENUM_U16);
        // A parsed enumeration re-emits the same bytes.
        let parsed = Form::read(&mut Reader::new(&ENUM_STR), DataType::Str, &FIELDS).unwrap();
        assert_eq!(emit_form(&parsed, DataType::Str), ENUM_STR);
    }

    #[test]
    fn string_enumeration() {
        let form = Form::read(&mut Reader::new(&ENUM_STR), DataType::Str, &FIELDS).unwrap();
        let texts = [
            Value::Str(PtpString::Str("a")),
            Value::Str(PtpString::EMPTY),
        ];
        assert_eq!(form, Form::Enumeration(Values::Slice(&texts)));
    }

    #[test]
    fn range() {
        let bytes = [0x01, 0xF6, 0xFF, 10, 0, 5, 0];
        let form = Form::read(&mut Reader::new(&bytes), DataType::Int16, &FIELDS).unwrap();
        let expected = Form::Range {
            min: Value::Int16(-10),
            max: Value::Int16(10),
            step: Value::Int16(5),
        };
        assert_eq!(form, expected);
        assert_eq!(emit_form(&expected, DataType::Int16), bytes);
        assert!(form.allows(&Value::Int16(5)));
        assert!(!form.allows(&Value::Int16(4)));
        assert!(!form.allows(&Value::Int16(15)));
        assert_eq!(form.to_string(), "-10..=10 step 5");
    }

    #[test]
    fn value_of_wrong_type_is_refused() {
        let slice = [Value::UInt16(1), Value::UInt32(2)];
        let form = Form::Enumeration(Values::Slice(&slice));
        let mut buffer = [0u8; 16];
        let err = form
            .write(&mut Writer::new(&mut buffer), DataType::UInt16)
            .unwrap_err();
        assert_eq!(err, EncodeError::TypeMismatch);
        let range = Form::Range {
            min: Value::UInt8(0),
            max: Value::UInt8(1),
            step: Value::UInt16(1),
        };
        let err = range
            .write(&mut Writer::new(&mut buffer), DataType::UInt8)
            .unwrap_err();
        assert_eq!(err, EncodeError::TypeMismatch);
    }

    #[test]
    fn bad_enumeration_element_is_an_error_at_parse() {
        // Count 3, but only two UINT16 values and a stray byte.
        let bytes = [0x02, 3, 0, 1, 0, 2, 0, 3];
        let err = Form::read(&mut Reader::new(&bytes), DataType::UInt16, &FIELDS).unwrap_err();
        assert_eq!(err.field, "T.SupportedValue");
        assert_eq!(err.offset, 7);
        // An array element whose count lies.
        let bytes = [0x02, 1, 0, 0xFF, 0, 0, 0, 1];
        let err = Form::read(&mut Reader::new(&bytes), DataType::ArrayUInt8, &FIELDS).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::BadLength(0xFF));
    }

    #[test]
    fn unknown_flag() {
        let err = Form::read(&mut Reader::new(&[0x03]), DataType::UInt8, &FIELDS).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::UnknownForm(3));
        assert_eq!((err.field, err.offset), ("T.FormFlag", 0));
        let err =
            ObjectPropForm::read(&mut Reader::new(&[0x07]), DataType::UInt8, &FIELDS).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::UnknownForm(7));
    }

    #[test]
    fn mtp_forms_round_trip() {
        let forms = [
            ObjectPropForm::None,
            ObjectPropForm::DateTime,
            ObjectPropForm::FixedLengthArray { length: 16 },
            ObjectPropForm::RegularExpression(PtpString::Str("[0-9]+")),
            ObjectPropForm::ByteArray { max_length: 1024 },
            ObjectPropForm::LongString {
                max_length: 0x1_0000,
            },
            ObjectPropForm::Enumeration(Values::Slice(&[Value::ArrayUInt8(Array::Slice(&[1]))])),
        ];
        for form in forms {
            let mut buffer = [0u8; 64];
            let mut writer = Writer::new(&mut buffer);
            form.write(&mut writer, DataType::ArrayUInt8).unwrap();
            let len = writer.position();
            assert_eq!(len, form.encoded_len(), "{form:?}");
            let mut reader = Reader::new(&buffer[..len]);
            let parsed = ObjectPropForm::read(&mut reader, DataType::ArrayUInt8, &FIELDS).unwrap();
            assert!(reader.is_empty());
            assert_eq!(parsed, form);
        }
    }

    #[test]
    fn hand_built_bad_wire_values_end_early() {
        let values = Values::Wire {
            bytes: &[1, 0, 2],
            count: 5,
            data_type: DataType::UInt16,
        };
        assert_eq!(values.iter().count(), 1);
    }
}
