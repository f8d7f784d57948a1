//! The camera's device properties: their descriptors (DevicePropDesc),
//! current values, and setting them from the initiator's bytes. Every
//! value goes through ptp-core's `Value` to and from the wire.

use crate::clock::{self, CameraClock};
use ptp_core::dataset::{DevicePropDesc, Form, Values};
use ptp_core::wire::{DataType, DateTime, PtpString, Reader, Value, Writer};
use std::time::Duration;

/// Property codes (standard PTP).
pub mod code {
    /// BatteryLevel (UINT8, percent, read-only).
    pub const BATTERY_LEVEL: u16 = 0x5001;
    /// ImageSize (STR, "WxH").
    pub const IMAGE_SIZE: u16 = 0x5003;
    /// WhiteBalance (UINT16).
    pub const WHITE_BALANCE: u16 = 0x5005;
    /// FNumber (UINT16, f-number x 100).
    pub const F_NUMBER: u16 = 0x5007;
    /// ExposureTime (UINT32, 0.1 ms).
    pub const EXPOSURE_TIME: u16 = 0x500D;
    /// ExposureIndex (UINT16, ISO).
    pub const EXPOSURE_INDEX: u16 = 0x500F;
    /// DateTime (STR, `YYYYMMDDThhmmss`).
    pub const DATE_TIME: u16 = 0x5011;
    /// CaptureDelay (UINT32, ms).
    pub const CAPTURE_DELAY: u16 = 0x5012;
}

/// Response codes of property operations.
mod response {
    pub const DEVICE_PROP_NOT_SUPPORTED: u16 = 0x200A;
    pub const ACCESS_DENIED: u16 = 0x200F;
    pub const INVALID_DEVICE_PROP_FORMAT: u16 = 0x201B;
    pub const INVALID_DEVICE_PROP_VALUE: u16 = 0x201C;
}

/// A property value, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropValue {
    /// UINT8.
    U8(u8),
    /// UINT16.
    U16(u16),
    /// UINT32.
    U32(u32),
    /// STR.
    Str(String),
}

impl PropValue {
    /// The ptp-core value, borrowing the string.
    pub fn as_value(&self) -> Value<'_> {
        match self {
            PropValue::U8(v) => Value::UInt8(*v),
            PropValue::U16(v) => Value::UInt16(*v),
            PropValue::U32(v) => Value::UInt32(*v),
            PropValue::Str(text) => Value::Str(PtpString::Str(text)),
        }
    }

    fn from_value(value: &Value<'_>) -> Option<PropValue> {
        Some(match value {
            Value::UInt8(v) => PropValue::U8(*v),
            Value::UInt16(v) => PropValue::U16(*v),
            Value::UInt32(v) => PropValue::U32(*v),
            Value::Str(text) => PropValue::Str(text.chars().collect()),
            _ => return None,
        })
    }
}

/// The values a property may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropForm {
    /// Any value of the type.
    Any,
    /// `min..=max` in steps.
    Range(PropValue, PropValue, PropValue),
    /// One of these.
    Enumeration(Vec<PropValue>),
}

/// One device property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// Its code.
    pub code: u16,
    /// Its data type.
    pub data_type: DataType,
    /// Whether the initiator may set it.
    pub settable: bool,
    /// The factory default.
    pub default: PropValue,
    /// The current value (DateTime's is read from the clock instead).
    pub current: PropValue,
    /// What it may be.
    pub form: PropForm,
}

fn enumeration<T>(values: &[T], wrap: impl Fn(&T) -> PropValue) -> PropForm {
    PropForm::Enumeration(values.iter().map(wrap).collect())
}

/// ImageSize choices: the sizes a capture renders.
const IMAGE_SIZES: [&str; 4] = ["320x240", "640x480", "1280x960", "1920x1440"];

/// The camera's properties and clock.
#[derive(Clone, Debug)]
pub struct Properties {
    list: Vec<Property>,
    clock: CameraClock,
}

impl Default for Properties {
    fn default() -> Self {
        Self::new()
    }
}

impl Properties {
    /// The properties at their factory defaults.
    pub fn new() -> Properties {
        let property = |code, data_type, settable, default: PropValue, form| Property {
            code,
            data_type,
            settable,
            current: default.clone(),
            default,
            form,
        };
        let list = vec![
            property(
                code::BATTERY_LEVEL,
                DataType::UInt8,
                false,
                PropValue::U8(87),
                PropForm::Range(PropValue::U8(0), PropValue::U8(100), PropValue::U8(1)),
            ),
            property(
                code::IMAGE_SIZE,
                DataType::Str,
                true,
                PropValue::Str("640x480".to_owned()),
                enumeration(&IMAGE_SIZES, |s| PropValue::Str((*s).to_owned())),
            ),
            property(
                code::WHITE_BALANCE,
                DataType::UInt16,
                true,
                PropValue::U16(2),
                // Manual, automatic, one-push automatic, daylight,
                // fluorescent, tungsten, flash.
                enumeration(&[1u16, 2, 3, 4, 5, 6, 7], |v| PropValue::U16(*v)),
            ),
            property(
                code::F_NUMBER,
                DataType::UInt16,
                true,
                PropValue::U16(560),
                enumeration(&[280u16, 400, 560, 800, 1100, 1600], |v| PropValue::U16(*v)),
            ),
            property(
                code::EXPOSURE_TIME,
                DataType::UInt32,
                true,
                PropValue::U32(80),
                // 1/1000, 1/250, 1/125, 1/60, 1/30 s, 1 s (units of 0.1 ms).
                enumeration(&[10u32, 40, 80, 166, 333, 10_000], |v| PropValue::U32(*v)),
            ),
            property(
                code::EXPOSURE_INDEX,
                DataType::UInt16,
                true,
                PropValue::U16(100),
                enumeration(&[100u16, 200, 400, 800, 1600, 3200], |v| PropValue::U16(*v)),
            ),
            property(
                code::DATE_TIME,
                DataType::Str,
                true,
                PropValue::Str(String::new()),
                PropForm::Any,
            ),
            property(
                code::CAPTURE_DELAY,
                DataType::UInt32,
                true,
                PropValue::U32(0),
                enumeration(&[0u32, 2000, 10_000], |v| PropValue::U32(*v)),
            ),
        ];
        Properties {
            list,
            clock: CameraClock::default(),
        }
    }

    /// The codes, for DeviceInfo.
    pub fn codes(&self) -> Vec<u16> {
        self.list.iter().map(|p| p.code).collect()
    }

    fn find(&self, code: u16) -> Result<&Property, u16> {
        self.list
            .iter()
            .find(|p| p.code == code)
            .ok_or(response::DEVICE_PROP_NOT_SUPPORTED)
    }

    /// The current value of `property` (DateTime: the camera's clock).
    fn current(&self, property: &Property) -> PropValue {
        if property.code == code::DATE_TIME {
            PropValue::Str(clock::format(self.clock.now()))
        } else {
            property.current.clone()
        }
    }

    /// The DevicePropDesc bytes of `code`, or a response code.
    pub fn desc(&self, code: u16) -> Result<Vec<u8>, u16> {
        let property = self.find(code)?;
        let current = self.current(property);
        let enumerated: Vec<Value<'_>> = match &property.form {
            PropForm::Enumeration(values) => values.iter().map(PropValue::as_value).collect(),
            _ => Vec::new(),
        };
        let form = match &property.form {
            PropForm::Any => Form::None,
            PropForm::Range(min, max, step) => Form::Range {
                min: min.as_value(),
                max: max.as_value(),
                step: step.as_value(),
            },
            PropForm::Enumeration(_) => Form::Enumeration(Values::Slice(&enumerated)),
        };
        let desc = DevicePropDesc {
            property_code: property.code,
            data_type: property.data_type,
            get_set: if property.settable {
                DevicePropDesc::GET_SET
            } else {
                DevicePropDesc::GET
            },
            factory_default: property.default.as_value(),
            current: current.as_value(),
            form,
        };
        let mut bytes = vec![0; desc.buffer_len()];
        let len = desc
            .emit(&mut bytes)
            .map_err(|_| response::INVALID_DEVICE_PROP_FORMAT)?;
        bytes.truncate(len);
        Ok(bytes)
    }

    /// The current value's bytes (GetDevicePropValue).
    pub fn value_bytes(&self, code: u16) -> Result<Vec<u8>, u16> {
        let property = self.find(code)?;
        let current = self.current(property);
        let value = current.as_value();
        let mut bytes = vec![0; value.encoded_len()];
        let mut writer = Writer::new(&mut bytes);
        value
            .write_as(property.data_type, &mut writer)
            .map_err(|_| response::INVALID_DEVICE_PROP_FORMAT)?;
        let len = writer.position();
        bytes.truncate(len);
        Ok(bytes)
    }

    /// Sets `code` from the initiator's bytes (SetDevicePropValue); returns
    /// whether the value changed.
    pub fn set_from_wire(&mut self, code: u16, bytes: &[u8]) -> Result<bool, u16> {
        let property = self.find(code)?;
        if !property.settable {
            return Err(response::ACCESS_DENIED);
        }
        let mut reader = Reader::new(bytes);
        let value = Value::read(&mut reader, "SetDevicePropValue", property.data_type)
            .map_err(|_| response::INVALID_DEVICE_PROP_FORMAT)?;
        let value = PropValue::from_value(&value).ok_or(response::INVALID_DEVICE_PROP_FORMAT)?;
        if code == code::DATE_TIME {
            let PropValue::Str(text) = &value else {
                return Err(response::INVALID_DEVICE_PROP_FORMAT);
            };
            let time = DateTime::parse_ascii(text.as_bytes())
                .ok_or(response::INVALID_DEVICE_PROP_VALUE)?;
            self.clock.set(clock::from_datetime(&time));
            return Ok(true);
        }
        let allowed = match &property.form {
            PropForm::Any => true,
            PropForm::Enumeration(values) => values.contains(&value),
            PropForm::Range(min, max, step) => Form::Range {
                min: min.as_value(),
                max: max.as_value(),
                step: step.as_value(),
            }
            .allows(&value.as_value()),
        };
        if !allowed {
            return Err(response::INVALID_DEVICE_PROP_VALUE);
        }
        let changed = property.current != value;
        if let Some(slot) = self.list.iter_mut().find(|p| p.code == code) {
            slot.current = value;
        }
        Ok(changed)
    }

    /// Resets `code` (or every property, for 0xFFFFFFFF) to its default;
    /// returns the codes that changed.
    pub fn reset(&mut self, code: u32) -> Result<Vec<u16>, u16> {
        let all = code == 0xFFFF_FFFF;
        if !all {
            let code = u16::try_from(code).map_err(|_| response::DEVICE_PROP_NOT_SUPPORTED)?;
            if !self.find(code)?.settable {
                return Err(response::ACCESS_DENIED);
            }
        }
        let mut changed = Vec::new();
        for property in &mut self.list {
            let selected = all || u32::from(property.code) == code;
            if !selected || !property.settable {
                continue;
            }
            if property.code == code::DATE_TIME {
                self.clock.reset();
                changed.push(property.code);
            } else if property.current != property.default {
                property.current = property.default.clone();
                changed.push(property.code);
            }
        }
        Ok(changed)
    }

    /// The capture size from ImageSize.
    pub fn image_size(&self) -> (u32, u32) {
        let text = match self.find(code::IMAGE_SIZE).map(|p| &p.current) {
            Ok(PropValue::Str(text)) => text.as_str(),
            _ => "640x480",
        };
        text.split_once('x')
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            .unwrap_or((640, 480))
    }

    /// The self-timer delay before a capture.
    pub fn capture_delay(&self) -> Duration {
        match self.find(code::CAPTURE_DELAY).map(|p| &p.current) {
            Ok(PropValue::U32(ms)) => Duration::from_millis(u64::from(*ms)),
            _ => Duration::ZERO,
        }
    }

    /// The camera's clock.
    pub fn clock(&self) -> CameraClock {
        self.clock
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn every_desc_parses_back() {
        let properties = Properties::new();
        for code in properties.codes() {
            let bytes = properties.desc(code).unwrap();
            let desc = DevicePropDesc::parse(&bytes).unwrap();
            assert_eq!(desc.property_code, code);
            assert!(desc.form.allows(&desc.current) || code == code::DATE_TIME);
        }
        assert_eq!(properties.desc(0x5999), Err(0x200A));
    }

    #[test]
    fn setting_checks_type_form_and_access() {
        let mut properties = Properties::new();
        assert_eq!(
            properties.set_from_wire(code::EXPOSURE_INDEX, &400u16.to_le_bytes()),
            Ok(true)
        );
        assert_eq!(
            properties.value_bytes(code::EXPOSURE_INDEX).unwrap(),
            400u16.to_le_bytes()
        );
        assert_eq!(
            properties.set_from_wire(code::EXPOSURE_INDEX, &123u16.to_le_bytes()),
            Err(0x201C)
        );
        assert_eq!(
            properties.set_from_wire(code::EXPOSURE_INDEX, &[1]),
            Err(0x201B)
        );
        assert_eq!(
            properties.set_from_wire(code::BATTERY_LEVEL, &[5]),
            Err(0x200F)
        );
        // "1280x960" as a PTP string.
        let mut bytes = vec![9u8];
        for unit in "1280x960".encode_utf16().chain([0]) {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(properties.set_from_wire(code::IMAGE_SIZE, &bytes), Ok(true));
        assert_eq!(properties.image_size(), (1280, 960));
        assert_eq!(properties.reset(0xFFFF_FFFF).unwrap().len(), 3);
        assert_eq!(properties.image_size(), (640, 480));
    }

    #[test]
    fn date_time_sets_the_clock() {
        let mut properties = Properties::new();
        let mut bytes = vec![16u8];
        for unit in "20200102T030405".encode_utf16().chain([0]) {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(properties.set_from_wire(code::DATE_TIME, &bytes), Ok(true));
        let value = properties.value_bytes(code::DATE_TIME).unwrap();
        let text: String = PtpString::from_wire(&value[1..]).chars().collect();
        assert!(text.starts_with("20200102T0304"), "{text}");
    }
}
