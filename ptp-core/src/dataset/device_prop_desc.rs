//! DevicePropDesc (PTP 1.1): a device property's type, values and
//! the values it may take; the data of GetDevicePropDesc (0x1014).
//!
//! | field | type |
//! |---|---|
//! | DevicePropertyCode | `u16` |
//! | DataType | `u16` |
//! | GetSet | `u8` (0 get, 1 get/set) |
//! | FactoryDefaultValue | of DataType |
//! | CurrentValue | of DataType |
//! | FormFlag | `u8` (0 none, 1 range, 2 enumeration) |
//! | form data | see [`Form`] |

use super::form::FormFields;
use super::{Form, check_buffer};
use crate::error::{DecodeError, EncodeError};
use crate::wire::{DataType, Reader, Value, Writer};
use core::fmt;

const FIELDS: FormFields = FormFields {
    flag: "DevicePropDesc.FormFlag",
    minimum: "DevicePropDesc.MinimumValue",
    maximum: "DevicePropDesc.MaximumValue",
    step: "DevicePropDesc.StepSize",
    count: "DevicePropDesc.NumberOfValues",
    value: "DevicePropDesc.SupportedValue",
    array_length: "DevicePropDesc.ArrayLength",
    regex: "DevicePropDesc.RegEx",
    max_length: "DevicePropDesc.MaxLength",
};

/// A DevicePropDesc dataset.
///
/// Every value (default, current, form) is of `data_type`: `parse` ensures
/// it, `emit` refuses a value of another type
/// ([`EncodeError::TypeMismatch`]). A data type of 0 or an unknown code is
/// [`DecodeErrorKind::UnknownDataType`](crate::DecodeErrorKind::UnknownDataType),
/// a form flag other than 0, 1, 2 is
/// [`DecodeErrorKind::UnknownForm`](crate::DecodeErrorKind::UnknownForm).
/// Bytes after the form are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DevicePropDesc<'a> {
    /// DevicePropertyCode (0x5001 BatteryLevel, ...).
    pub property_code: u16,
    /// DataType of every value.
    pub data_type: DataType,
    /// GetSet: [`Self::GET`] or [`Self::GET_SET`].
    pub get_set: u8,
    /// FactoryDefaultValue.
    pub factory_default: Value<'a>,
    /// CurrentValue.
    pub current: Value<'a>,
    /// The values the property may take.
    pub form: Form<'a>,
}

impl<'a> DevicePropDesc<'a> {
    /// GetSet: read-only.
    pub const GET: u8 = 0x00;
    /// GetSet: readable and settable.
    pub const GET_SET: u8 = 0x01;

    /// Parses a DevicePropDesc dataset, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let property_code = r.u16("DevicePropDesc.DevicePropertyCode")?;
        let data_type = r.data_type("DevicePropDesc.DataType")?;
        Ok(DevicePropDesc {
            property_code,
            data_type,
            get_set: r.u8("DevicePropDesc.GetSet")?,
            factory_default: r.value("DevicePropDesc.FactoryDefaultValue", data_type)?,
            current: r.value("DevicePropDesc.CurrentValue", data_type)?,
            form: Form::read(&mut r, data_type, &FIELDS)?,
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        2 + 2
            + 1
            + self.factory_default.encoded_len()
            + self.current.encoded_len()
            + self.form.encoded_len()
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(self.property_code)?;
        w.u16(self.data_type.code())?;
        w.u8(self.get_set)?;
        self.factory_default.write_as(self.data_type, &mut w)?;
        self.current.write_as(self.data_type, &mut w)?;
        self.form.write(&mut w, self.data_type)?;
        Ok(w.position())
    }

    /// Whether the initiator may set the property.
    pub const fn is_settable(&self) -> bool {
        self.get_set == Self::GET_SET
    }
}

impl fmt::Display for DevicePropDesc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "0x{:04X} {} {}: {} (default {}), {}",
            self.property_code,
            self.data_type,
            if self.is_settable() { "get/set" } else { "get" },
            self.current,
            self.factory_default,
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

    /// ExposureIndex (ISO), UINT16, get/set, default 100, current 400, one of
    /// 100, 200, 400, 800, 1600.
    static ISO: [u8; 22] = [
        0x0F, 0x50, // DevicePropertyCode 0x500F
        0x04, 0x00, // DataType UINT16
        0x01, // GetSet: get/set
        0x64, 0x00, // FactoryDefaultValue 100
        0x90, 0x01, // CurrentValue 400
        0x02, // FormFlag: enumeration
        0x05, 0x00, // NumberOfValues 5
        0x64, 0x00, 0xC8, 0x00, 0x90, 0x01, 0x20, 0x03, 0x40, 0x06,
    ];

    /// BatteryLevel, UINT8, get, default 0, current 80, 0..=100 step 1.
    static BATTERY: [u8; 11] = [
        0x01, 0x50, // DevicePropertyCode 0x5001
        0x02, 0x00, // DataType UINT8
        0x00, // GetSet: get
        0x00, // FactoryDefaultValue 0
        0x50, // CurrentValue 80
        0x01, // FormFlag: range
        0x00, 0x64, 0x01, // 0..=100 step 1
    ];

    /// MTP DeviceFriendlyName, STR, get/set, default "", current "R6", no form.
    static NAME: [u8; 14] = [
        0x02, 0xD4, // DevicePropertyCode 0xD402
        0xFF, 0xFF, // DataType STR
        0x01, // GetSet: get/set
        0x00, // FactoryDefaultValue ""
        0x03, b'R', 0x00, b'6', 0x00, 0x00, 0x00, // CurrentValue "R6"
        0x00, // FormFlag: none
    ];

    const ISO_VALUES: [Value<'static>; 5] = [
        Value::UInt16(100),
        Value::UInt16(200),
        Value::UInt16(400),
        Value::UInt16(800),
        Value::UInt16(1600),
    ];

    fn iso() -> DevicePropDesc<'static> {
        DevicePropDesc {
            property_code: 0x500F,
            data_type: DataType::UInt16,
            get_set: DevicePropDesc::GET_SET,
            factory_default: Value::UInt16(100),
            current: Value::UInt16(400),
            form: Form::Enumeration(Values::Slice(&ISO_VALUES)),
        }
    }

    fn battery() -> DevicePropDesc<'static> {
        DevicePropDesc {
            property_code: 0x5001,
            data_type: DataType::UInt8,
            get_set: DevicePropDesc::GET,
            factory_default: Value::UInt8(0),
            current: Value::UInt8(80),
            form: Form::Range {
                min: Value::UInt8(0),
                max: Value::UInt8(100),
                step: Value::UInt8(1),
            },
        }
    }

    fn name() -> DevicePropDesc<'static> {
        DevicePropDesc {
            property_code: 0xD402,
            data_type: DataType::Str,
            get_set: DevicePropDesc::GET_SET,
            factory_default: Value::Str(PtpString::EMPTY),
            current: Value::Str(PtpString::Str("R6")),
            form: Form::None,
        }
    }

    #[test]
    fn deconstruct() {
        let desc = DevicePropDesc::parse(&ISO).unwrap();
        assert_eq!(desc.property_code, 0x500F);
        assert_eq!(desc.data_type, DataType::UInt16);
        assert!(desc.is_settable());
        assert_eq!(desc.factory_default, Value::UInt16(100));
        assert_eq!(desc.current, Value::UInt16(400));
        let Form::Enumeration(values) = desc.form else {
            panic!("{:?}", desc.form)
        };
        assert_eq!(values.len(), 5);
        assert!(values.iter().eq(ISO_VALUES));
        assert!(desc.form.allows(&Value::UInt16(800)));
        assert!(!desc.form.allows(&Value::UInt16(300)));
    }

    #[test]
    fn parse() {
        assert_eq!(DevicePropDesc::parse(&ISO), Ok(iso()));
        assert_eq!(DevicePropDesc::parse(&BATTERY), Ok(battery()));
        assert_eq!(DevicePropDesc::parse(&NAME), Ok(name()));
    }

    #[test]
    fn emit() {
        for (desc, bytes) in [(iso(), &ISO[..]), (battery(), &BATTERY), (name(), &NAME)] {
            assert_eq!(desc.buffer_len(), bytes.len());
            let mut buffer = [0u8; 32];
            assert_eq!(desc.emit(&mut buffer), Ok(bytes.len()));
            assert_eq!(&buffer[..bytes.len()], bytes);
        }
    }

    #[test]
    fn display() {
        assert_eq!(
            iso().to_string(),
            "0x500F UINT16 get/set: 400 (default 100), one of [100, 200, 400, 800, 1600]"
        );
        assert_eq!(
            battery().to_string(),
            "0x5001 UINT8 get: 80 (default 0), 0..=100 step 1"
        );
        assert_eq!(
            name().to_string(),
            "0xD402 STR get/set: \"R6\" (default \"\"), any"
        );
    }

    #[test]
    fn wide_and_array_types_round_trip() {
        let elements = [1u128, u128::MAX];
        let values = [
            Value::ArrayUInt128(Array::Slice(&elements)),
            Value::ArrayUInt128(Array::Slice(&[])),
        ];
        let descs = [
            DevicePropDesc {
                property_code: 0xD001,
                data_type: DataType::Int128,
                get_set: 1,
                factory_default: Value::Int128(i128::MIN),
                current: Value::Int128(-1),
                form: Form::Range {
                    min: Value::Int128(i128::MIN),
                    max: Value::Int128(i128::MAX),
                    step: Value::Int128(1),
                },
            },
            DevicePropDesc {
                property_code: 0xD002,
                data_type: DataType::ArrayUInt128,
                get_set: 0,
                factory_default: Value::ArrayUInt128(Array::Slice(&[])),
                current: Value::ArrayUInt128(Array::Slice(&elements)),
                form: Form::Enumeration(Values::Slice(&values)),
            },
        ];
        for desc in descs {
            let mut buffer = [0u8; 256];
            let len = desc.emit(&mut buffer).unwrap();
            assert_eq!(len, desc.buffer_len());
            assert_eq!(DevicePropDesc::parse(&buffer[..len]), Ok(desc));
        }
    }

    #[test]
    fn every_prefix_is_an_error() {
        for bytes in [&ISO[..], &BATTERY, &NAME] {
            for len in 0..bytes.len() {
                assert!(DevicePropDesc::parse(&bytes[..len]).is_err(), "{len}");
            }
        }
        let err = DevicePropDesc::parse(&ISO[..20]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DevicePropDesc.SupportedValue",
                20,
                DecodeErrorKind::Truncated {
                    needed: 2,
                    available: 0
                }
            )
        );
    }

    #[test]
    fn unknown_data_type() {
        let mut bytes = BATTERY;
        bytes[2..4].copy_from_slice(&0x0042u16.to_le_bytes());
        let err = DevicePropDesc::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DevicePropDesc.DataType",
                2,
                DecodeErrorKind::UnknownDataType(0x42)
            )
        );
        bytes[2..4].copy_from_slice(&[0, 0]);
        let err = DevicePropDesc::parse(&bytes).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::UnknownDataType(0));
    }

    #[test]
    fn unknown_form() {
        let mut bytes = BATTERY;
        bytes[7] = 0x03;
        let err = DevicePropDesc::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DevicePropDesc.FormFlag",
                7,
                DecodeErrorKind::UnknownForm(3)
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0x55u8; 16];
        bytes[..11].copy_from_slice(&BATTERY);
        assert_eq!(DevicePropDesc::parse(&bytes), Ok(battery()));
    }

    #[test]
    fn type_mismatch_and_small_buffer() {
        let mut buffer = [0u8; 32];
        let wrong = DevicePropDesc {
            current: Value::UInt16(80),
            ..battery()
        };
        assert_eq!(wrong.emit(&mut buffer), Err(EncodeError::TypeMismatch));
        let undefined = DevicePropDesc {
            data_type: DataType::Undefined,
            ..battery()
        };
        assert_eq!(undefined.emit(&mut buffer), Err(EncodeError::TypeMismatch));
        assert_eq!(
            battery().emit(&mut buffer[..10]),
            Err(EncodeError::BufferTooSmall {
                needed: 11,
                available: 10
            })
        );
    }
}
