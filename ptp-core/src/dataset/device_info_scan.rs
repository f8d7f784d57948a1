//! DeviceInfo read as it streams, for picking a device's code tables
//! without holding the dataset.
//!
//! A camera's DeviceInfo runs to several KiB when it lists many
//! properties; knowing who made the device takes far less. A
//! [`DeviceInfoScanner`] is a [`DataSink`] for the data phase of
//! GetDeviceInfo (0x1001): fed the data chunk by chunk, split anywhere, it
//! keeps only
//! - VendorExtensionID,
//! - VendorExtensionDesc (the first 128 bytes of UTF-8), Manufacturer and
//!   Model (the first 64 each), cut at a character boundary exactly as
//!   [`DeviceInfo::code_set`](super::DeviceInfo::code_set) cuts them,
//! - whether OperationsSupported lists each of `N` operation codes the
//!   caller watches, and the Canon EOS GetEvent operation that
//!   [`CodeSet::detect`] asks about,
//!
//! 256 bytes of text and a few words of state in all (under 400 bytes).
//! Every other field is walked by its count or length only.
//!
//! The scan checks what [`DeviceInfo::parse`](super::DeviceInfo::parse)
//! checks, with the same errors (field, offset, kind): a phase that ends
//! inside a field, an array whose count runs past the data, a 255-unit
//! string without a terminator. [`DeviceInfoScanner::finish`] reports
//! them; it gives a [`DeviceInfoSummary`] exactly when `parse` of the whole
//! data would succeed, and then the summary's
//! [`code_set`](DeviceInfoSummary::code_set) is the parsed value's. Bytes
//! after SerialNumber are ignored, as `parse` ignores them.

use crate::client::{DataError, DataSink};
use crate::codes::{CodeSet, DeviceIdentity, canon_eos};
use crate::error::{DecodeError, DecodeErrorKind};

/// The operation [`CodeSet::detect`] asks DeviceInfo about: Canon EOS
/// GetEvent, which tells an EOS body from a PowerShot.
const EOS_GET_EVENT: u16 = canon_eos::Operation::GetEvent.code();

/// Bytes of UTF-8 kept of VendorExtensionDesc (as `DeviceInfo::code_set`).
pub const IDENTITY_DESC_BYTES: usize = 128;
/// Bytes of UTF-8 kept of Manufacturer and of Model (as
/// `DeviceInfo::code_set`).
pub const IDENTITY_NAME_BYTES: usize = 64;

/// How a field is laid out on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    U16,
    U32,
    /// A PTP string: a `u8` unit count, then UTF-16LE units.
    Text,
    /// A `u16` array: a `u32` count, then the codes.
    Codes,
}

impl Shape {
    /// Bytes of the number, or of the count before the body.
    const fn head_len(self) -> u8 {
        match self {
            Shape::U16 => 2,
            Shape::U32 | Shape::Codes => 4,
            Shape::Text => 1,
        }
    }
}

/// The fields of DeviceInfo in wire order, named as `DeviceInfo::parse`
/// names them in its errors.
const FIELDS: [(&str, Shape); 14] = [
    ("DeviceInfo.StandardVersion", Shape::U16),
    ("DeviceInfo.VendorExtensionID", Shape::U32),
    ("DeviceInfo.VendorExtensionVersion", Shape::U16),
    ("DeviceInfo.VendorExtensionDesc", Shape::Text),
    ("DeviceInfo.FunctionalMode", Shape::U16),
    ("DeviceInfo.OperationsSupported", Shape::Codes),
    ("DeviceInfo.EventsSupported", Shape::Codes),
    ("DeviceInfo.DevicePropertiesSupported", Shape::Codes),
    ("DeviceInfo.CaptureFormats", Shape::Codes),
    ("DeviceInfo.ImageFormats", Shape::Codes),
    ("DeviceInfo.Manufacturer", Shape::Text),
    ("DeviceInfo.Model", Shape::Text),
    ("DeviceInfo.DeviceVersion", Shape::Text),
    ("DeviceInfo.SerialNumber", Shape::Text),
];

/// Indexes in [`FIELDS`] of the fields kept.
const VENDOR_EXTENSION_ID: usize = 1;
const VENDOR_EXTENSION_DESC: usize = 3;
const OPERATIONS_SUPPORTED: usize = 5;
const MANUFACTURER: usize = 10;
const MODEL: usize = 11;

/// The part of DeviceInfo a [`DeviceInfoScanner`] keeps: who made the
/// device and which of the watched operations it lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInfoSummary<const N: usize> {
    vendor_extension_id: u32,
    vendor_extension_desc: heapless::String<IDENTITY_DESC_BYTES>,
    manufacturer: heapless::String<IDENTITY_NAME_BYTES>,
    model: heapless::String<IDENTITY_NAME_BYTES>,
    watched: [u16; N],
    listed: [bool; N],
    eos_get_event: bool,
}

impl<const N: usize> DeviceInfoSummary<N> {
    /// Nothing seen yet.
    const fn new(watched: [u16; N]) -> Self {
        DeviceInfoSummary {
            vendor_extension_id: 0,
            vendor_extension_desc: heapless::String::new(),
            manufacturer: heapless::String::new(),
            model: heapless::String::new(),
            watched,
            listed: [false; N],
            eos_get_event: false,
        }
    }

    /// VendorExtensionID.
    pub const fn vendor_extension_id(&self) -> u32 {
        self.vendor_extension_id
    }

    /// VendorExtensionDesc, cut to its first [`IDENTITY_DESC_BYTES`] bytes of
    /// UTF-8 (a character that does not fit is left out whole, with all
    /// after it).
    pub fn vendor_extension_desc(&self) -> &str {
        &self.vendor_extension_desc
    }

    /// Manufacturer, cut to [`IDENTITY_NAME_BYTES`] bytes as the description is.
    pub fn manufacturer(&self) -> &str {
        &self.manufacturer
    }

    /// Model, cut to [`IDENTITY_NAME_BYTES`] bytes as the description is.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Whether OperationsSupported lists `code`: `None` for a code neither
    /// watched nor Canon EOS GetEvent (0x9116, always watched).
    pub fn supports(&self, code: u16) -> Option<bool> {
        if code == EOS_GET_EVENT {
            return Some(self.eos_get_event);
        }
        self.watched
            .iter()
            .zip(self.listed)
            .find(|(watched, _)| **watched == code)
            .map(|(_, listed)| listed)
    }

    /// The kept strings as [`CodeSet::detect`] takes them.
    pub fn identity(&self) -> DeviceIdentity<'_> {
        DeviceIdentity {
            vendor_extension_id: self.vendor_extension_id,
            vendor_extension_desc: &self.vendor_extension_desc,
            manufacturer: &self.manufacturer,
            model: &self.model,
        }
    }

    /// The code tables in force for this device: what
    /// [`DeviceInfo::code_set`](super::DeviceInfo::code_set) gives for the
    /// whole dataset.
    pub fn code_set(&self) -> CodeSet {
        CodeSet::detect(&self.identity(), |code| {
            self.supports(code).unwrap_or(false)
        })
    }

    /// Notes one code of OperationsSupported.
    fn note_operation(&mut self, code: u16) {
        self.eos_get_event |= code == EOS_GET_EVENT;
        for (watched, listed) in self.watched.iter().zip(self.listed.iter_mut()) {
            *listed |= *watched == code;
        }
    }

    /// Keeps one more character of the string field `field`; false when it
    /// does not fit (and is left out).
    fn keep(&mut self, field: usize, c: char) -> bool {
        let pushed = match field {
            VENDOR_EXTENSION_DESC => self.vendor_extension_desc.push(c),
            MANUFACTURER => self.manufacturer.push(c),
            MODEL => self.model.push(c),
            _ => Ok(()),
        };
        pushed.is_ok()
    }
}

/// Where a string's characters stand: UTF-16 decoded as
/// `char::decode_utf16` decodes it, invalid units becoming U+FFFD.
#[derive(Clone, Copy, Debug, Default)]
struct Text {
    /// A NUL was read: the rest of the units are not characters.
    ended: bool,
    /// A leading surrogate waiting for its trailing one.
    high: Option<u16>,
    /// A character did not fit: no more are kept.
    full: bool,
}

/// Where the scanner is within the current field.
#[derive(Clone, Copy, Debug)]
enum Part {
    /// The number, or the count of a string or array: `have` bytes of it so
    /// far, little-endian in `value`.
    Head { value: u32, have: u8 },
    /// A string's units: `left` to go of `count`, `low` the first byte of
    /// a unit cut between chunks.
    Units {
        count: u8,
        left: u8,
        low: Option<u8>,
        text: Text,
    },
    /// An array's codes: `left` bytes to go of `count` codes.
    Codes {
        count: u32,
        left: u64,
        low: Option<u8>,
    },
}

const HEAD: Part = Part::Head { value: 0, have: 0 };

/// A [`DataSink`] that reads DeviceInfo as it streams and keeps a
/// [`DeviceInfoSummary`]; `N` operation codes are watched in
/// OperationsSupported (`DeviceInfoScanner::new([])` when only the code set
/// is wanted).
///
/// Feed it with [`push`](Self::push) or as the sink of a GetDeviceInfo
/// data phase (its `start` begins a new scan), then call
/// [`finish`](Self::finish).
#[derive(Clone, Debug)]
pub struct DeviceInfoScanner<const N: usize> {
    summary: DeviceInfoSummary<N>,
    /// Index in [`FIELDS`] of the field being read; `FIELDS.len()` once
    /// SerialNumber was read.
    field: usize,
    /// Offset of that field in the dataset.
    field_start: usize,
    /// Bytes of the dataset taken so far.
    position: usize,
    part: Part,
    /// What stopped the scan.
    error: Option<DecodeError>,
}

impl<const N: usize> DeviceInfoScanner<N> {
    /// A scanner at the start of a dataset, watching `watched` in
    /// OperationsSupported.
    pub const fn new(watched: [u16; N]) -> Self {
        DeviceInfoScanner {
            summary: DeviceInfoSummary::new(watched),
            field: 0,
            field_start: 0,
            position: 0,
            part: HEAD,
            error: None,
        }
    }

    /// Takes the next bytes of the dataset. Bytes after SerialNumber, or
    /// after an error, are dropped without being looked at.
    pub fn push(&mut self, chunk: &[u8]) {
        let mut rest = chunk;
        while !rest.is_empty() && self.error.is_none() && self.field < FIELDS.len() {
            rest = match self.part {
                Part::Codes { count, left, .. } if self.field != OPERATIONS_SUPPORTED => {
                    self.skip(rest, count, left)
                }
                _ => match rest.split_first() {
                    Some((&byte, tail)) => {
                        self.position = self.position.saturating_add(1);
                        self.take(byte);
                        tail
                    }
                    None => &[],
                },
            };
        }
    }

    /// Whether every field through SerialNumber was read without error.
    pub fn is_complete(&self) -> bool {
        self.error.is_none() && self.field >= FIELDS.len()
    }

    /// The summary, once the data phase has ended: the first error in the
    /// data, or the field the data ended in, as `DeviceInfo::parse` of the
    /// same bytes reports it.
    pub fn finish(self) -> Result<DeviceInfoSummary<N>, DecodeError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some((field, shape)) = FIELDS.get(self.field) else {
            return Ok(self.summary);
        };
        let got = self.position.saturating_sub(self.field_start);
        let (offset, kind) = match self.part {
            Part::Head { .. } => (
                self.field_start,
                DecodeErrorKind::Truncated {
                    needed: usize::from(shape.head_len()),
                    available: got,
                },
            ),
            Part::Units { count, .. } => (
                self.field_start.saturating_add(1),
                DecodeErrorKind::Truncated {
                    needed: usize::from(count) * 2,
                    available: got.saturating_sub(1),
                },
            ),
            Part::Codes { count, .. } => (self.field_start, DecodeErrorKind::BadLength(count)),
        };
        Err(DecodeError {
            field,
            offset,
            kind,
        })
    }

    /// Back to the start of a dataset, watching the same codes.
    fn restart(&mut self) {
        *self = DeviceInfoScanner::new(self.summary.watched);
    }

    /// Skips the codes of an array that is not watched, as many of the
    /// `left` bytes as `chunk` holds.
    fn skip<'c>(&mut self, chunk: &'c [u8], count: u32, left: u64) -> &'c [u8] {
        let taken = usize::try_from(left).map_or(chunk.len(), |left| left.min(chunk.len()));
        self.position = self.position.saturating_add(taken);
        let left = left.saturating_sub(taken as u64);
        match left {
            0 => self.next_field(),
            _ => {
                self.part = Part::Codes {
                    count,
                    left,
                    low: None,
                }
            }
        }
        chunk.get(taken..).unwrap_or(&[])
    }

    /// Takes one byte of the current field.
    fn take(&mut self, byte: u8) {
        let shape = FIELDS
            .get(self.field)
            .map_or(Shape::U16, |(_, shape)| *shape);
        match self.part {
            Part::Head { value, have } => {
                let value = value | u32::from(byte) << (8 * u32::from(have & 3));
                let have = have.saturating_add(1);
                match have < shape.head_len() {
                    true => self.part = Part::Head { value, have },
                    false => self.head_read(shape, value),
                }
            }
            Part::Units {
                count,
                left,
                low: None,
                text,
            } => {
                self.part = Part::Units {
                    count,
                    left,
                    low: Some(byte),
                    text,
                }
            }
            Part::Units {
                count,
                left,
                low: Some(low),
                mut text,
            } => {
                self.unit(&mut text, u16::from_le_bytes([low, byte]));
                match left.saturating_sub(1) {
                    0 => self.string_read(count, text),
                    left => {
                        self.part = Part::Units {
                            count,
                            left,
                            low: None,
                            text,
                        }
                    }
                }
            }
            Part::Codes { count, left, low } => {
                let low = match low {
                    Some(low) => {
                        self.summary.note_operation(u16::from_le_bytes([low, byte]));
                        None
                    }
                    None => Some(byte),
                };
                match left.saturating_sub(1) {
                    0 => self.next_field(),
                    left => self.part = Part::Codes { count, left, low },
                }
            }
        }
    }

    /// The number or count of the current field is in.
    fn head_read(&mut self, shape: Shape, value: u32) {
        match shape {
            Shape::U16 | Shape::U32 => {
                if self.field == VENDOR_EXTENSION_ID {
                    self.summary.vendor_extension_id = value;
                }
                self.next_field();
            }
            Shape::Text => match value.to_le_bytes() {
                [0, ..] => self.next_field(),
                [count, ..] => {
                    self.part = Part::Units {
                        count,
                        left: count,
                        low: None,
                        text: Text::default(),
                    }
                }
            },
            Shape::Codes => match value {
                0 => self.next_field(),
                count => {
                    self.part = Part::Codes {
                        count,
                        left: u64::from(count) * 2,
                        low: None,
                    }
                }
            },
        }
    }

    /// One UTF-16 unit of the current string.
    fn unit(&mut self, text: &mut Text, unit: u16) {
        let kept = matches!(self.field, VENDOR_EXTENSION_DESC | MANUFACTURER | MODEL);
        if text.ended || !kept {
            text.ended |= unit == 0;
            return;
        }
        if unit == 0 {
            self.end_text(text);
            return;
        }
        if let Some(high) = text.high.take() {
            if (0xDC00..=0xDFFF).contains(&unit) {
                let pair = char::decode_utf16([high, unit]).next().and_then(Result::ok);
                self.keep(text, pair.unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            self.keep(text, char::REPLACEMENT_CHARACTER);
        }
        match (0xD800..=0xDBFF).contains(&unit) {
            true => text.high = Some(unit),
            false => self.keep(
                text,
                char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
            ),
        }
    }

    /// The characters of the current string end (a NUL, or its last unit):
    /// a leading surrogate left waiting is U+FFFD.
    fn end_text(&mut self, text: &mut Text) {
        if text.high.take().is_some() {
            self.keep(text, char::REPLACEMENT_CHARACTER);
        }
        text.ended = true;
    }

    /// Keeps a character of the current string, unless one did not fit.
    fn keep(&mut self, text: &mut Text, c: char) {
        if !text.full && !self.summary.keep(self.field, c) {
            text.full = true;
        }
    }

    /// The last unit of the current string is in.
    fn string_read(&mut self, count: u8, mut text: Text) {
        if !text.ended {
            self.end_text(&mut text);
            // 255 units and no terminator: more than a PTP string holds.
            if count == u8::MAX {
                let field = FIELDS
                    .get(self.field)
                    .map_or("DeviceInfo", |(name, _)| name);
                self.error = Some(DecodeError {
                    field,
                    offset: self.field_start,
                    kind: DecodeErrorKind::BadLength(255),
                });
                return;
            }
        }
        self.next_field();
    }

    /// The current field is read: on to the next.
    fn next_field(&mut self) {
        self.field = self.field.saturating_add(1);
        self.field_start = self.position;
        self.part = HEAD;
    }
}

impl<const N: usize> DataSink for DeviceInfoScanner<N> {
    /// A new data phase: the scan starts over.
    fn start(&mut self, _total: Option<u64>) -> Result<(), DataError> {
        self.restart();
        Ok(())
    }

    /// Never refuses data: what is wrong with it is kept for
    /// [`finish`](DeviceInfoScanner::finish), and the rest of the phase is
    /// dropped (no cancellation needed).
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        self.push(chunk);
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::super::device_info::truncated;
    use super::*;
    use crate::codes::Vendor;
    use crate::dataset::DeviceInfo;
    use crate::wire::{Array, PtpString};

    static EOS_R6: &[u8] = include_bytes!("../../fixtures/canon-eos-r6-device-info.bin");

    /// Feeds `bytes` in chunks of `size` (the last may be shorter).
    fn scan<const N: usize>(
        bytes: &[u8],
        size: usize,
        watched: [u16; N],
    ) -> Result<DeviceInfoSummary<N>, DecodeError> {
        let mut scanner = DeviceInfoScanner::new(watched);
        for chunk in bytes.chunks(size.max(1)) {
            scanner.push(chunk);
        }
        scanner.finish()
    }

    /// What the scan must give for `bytes`: the parser's strings, cut as
    /// `code_set` cuts them, and its code set; or its error.
    fn expected(bytes: &[u8]) -> Result<(u32, String, String, String, CodeSet), DecodeError> {
        let info = DeviceInfo::parse(bytes)?;
        Ok((
            info.vendor_extension_id,
            truncated::<IDENTITY_DESC_BYTES>(&info.vendor_extension_desc).to_string(),
            truncated::<IDENTITY_NAME_BYTES>(&info.manufacturer).to_string(),
            truncated::<IDENTITY_NAME_BYTES>(&info.model).to_string(),
            info.code_set(),
        ))
    }

    fn seen<const N: usize>(
        scanned: Result<DeviceInfoSummary<N>, DecodeError>,
    ) -> Result<(u32, String, String, String, CodeSet), DecodeError> {
        scanned.map(|summary| {
            (
                summary.vendor_extension_id(),
                summary.vendor_extension_desc().to_string(),
                summary.manufacturer().to_string(),
                summary.model().to_string(),
                summary.code_set(),
            )
        })
    }

    fn emitted(info: &DeviceInfo<'_>) -> Vec<u8> {
        let mut bytes = vec![0u8; info.buffer_len()];
        assert_eq!(info.emit(&mut bytes), Ok(bytes.len()));
        bytes
    }

    #[test]
    fn eos_r6_in_every_chunk_size() {
        let parsed = DeviceInfo::parse(EOS_R6).unwrap();
        for size in 1..=EOS_R6.len() {
            let summary = scan(EOS_R6, size, [0x1001, 0x9999, 0x9060]).unwrap();
            assert_eq!(summary.vendor_extension_id(), 6, "{size}");
            assert_eq!(summary.vendor_extension_desc(), "", "{size}");
            assert_eq!(summary.manufacturer(), "Canon.Inc", "{size}");
            assert_eq!(summary.model(), "Canon EOS R6", "{size}");
            assert_eq!(summary.supports(0x1001), Some(true), "{size}");
            assert_eq!(summary.supports(0x9060), Some(true), "{size}");
            assert_eq!(summary.supports(0x9999), Some(false), "{size}");
            assert_eq!(summary.supports(0x9116), Some(true), "{size}");
            assert_eq!(summary.supports(0x1002), None, "{size}");
            assert_eq!(summary.code_set(), parsed.code_set(), "{size}");
            assert_eq!(
                summary.code_set(),
                CodeSet {
                    vendor: Vendor::CanonEos,
                    mtp: true
                }
            );
        }
    }

    #[test]
    fn eos_r6_in_uneven_chunks() {
        // Cuts at every pair of offsets: each chunk boundary lands inside
        // every field, unit and code.
        for first in 0..EOS_R6.len() {
            for second in (first..EOS_R6.len()).step_by(37) {
                let mut scanner = DeviceInfoScanner::new([]);
                scanner.push(&EOS_R6[..first]);
                scanner.push(&EOS_R6[first..second]);
                scanner.push(&[]);
                scanner.push(&EOS_R6[second..]);
                assert!(scanner.is_complete());
                assert_eq!(seen(scanner.finish()), expected(EOS_R6), "{first} {second}");
            }
        }
    }

    #[test]
    fn every_prefix_is_the_parsers_error() {
        for len in 0..EOS_R6.len() {
            let prefix = &EOS_R6[..len];
            let scanned = scan(prefix, 7, []);
            assert!(scanned.is_err(), "{len}");
            assert_eq!(seen(scanned), expected(prefix), "{len}");
        }
        let err = scan(&EOS_R6[..3], 1, []).unwrap_err();
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
        let err = scan(&EOS_R6[..EOS_R6.len() - 1], 64, []).unwrap_err();
        assert_eq!(err.field, "DeviceInfo.SerialNumber");
    }

    #[test]
    fn lying_array_count() {
        let mut bytes = EOS_R6.to_vec();
        // OperationsSupported count at offset 11; EventsSupported follows
        // the 159 codes.
        bytes[11..15].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        let err = scan(&bytes, 5, []).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "DeviceInfo.OperationsSupported",
                11,
                DecodeErrorKind::BadLength(0x4000_0000)
            )
        );
        let mut bytes = EOS_R6.to_vec();
        let events = 15 + 2 * 159;
        bytes[events..events + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(seen(scan(&bytes, 3, [])), expected(&bytes));
        assert_eq!(
            scan(&bytes, 3, []).unwrap_err().kind,
            DecodeErrorKind::BadLength(u32::MAX)
        );
    }

    #[test]
    fn unterminated_255_unit_string_is_refused() {
        let long = "M".repeat(254);
        let info = DeviceInfo {
            model: PtpString::Str(&long),
            ..DeviceInfo::parse(EOS_R6).unwrap()
        };
        let mut bytes = emitted(&info);
        // The model's terminator, written over with a 255th character:
        // DeviceVersion (17 bytes) and SerialNumber (23) follow it.
        let model_end = bytes.len() - 17 - 23;
        assert_eq!(bytes[model_end - 2..model_end], [0, 0]);
        bytes[model_end - 2] = b'M';
        let err = scan(&bytes, 11, []).unwrap_err();
        assert_eq!(
            (err.field, err.kind),
            ("DeviceInfo.Model", DecodeErrorKind::BadLength(255))
        );
        assert_eq!(seen(scan(&bytes, 11, [])), expected(&bytes));
        // Terminated, the 254 characters are cut to 64 bytes.
        let summary = scan(&emitted(&info), 2, []).unwrap();
        assert_eq!(summary.model(), &long[..IDENTITY_NAME_BYTES]);
    }

    #[test]
    fn strings_are_cut_as_code_set_cuts_them() {
        let desc = "microsoft.com: 1.0; ".repeat(6) + "android.com: 1.0;";
        let manufacturer = "Ni".to_string() + &"é".repeat(40) + "kon";
        let model = "a😀".repeat(30);
        let info = DeviceInfo {
            vendor_extension_desc: PtpString::Str(&desc),
            manufacturer: PtpString::Str(&manufacturer),
            model: PtpString::Str(&model),
            ..DeviceInfo::parse(EOS_R6).unwrap()
        };
        let bytes = emitted(&info);
        for size in [1, 2, 3, 500] {
            let summary = scan(&bytes, size, []).unwrap();
            assert_eq!(
                summary.vendor_extension_desc(),
                &desc[..IDENTITY_DESC_BYTES]
            );
            assert_eq!(summary.manufacturer(), &manufacturer[..64]);
            // 'a' and the 4-byte emoji: 12 pairs and an 'a' fit 64 bytes.
            assert_eq!(summary.model().len(), 61);
            assert_eq!(seen(Ok(summary)), expected(&bytes));
        }
    }

    #[test]
    fn invalid_utf16_becomes_replacement_characters() {
        // Lone trailing, leading before a letter, leading before the NUL,
        // leading at the very end of the units.
        let units: [&[u16]; 4] = [
            &[0x41, 0xDC00, 0x42, 0],
            &[0xD800, 0x43, 0],
            &[0x44, 0xD801, 0, 0x45],
            &[0x46, 0xDBFF],
        ];
        for units in units {
            let mut bytes = EOS_R6[..6].to_vec();
            bytes.extend_from_slice(&[100, 0]);
            bytes.push(units.len() as u8);
            for unit in units {
                bytes.extend_from_slice(&unit.to_le_bytes());
            }
            let desc_end = 6 + 2 + 1;
            bytes.extend_from_slice(&EOS_R6[desc_end..]);
            let summary = scan(&bytes, 1, []).unwrap();
            let parsed = DeviceInfo::parse(&bytes).unwrap();
            let chars: String = parsed.vendor_extension_desc.chars().collect();
            assert!(chars.contains(char::REPLACEMENT_CHARACTER), "{units:?}");
            assert_eq!(summary.vendor_extension_desc(), chars, "{units:?}");
        }
    }

    #[test]
    fn holds_a_few_hundred_bytes() {
        // 256 bytes of text, the strings' lengths, the error and a few words
        // of state: 376 bytes on a 64-bit host, less with 32-bit `usize`.
        assert!(core::mem::size_of::<DeviceInfoScanner<0>>() <= 384);
        assert!(core::mem::size_of::<DeviceInfoScanner<4>>() <= 400);
    }

    #[test]
    fn code_set_asks_only_about_eos_get_event() {
        let identity = DeviceIdentity {
            vendor_extension_id: 0x0B,
            ..DeviceIdentity::default()
        };
        let asked = core::cell::RefCell::new(Vec::new());
        let found = CodeSet::detect(&identity, |code| {
            asked.borrow_mut().push(code);
            true
        });
        assert_eq!(asked.into_inner(), [EOS_GET_EVENT]);
        assert_eq!(found.vendor, Vendor::CanonEos);
    }

    #[test]
    fn powershot_without_eos_get_event() {
        let ops = [0x1001u16, 0x1002];
        let info = DeviceInfo {
            vendor_extension_id: 0x0B,
            operations_supported: Array::Slice(&ops),
            ..DeviceInfo::parse(EOS_R6).unwrap()
        };
        let summary = scan(&emitted(&info), 4, []).unwrap();
        assert_eq!(summary.supports(EOS_GET_EVENT), Some(false));
        assert_eq!(summary.code_set().vendor, Vendor::Canon);
        assert_eq!(summary.code_set(), info.code_set());
    }

    #[test]
    fn trailing_bytes_are_ignored_and_start_restarts() {
        let mut bytes = EOS_R6.to_vec();
        bytes.extend_from_slice(&[0xFF; 40]);
        assert_eq!(seen(scan(&bytes, 13, [])), expected(EOS_R6));
        let mut scanner = DeviceInfoScanner::new([0x1002]);
        scanner.push(&[1, 2, 3]);
        assert!(!scanner.is_complete());
        assert_eq!(scanner.start(Some(511)), Ok(()));
        scanner.push(EOS_R6);
        assert!(scanner.is_complete());
        assert_eq!(scanner.finish().unwrap().supports(0x1002), Some(true));
    }

    #[test]
    fn arbitrary_bytes_give_the_parsers_answer() {
        // A xorshift stream: headers with small counts now and then, so
        // the scan gets deep into the dataset.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 300) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 4 {
                    0 => 0,
                    1 => 1 + (next() % 4) as u8,
                    _ => next() as u8,
                })
                .collect();
            let size = 1 + (next() % 9) as usize;
            assert_eq!(seen(scan(&bytes, size, [])), expected(&bytes), "{bytes:?}");
        }
    }
}
