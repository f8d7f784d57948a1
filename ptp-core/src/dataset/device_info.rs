//! DeviceInfo (PTP 1.1): what a device is and what it supports; the
//! data of GetDeviceInfo (0x1001), answered even outside a session.
//!
//! | field | type |
//! |---|---|
//! | StandardVersion | `u16` (100 = 1.00) |
//! | VendorExtensionID | `u32` |
//! | VendorExtensionVersion | `u16` |
//! | VendorExtensionDesc | string |
//! | FunctionalMode | `u16` |
//! | OperationsSupported | `u16` array |
//! | EventsSupported | `u16` array |
//! | DevicePropertiesSupported | `u16` array |
//! | CaptureFormats | `u16` array |
//! | ImageFormats (playback formats) | `u16` array |
//! | Manufacturer, Model, DeviceVersion, SerialNumber | string |

use super::check_buffer;
use crate::codes::{CodeSet, DeviceIdentity};
use crate::error::{DecodeError, EncodeError};
use crate::wire::{Array, PtpString, Reader, Writer};
use core::fmt;

/// A DeviceInfo dataset.
///
/// Bytes after SerialNumber are accepted and ignored (some devices append
/// vendor data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DeviceInfo<'a> {
    /// StandardVersion: the PTP version in hundredths (100 = 1.00, 110 = 1.1).
    pub standard_version: u16,
    /// VendorExtensionID: the PIMA-assigned vendor id (6 = Microsoft/MTP).
    pub vendor_extension_id: u32,
    /// VendorExtensionVersion, in hundredths.
    pub vendor_extension_version: u16,
    /// VendorExtensionDesc (e.g. `microsoft.com: 1.0; android.com: 1.0;`).
    pub vendor_extension_desc: PtpString<'a>,
    /// FunctionalMode (0 standard, 1 sleep; 0x8000 and up vendor modes).
    pub functional_mode: u16,
    /// OperationsSupported: operation codes.
    pub operations_supported: Array<'a, u16>,
    /// EventsSupported: event codes.
    pub events_supported: Array<'a, u16>,
    /// DevicePropertiesSupported: device property codes.
    pub device_properties_supported: Array<'a, u16>,
    /// CaptureFormats: object formats the device can capture.
    pub capture_formats: Array<'a, u16>,
    /// ImageFormats: object formats the device can play back or store.
    pub playback_formats: Array<'a, u16>,
    /// Manufacturer.
    pub manufacturer: PtpString<'a>,
    /// Model.
    pub model: PtpString<'a>,
    /// DeviceVersion (firmware version).
    pub device_version: PtpString<'a>,
    /// SerialNumber.
    pub serial_number: PtpString<'a>,
}

impl<'a> DeviceInfo<'a> {
    /// Parses a DeviceInfo dataset, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(DeviceInfo {
            standard_version: r.u16("DeviceInfo.StandardVersion")?,
            vendor_extension_id: r.u32("DeviceInfo.VendorExtensionID")?,
            vendor_extension_version: r.u16("DeviceInfo.VendorExtensionVersion")?,
            vendor_extension_desc: r.string("DeviceInfo.VendorExtensionDesc")?,
            functional_mode: r.u16("DeviceInfo.FunctionalMode")?,
            operations_supported: r.array("DeviceInfo.OperationsSupported")?,
            events_supported: r.array("DeviceInfo.EventsSupported")?,
            device_properties_supported: r.array("DeviceInfo.DevicePropertiesSupported")?,
            capture_formats: r.array("DeviceInfo.CaptureFormats")?,
            playback_formats: r.array("DeviceInfo.ImageFormats")?,
            manufacturer: r.string("DeviceInfo.Manufacturer")?,
            model: r.string("DeviceInfo.Model")?,
            device_version: r.string("DeviceInfo.DeviceVersion")?,
            serial_number: r.string("DeviceInfo.SerialNumber")?,
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        2 + 4
            + 2
            + self.vendor_extension_desc.encoded_len()
            + 2
            + self.operations_supported.encoded_len()
            + self.events_supported.encoded_len()
            + self.device_properties_supported.encoded_len()
            + self.capture_formats.encoded_len()
            + self.playback_formats.encoded_len()
            + self.manufacturer.encoded_len()
            + self.model.encoded_len()
            + self.device_version.encoded_len()
            + self.serial_number.encoded_len()
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(self.standard_version)?;
        w.u32(self.vendor_extension_id)?;
        w.u16(self.vendor_extension_version)?;
        w.string_units(self.vendor_extension_desc.units())?;
        w.u16(self.functional_mode)?;
        self.operations_supported.write(&mut w)?;
        self.events_supported.write(&mut w)?;
        self.device_properties_supported.write(&mut w)?;
        self.capture_formats.write(&mut w)?;
        self.playback_formats.write(&mut w)?;
        w.string_units(self.manufacturer.units())?;
        w.string_units(self.model.units())?;
        w.string_units(self.device_version.units())?;
        w.string_units(self.serial_number.units())?;
        Ok(w.position())
    }

    /// Whether OperationsSupported lists `code`.
    pub fn supports_operation(&self, code: u16) -> bool {
        self.operations_supported.contains(code)
    }

    /// The code tables in force for this device ([`CodeSet::detect`]).
    ///
    /// The strings are copied to the stack for detection: the vendor
    /// extension description up to 128 bytes of UTF-8 (Android lists
    /// `android.com` after `microsoft.com`), the others up to 64; longer
    /// strings are cut at a character boundary.
    pub fn code_set(&self) -> CodeSet {
        let desc = truncated::<128>(&self.vendor_extension_desc);
        let manufacturer = truncated::<64>(&self.manufacturer);
        let model = truncated::<64>(&self.model);
        let identity = DeviceIdentity {
            vendor_extension_id: self.vendor_extension_id,
            vendor_extension_desc: &desc,
            manufacturer: &manufacturer,
            model: &model,
        };
        CodeSet::detect(&identity, |code| self.supports_operation(code))
    }
}

/// The characters of `text` that fit `N` bytes of UTF-8.
pub(super) fn truncated<const N: usize>(text: &PtpString<'_>) -> heapless::String<N> {
    let mut out = heapless::String::new();
    for c in text.chars() {
        if out.push(c).is_err() {
            break;
        }
    }
    out
}

impl fmt::Display for DeviceInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} version {} serial {}, PTP {}.{:02}, vendor extension {} v{}.{:02}",
            self.manufacturer,
            self.model,
            self.device_version,
            self.serial_number,
            self.standard_version / 100,
            self.standard_version % 100,
            self.vendor_extension_id,
            self.vendor_extension_version / 100,
            self.vendor_extension_version % 100,
        )?;
        if !self.vendor_extension_desc.is_empty() {
            write!(f, " ({})", self.vendor_extension_desc)?;
        }
        write!(
            f,
            ", {} operations, {} events, {} properties",
            self.operations_supported.len(),
            self.events_supported.len(),
            self.device_properties_supported.len()
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::codes::Vendor;
    use crate::error::DecodeErrorKind;

    /// GetDeviceInfo data of a Canon EOS R6 (DeviceVersion 3-1.5.0), from the
    /// `miniPtp.py` README (its dict shows every field; the serial number is
    /// redacted there and here).
    static EOS_R6: &[u8] = include_bytes!("../../fixtures/canon-eos-r6-device-info.bin");

    static OPERATIONS: [u16; 159] = [
        0x1002, 0x1003, 0x1001, 0x1004, 0x9101, 0x1005, 0x9102, 0x1006, 0x1007, 0x1008, 0x9103,
        0x9170, 0x1009, 0x9104, 0x9171, 0x100A, 0x100F, 0x9106, 0x1014, 0x1016, 0x101B, 0x100C,
        0x100D, 0x9107, 0x9172, 0x912C, 0x9174, 0x9114, 0x9115, 0x9116, 0x9117, 0x9109, 0x9173,
        0x910A, 0x9132, 0x9033, 0x9068, 0x9069, 0x906A, 0x906B, 0x911A, 0x911D, 0x911E, 0x911F,
        0x9122, 0x9123, 0x9124, 0x9131, 0x9133, 0x9134, 0x9135, 0x913C, 0x913E, 0x913F, 0x9140,
        0x9154, 0x9155, 0x9157, 0x9158, 0x9159, 0x915A, 0x915B, 0x9160, 0x906C, 0x906D, 0x906E,
        0x906F, 0x9166, 0x9108, 0x9110, 0x912B, 0x9130, 0x913D, 0x915C, 0x915D, 0x911B, 0x911C,
        0x9153, 0x9128, 0x9129, 0x902F, 0x910C, 0x91F0, 0x9127, 0x91F1, 0x91E1, 0x91E3, 0x91E6,
        0x91E7, 0x91E8, 0x91E9, 0x91EC, 0x9144, 0x9145, 0x91D3, 0x91D4, 0x9136, 0x9137, 0x9146,
        0x916B, 0x916C, 0x9148, 0x9149, 0x914A, 0x910F, 0x914B, 0x9141, 0x9143, 0x100B, 0x9105,
        0x912D, 0x912E, 0x912F, 0x9139, 0x913A, 0x913B, 0x91D7, 0x91D8, 0x91D9, 0x91DA, 0x91DB,
        0x91DC, 0x91DD, 0x91DE, 0x91D5, 0x9186, 0x9187, 0x9188, 0x9180, 0x9181, 0x9182, 0x9183,
        0x9184, 0x9185, 0x9189, 0x918A, 0x9138, 0x9118, 0x914D, 0x914F, 0x9150, 0x916F, 0x916E,
        0x916D, 0x9177, 0x91AE, 0x91AF, 0x91B9, 0x91BA, 0x9077, 0x9078, 0x9079, 0x9178, 0x9179,
        0x9050, 0x9051, 0x905C, 0x905D, 0x9060,
    ];

    static EVENTS: [u16; 19] = [
        0xC181, 0x4003, 0xC183, 0xC184, 0xC185, 0xC186, 0xC187, 0xC188, 0xC189, 0xC18A, 0xC18B,
        0xC18D, 0xC18E, 0xC18F, 0xC190, 0xC191, 0xC1A0, 0xC1A1, 0x4009,
    ];

    static PROPERTIES: [u16; 5] = [0xD402, 0xD407, 0xD406, 0xD303, 0x5001];

    static CAPTURE: [u16; 1] = [0x3801];

    static PLAYBACK: [u16; 12] = [
        0x3001, 0x3002, 0x3006, 0x300A, 0x3008, 0x3801, 0xB101, 0xB103, 0xBF02, 0x3800, 0xB104,
        0xB105,
    ];

    fn eos_r6() -> DeviceInfo<'static> {
        DeviceInfo {
            standard_version: 100,
            vendor_extension_id: 6,
            vendor_extension_version: 100,
            vendor_extension_desc: PtpString::EMPTY,
            functional_mode: 0,
            operations_supported: Array::Slice(&OPERATIONS),
            events_supported: Array::Slice(&EVENTS),
            device_properties_supported: Array::Slice(&PROPERTIES),
            capture_formats: Array::Slice(&CAPTURE),
            playback_formats: Array::Slice(&PLAYBACK),
            manufacturer: PtpString::Str("Canon.Inc"),
            model: PtpString::Str("Canon EOS R6"),
            device_version: PtpString::Str("3-1.5.0"),
            serial_number: PtpString::Str("[redacted]"),
        }
    }

    #[test]
    fn deconstruct() {
        let info = DeviceInfo::parse(EOS_R6).unwrap();
        assert_eq!(info.standard_version, 100);
        assert_eq!(info.vendor_extension_id, 6);
        assert_eq!(info.vendor_extension_version, 100);
        assert!(info.vendor_extension_desc.is_empty());
        assert_eq!(info.functional_mode, 0);
        assert!(info.operations_supported.iter().eq(OPERATIONS));
        assert_eq!(info.operations_supported.len(), 159);
        assert_eq!(info.operations_supported.get(0), Some(0x1002));
        assert_eq!(info.operations_supported.get(158), Some(0x9060));
        assert!(info.events_supported.iter().eq(EVENTS));
        assert!(info.device_properties_supported.iter().eq(PROPERTIES));
        assert!(info.capture_formats.iter().eq(CAPTURE));
        assert!(info.playback_formats.iter().eq(PLAYBACK));
        assert!(info.manufacturer.eq_str("Canon.Inc"));
        assert!(info.model.eq_str("Canon EOS R6"));
        assert!(info.device_version.eq_str("3-1.5.0"));
        assert!(info.serial_number.eq_str("[redacted]"));
    }

    #[test]
    fn parse() {
        assert_eq!(DeviceInfo::parse(EOS_R6), Ok(eos_r6()));
    }

    #[test]
    fn emit() {
        let info = eos_r6();
        assert_eq!(info.buffer_len(), EOS_R6.len());
        let mut buffer = [0u8; 600];
        assert_eq!(info.emit(&mut buffer), Ok(EOS_R6.len()));
        assert_eq!(&buffer[..EOS_R6.len()], EOS_R6);
        // A parsed value re-emits the same bytes.
        let mut again = [0u8; 511];
        assert_eq!(DeviceInfo::parse(EOS_R6).unwrap().emit(&mut again), Ok(511));
        assert_eq!(again, EOS_R6);
    }

    #[test]
    fn code_set_of_eos_r6() {
        let info = DeviceInfo::parse(EOS_R6).unwrap();
        assert!(info.supports_operation(0x9116));
        assert_eq!(
            info.code_set(),
            CodeSet {
                vendor: Vendor::CanonEos,
                mtp: true
            }
        );
        // Without EOS GetEvent it is a PowerShot-style Canon.
        let ops = [0x1001u16, 0x1002];
        let powershot = DeviceInfo {
            operations_supported: Array::Slice(&ops),
            ..eos_r6()
        };
        assert_eq!(powershot.code_set().vendor, Vendor::Canon);
    }

    #[test]
    fn code_set_truncates_long_strings() {
        let long = "Canon.Inc ".repeat(25);
        let info = DeviceInfo {
            manufacturer: PtpString::Str(&long),
            vendor_extension_desc: PtpString::Str(&long),
            ..eos_r6()
        };
        assert_eq!(info.code_set().vendor, Vendor::CanonEos);
        assert_eq!(truncated::<64>(&PtpString::Str(&long)).len(), 64);
        // A multi-byte character that does not fit is left out whole.
        assert_eq!(truncated::<4>(&PtpString::Str("abcé")).as_str(), "abc");
    }

    #[test]
    fn display() {
        let text = eos_r6().to_string();
        assert_eq!(
            text,
            "Canon.Inc Canon EOS R6 version 3-1.5.0 serial [redacted], PTP 1.00, \
             vendor extension 6 v1.00, 159 operations, 19 events, 5 properties"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for len in 0..EOS_R6.len() {
            assert!(DeviceInfo::parse(&EOS_R6[..len]).is_err(), "{len}");
        }
        let err = DeviceInfo::parse(&EOS_R6[..EOS_R6.len() - 1]).unwrap_err();
        assert_eq!(err.field, "DeviceInfo.SerialNumber");
        let err = DeviceInfo::parse(&EOS_R6[..3]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DeviceInfo.VendorExtensionID",
                2,
                DecodeErrorKind::Truncated {
                    needed: 4,
                    available: 1
                }
            )
        );
    }

    #[test]
    fn lying_array_count() {
        let mut bytes = EOS_R6.to_vec();
        // OperationsSupported count at offset 11.
        bytes[11..15].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        let err = DeviceInfo::parse(&bytes).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DeviceInfo.OperationsSupported",
                11,
                DecodeErrorKind::BadLength(0x4000_0000)
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0xAAu8; 520];
        bytes[..511].copy_from_slice(EOS_R6);
        assert_eq!(DeviceInfo::parse(&bytes), Ok(eos_r6()));
    }

    #[test]
    fn buffer_too_small() {
        let mut buffer = [0u8; 510];
        assert_eq!(
            eos_r6().emit(&mut buffer),
            Err(EncodeError::BufferTooSmall {
                needed: 511,
                available: 510
            })
        );
    }

    #[test]
    fn too_long_string_is_refused() {
        let long = "x".repeat(255);
        let info = DeviceInfo {
            model: PtpString::Str(&long),
            ..eos_r6()
        };
        let mut buffer = [0u8; 2048];
        assert_eq!(
            info.emit(&mut buffer),
            Err(EncodeError::StringTooLong { units: 255 })
        );
    }
}
