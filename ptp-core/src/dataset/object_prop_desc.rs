//! ObjectPropDesc (MTP 1.1): an object property's type, default
//! and allowed values for one object format; the data of GetObjectPropDesc
//! (0x9802).
//!
//! | field | type |
//! |---|---|
//! | PropertyCode | `u16` |
//! | DataType | `u16` |
//! | GetSet | `u8` (0 get, 1 get/set) |
//! | DefaultValue | of DataType |
//! | GroupCode | `u32` |
//! | FormFlag | `u8` (0x00..=0x06, 0xFF) |
//! | form data | see [`ObjectPropForm`] |

use super::form::FormFields;
use super::{ObjectPropForm, check_buffer};
use crate::error::{DecodeError, EncodeError};
use crate::wire::{DataType, Reader, Value, Writer};
use core::fmt;

const FIELDS: FormFields = FormFields {
    flag: "ObjectPropDesc.FormFlag",
    minimum: "ObjectPropDesc.MinimumValue",
    maximum: "ObjectPropDesc.MaximumValue",
    step: "ObjectPropDesc.StepSize",
    count: "ObjectPropDesc.NumberOfValues",
    value: "ObjectPropDesc.SupportedValue",
    array_length: "ObjectPropDesc.ArrayLength",
    regex: "ObjectPropDesc.RegEx",
    max_length: "ObjectPropDesc.MaxLength",
};

/// An MTP ObjectPropDesc dataset.
///
/// The default and any range or enumeration values are of `data_type`:
/// `parse` ensures it, `emit` refuses a value of another type
/// ([`EncodeError::TypeMismatch`]). A data type of 0 or an unknown code is
/// [`DecodeErrorKind::UnknownDataType`](crate::DecodeErrorKind::UnknownDataType),
/// a form flag MTP does not define is
/// [`DecodeErrorKind::UnknownForm`](crate::DecodeErrorKind::UnknownForm).
/// Bytes after the form are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ObjectPropDesc<'a> {
    /// PropertyCode (0xDC07 ObjectFileName, ...).
    pub property_code: u16,
    /// DataType of the values.
    pub data_type: DataType,
    /// GetSet: [`Self::GET`] or [`Self::GET_SET`].
    pub get_set: u8,
    /// DefaultValue.
    pub default_value: Value<'a>,
    /// GroupCode: the property group, for GetObjectPropList by group (0 none).
    pub group_code: u32,
    /// The values the property may take.
    pub form: ObjectPropForm<'a>,
}

impl<'a> ObjectPropDesc<'a> {
    /// GetSet: read-only.
    pub const GET: u8 = 0x00;
    /// GetSet: readable and settable.
    pub const GET_SET: u8 = 0x01;

    /// Parses an ObjectPropDesc dataset, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let property_code = r.u16("ObjectPropDesc.PropertyCode")?;
        let data_type = r.data_type("ObjectPropDesc.DataType")?;
        Ok(ObjectPropDesc {
            property_code,
            data_type,
            get_set: r.u8("ObjectPropDesc.GetSet")?,
            default_value: r.value("ObjectPropDesc.DefaultValue", data_type)?,
            group_code: r.u32("ObjectPropDesc.GroupCode")?,
            form: ObjectPropForm::read(&mut r, data_type, &FIELDS)?,
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        2 + 2 + 1 + self.default_value.encoded_len() + 4 + self.form.encoded_len()
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(self.property_code)?;
        w.u16(self.data_type.code())?;
        w.u8(self.get_set)?;
        self.default_value.write_as(self.data_type, &mut w)?;
        w.u32(self.group_code)?;
        self.form.write(&mut w, self.data_type)?;
        Ok(w.position())
    }

    /// Whether the initiator may set the property.
    pub const fn is_settable(&self) -> bool {
        self.get_set == Self::GET_SET
    }
}

impl fmt::Display for ObjectPropDesc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "0x{:04X} {} {}: default {}, group {}, {}",
            self.property_code,
            self.data_type,
            if self.is_settable() { "get/set" } else { "get" },
            self.default_value,
            self.group_code,
            self.form
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::DecodeErrorKind;
    use crate::dataset::Values;
    use crate::wire::{Array, PtpString};

    /// ObjectFileName, STR, get/set, default "", group 0, no form.
    static FILE_NAME: [u8; 11] = [
        0x07, 0xDC, // PropertyCode 0xDC07
        0xFF, 0xFF, // DataType STR
        0x01, // GetSet: get/set
        0x00, // DefaultValue ""
        0x00, 0x00, 0x00, 0x00, // GroupCode 0
        0x00, // FormFlag: none
    ];

    /// Description, AUINT16, get/set, default empty, group 0, a long string
    /// of at most 0x2000 units.
    static DESCRIPTION: [u8; 18] = [
        0x48, 0xDC, // PropertyCode 0xDC48
        0x04, 0x40, // DataType AUINT16
        0x01, // GetSet: get/set
        0x00, 0x00, 0x00, 0x00, // DefaultValue: no elements
        0x00, 0x00, 0x00, 0x00, // GroupCode 0
        0xFF, // FormFlag: long string
        0x00, 0x20, 0x00, 0x00, // MaxLength 0x2000
    ];

    /// ProtectionStatus, UINT16, get, default 0, group 2, one of 0, 1.
    static PROTECTION: [u8; 18] = [
        0x03, 0xDC, // PropertyCode 0xDC03
        0x04, 0x00, // DataType UINT16
        0x00, // GetSet: get
        0x00, 0x00, // DefaultValue 0
        0x02, 0x00, 0x00, 0x00, // GroupCode 2
        0x02, // FormFlag: enumeration
        0x02, 0x00, // NumberOfValues 2
        0x00, 0x00, 0x01, 0x00,
    ];

    fn file_name() -> ObjectPropDesc<'static> {
        ObjectPropDesc {
            property_code: 0xDC07,
            data_type: DataType::Str,
            get_set: ObjectPropDesc::GET_SET,
            default_value: Value::Str(PtpString::EMPTY),
            group_code: 0,
            form: ObjectPropForm::None,
        }
    }

    fn description() -> ObjectPropDesc<'static> {
        ObjectPropDesc {
            property_code: 0xDC48,
            data_type: DataType::ArrayUInt16,
            get_set: ObjectPropDesc::GET_SET,
            default_value: Value::ArrayUInt16(Array::Slice(&[])),
            group_code: 0,
            form: ObjectPropForm::LongString { max_length: 0x2000 },
        }
    }

    fn protection() -> ObjectPropDesc<'static> {
        ObjectPropDesc {
            property_code: 0xDC03,
            data_type: DataType::UInt16,
            get_set: ObjectPropDesc::GET,
            default_value: Value::UInt16(0),
            group_code: 2,
            form: ObjectPropForm::Enumeration(Values::Slice(&[Value::UInt16(0), Value::UInt16(1)])),
        }
    }

    #[test]
    fn deconstruct() {
        let desc = ObjectPropDesc::parse(&PROTECTION).unwrap();
        assert_eq!(desc.property_code, 0xDC03);
        assert_eq!(desc.data_type, DataType::UInt16);
        assert!(!desc.is_settable());
        assert_eq!(desc.default_value, Value::UInt16(0));
        assert_eq!(desc.group_code, 2);
        assert_eq!(desc.form.flag(), 2);
        let form = desc.form.as_form().unwrap();
        assert!(form.allows(&Value::UInt16(1)));
        assert!(!form.allows(&Value::UInt16(2)));
        let desc = ObjectPropDesc::parse(&DESCRIPTION).unwrap();
        assert_eq!(desc.form, ObjectPropForm::LongString { max_length: 0x2000 });
        assert_eq!(desc.form.as_form(), None);
    }

    #[test]
    fn parse() {
        assert_eq!(ObjectPropDesc::parse(&FILE_NAME), Ok(file_name()));
        assert_eq!(ObjectPropDesc::parse(&DESCRIPTION), Ok(description()));
        assert_eq!(ObjectPropDesc::parse(&PROTECTION), Ok(protection()));
    }

    #[test]
    fn emit() {
        for (desc, bytes) in [
            (file_name(), &FILE_NAME[..]),
            (description(), &DESCRIPTION),
            (protection(), &PROTECTION),
        ] {
            assert_eq!(desc.buffer_len(), bytes.len());
            let mut buffer = [0u8; 32];
            assert_eq!(desc.emit(&mut buffer), Ok(bytes.len()));
            assert_eq!(&buffer[..bytes.len()], bytes);
        }
    }

    #[test]
    fn every_form_round_trips() {
        let forms = [
            ObjectPropForm::None,
            ObjectPropForm::Range {
                min: Value::Str(PtpString::Str("a")),
                max: Value::Str(PtpString::Str("z")),
                step: Value::Str(PtpString::EMPTY),
            },
            ObjectPropForm::Enumeration(Values::Slice(&[Value::Str(PtpString::Str("x"))])),
            ObjectPropForm::DateTime,
            ObjectPropForm::FixedLengthArray { length: 3 },
            ObjectPropForm::RegularExpression(PtpString::Str("^[A-Z]{3}$")),
            ObjectPropForm::ByteArray { max_length: 512 },
            ObjectPropForm::LongString { max_length: 9000 },
        ];
        for form in forms {
            let desc = ObjectPropDesc {
                form,
                ..file_name()
            };
            let mut buffer = [0u8; 64];
            let len = desc.emit(&mut buffer).unwrap();
            assert_eq!(len, desc.buffer_len());
            assert_eq!(ObjectPropDesc::parse(&buffer[..len]), Ok(desc));
            for prefix in 0..len {
                assert!(ObjectPropDesc::parse(&buffer[..prefix]).is_err());
            }
        }
    }

    #[test]
    fn display() {
        assert_eq!(
            protection().to_string(),
            "0xDC03 UINT16 get: default 0, group 2, one of [0, 1]"
        );
        assert_eq!(
            description().to_string(),
            "0xDC48 AUINT16 get/set: default [], group 0, string of at most 8192 units"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for bytes in [&FILE_NAME[..], &DESCRIPTION, &PROTECTION] {
            for len in 0..bytes.len() {
                assert!(ObjectPropDesc::parse(&bytes[..len]).is_err(), "{len}");
            }
        }
        let err = ObjectPropDesc::parse(&DESCRIPTION[..16]).unwrap_err();
        assert_eq!((err.field, err.offset), ("ObjectPropDesc.MaxLength", 14));
    }

    #[test]
    fn unknown_data_type_and_form() {
        let mut bytes = FILE_NAME;
        bytes[10] = 0x07;
        let err = ObjectPropDesc::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ObjectPropDesc.FormFlag",
                10,
                DecodeErrorKind::UnknownForm(7)
            )
        );
        bytes[2..4].copy_from_slice(&0x400Bu16.to_le_bytes());
        let err = ObjectPropDesc::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ObjectPropDesc.DataType",
                2,
                DecodeErrorKind::UnknownDataType(0x400B)
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0u8; 24];
        bytes[..18].copy_from_slice(&PROTECTION);
        assert_eq!(ObjectPropDesc::parse(&bytes), Ok(protection()));
    }

    #[test]
    fn type_mismatch_and_small_buffer() {
        let mut buffer = [0u8; 32];
        let wrong = ObjectPropDesc {
            default_value: Value::UInt32(0),
            ..protection()
        };
        assert_eq!(wrong.emit(&mut buffer), Err(EncodeError::TypeMismatch));
        assert_eq!(
            protection().emit(&mut buffer[..17]),
            Err(EncodeError::BufferTooSmall {
                needed: 18,
                available: 17
            })
        );
    }
}
