//! ObjectInfo (PTP 1.1): an object's format, size, place and name;
//! the data of GetObjectInfo (0x1008) and SendObjectInfo (0x100C).
//!
//! | field | type |
//! |---|---|
//! | StorageID | `u32` |
//! | ObjectFormat | `u16` |
//! | ProtectionStatus | `u16` |
//! | ObjectCompressedSize | `u32` (0xFFFFFFFF: 4 GiB or more) |
//! | ThumbFormat | `u16` |
//! | ThumbCompressedSize | `u32` |
//! | ThumbPixWidth, ThumbPixHeight | `u32` |
//! | ImagePixWidth, ImagePixHeight, ImageBitDepth | `u32` |
//! | ParentObject | `u32` (0 or 0xFFFFFFFF: the root) |
//! | AssociationType | `u16` |
//! | AssociationDesc | `u32` |
//! | SequenceNumber | `u32` |
//! | Filename | string |
//! | CaptureDate, ModificationDate | string (`YYYYMMDDThhmmss[.s][Z|±hhmm]`) |
//! | Keywords | string |

use super::check_buffer;
use crate::error::{DecodeError, EncodeError};
use crate::wire::{DateTime, PtpString, Reader, Writer};
use core::fmt;

/// An ObjectInfo dataset.
///
/// The dates are kept as the strings sent (devices send malformed ones);
/// [`capture_date`](Self::capture_date) and
/// [`modification_date`](Self::modification_date) parse them. Bytes after
/// Keywords are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ObjectInfo<'a> {
    /// StorageID: the store holding the object.
    pub storage_id: u32,
    /// ObjectFormat code (0x3001 association, 0x3801 EXIF/JPEG, ...).
    pub object_format: u16,
    /// ProtectionStatus (0 none, 1 read-only; MTP adds 0x8002, 0x8003).
    pub protection_status: u16,
    /// ObjectCompressedSize in bytes; [`Self::SIZE_OVER_4GIB`] when the object
    /// is 4 GiB or larger (ask for the MTP ObjectSize property, a `u64`).
    pub object_compressed_size: u32,
    /// ThumbFormat code (0 when there is no thumbnail).
    pub thumb_format: u16,
    /// ThumbCompressedSize in bytes.
    pub thumb_compressed_size: u32,
    /// ThumbPixWidth.
    pub thumb_pix_width: u32,
    /// ThumbPixHeight.
    pub thumb_pix_height: u32,
    /// ImagePixWidth.
    pub image_pix_width: u32,
    /// ImagePixHeight.
    pub image_pix_height: u32,
    /// ImageBitDepth.
    pub image_bit_depth: u32,
    /// ParentObject: the handle of the association (folder) holding the
    /// object; 0 (or 0xFFFFFFFF on some devices) for the root.
    pub parent_object: u32,
    /// AssociationType (0 none, 1 generic folder, ...) for associations.
    pub association_type: u16,
    /// AssociationDesc, whose meaning depends on AssociationType.
    pub association_desc: u32,
    /// SequenceNumber within a sequence association.
    pub sequence_number: u32,
    /// Filename.
    pub filename: PtpString<'a>,
    /// CaptureDate, as sent.
    pub capture_date: PtpString<'a>,
    /// ModificationDate, as sent.
    pub modification_date: PtpString<'a>,
    /// Keywords.
    pub keywords: PtpString<'a>,
}

impl<'a> ObjectInfo<'a> {
    /// ObjectCompressedSize of an object of 4 GiB or more.
    pub const SIZE_OVER_4GIB: u32 = 0xFFFF_FFFF;

    /// The object format code of an association (a folder).
    pub const ASSOCIATION_FORMAT: u16 = 0x3001;

    /// Parses an ObjectInfo dataset, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(ObjectInfo {
            storage_id: r.u32("ObjectInfo.StorageID")?,
            object_format: r.u16("ObjectInfo.ObjectFormat")?,
            protection_status: r.u16("ObjectInfo.ProtectionStatus")?,
            object_compressed_size: r.u32("ObjectInfo.ObjectCompressedSize")?,
            thumb_format: r.u16("ObjectInfo.ThumbFormat")?,
            thumb_compressed_size: r.u32("ObjectInfo.ThumbCompressedSize")?,
            thumb_pix_width: r.u32("ObjectInfo.ThumbPixWidth")?,
            thumb_pix_height: r.u32("ObjectInfo.ThumbPixHeight")?,
            image_pix_width: r.u32("ObjectInfo.ImagePixWidth")?,
            image_pix_height: r.u32("ObjectInfo.ImagePixHeight")?,
            image_bit_depth: r.u32("ObjectInfo.ImageBitDepth")?,
            parent_object: r.u32("ObjectInfo.ParentObject")?,
            association_type: r.u16("ObjectInfo.AssociationType")?,
            association_desc: r.u32("ObjectInfo.AssociationDesc")?,
            sequence_number: r.u32("ObjectInfo.SequenceNumber")?,
            filename: r.string("ObjectInfo.Filename")?,
            capture_date: r.string("ObjectInfo.CaptureDate")?,
            modification_date: r.string("ObjectInfo.ModificationDate")?,
            keywords: r.string("ObjectInfo.Keywords")?,
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        // Fifteen fixed fields: four u16 and eleven u32.
        52 + self.filename.encoded_len()
            + self.capture_date.encoded_len()
            + self.modification_date.encoded_len()
            + self.keywords.encoded_len()
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u32(self.storage_id)?;
        w.u16(self.object_format)?;
        w.u16(self.protection_status)?;
        w.u32(self.object_compressed_size)?;
        w.u16(self.thumb_format)?;
        w.u32(self.thumb_compressed_size)?;
        w.u32(self.thumb_pix_width)?;
        w.u32(self.thumb_pix_height)?;
        w.u32(self.image_pix_width)?;
        w.u32(self.image_pix_height)?;
        w.u32(self.image_bit_depth)?;
        w.u32(self.parent_object)?;
        w.u16(self.association_type)?;
        w.u32(self.association_desc)?;
        w.u32(self.sequence_number)?;
        w.string_units(self.filename.units())?;
        w.string_units(self.capture_date.units())?;
        w.string_units(self.modification_date.units())?;
        w.string_units(self.keywords.units())?;
        Ok(w.position())
    }

    /// CaptureDate, if it is a valid PTP date-time.
    pub fn capture_date(&self) -> Option<DateTime> {
        DateTime::parse(&self.capture_date)
    }

    /// ModificationDate, if it is a valid PTP date-time.
    pub fn modification_date(&self) -> Option<DateTime> {
        DateTime::parse(&self.modification_date)
    }

    /// ObjectCompressedSize, or `None` when it says the object is 4 GiB or
    /// larger (the size must then be learned some other way).
    pub const fn compressed_size(&self) -> Option<u32> {
        if self.object_compressed_size == Self::SIZE_OVER_4GIB {
            None
        } else {
            Some(self.object_compressed_size)
        }
    }

    /// Whether the object is an association (a folder or another grouping).
    pub const fn is_association(&self) -> bool {
        self.object_format == Self::ASSOCIATION_FORMAT
    }
}

impl fmt::Display for ObjectInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}: format 0x{:04X}, ",
            self.filename, self.object_format
        )?;
        match self.compressed_size() {
            Some(size) => write!(f, "{size} bytes")?,
            None => f.write_str("4 GiB or more")?,
        }
        write!(
            f,
            ", storage 0x{:08X}, parent 0x{:08X}",
            self.storage_id, self.parent_object
        )?;
        if self.image_pix_width != 0 || self.image_pix_height != 0 {
            write!(f, ", {}x{}", self.image_pix_width, self.image_pix_height)?;
        }
        if !self.capture_date.is_empty() {
            write!(f, ", captured {}", self.capture_date)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::error::DecodeErrorKind;
    use crate::wire::UtcOffset;

    /// A 6000x4000 JPEG with a 160x120 JFIF thumbnail, in folder 5 of store
    /// 0x00010001.
    static JPEG: [u8; 160] = [
        0x01, 0x00, 0x01, 0x00, // StorageID 0x00010001
        0x01, 0x38, // ObjectFormat: EXIF/JPEG
        0x00, 0x00, // ProtectionStatus: none
        0x80, 0x8D, 0x5B, 0x00, // ObjectCompressedSize 6_000_000
        0x08, 0x38, // ThumbFormat: JFIF
        0x40, 0x1F, 0x00, 0x00, // ThumbCompressedSize 8000
        0xA0, 0x00, 0x00, 0x00, // ThumbPixWidth 160
        0x78, 0x00, 0x00, 0x00, // ThumbPixHeight 120
        0x70, 0x17, 0x00, 0x00, // ImagePixWidth 6000
        0xA0, 0x0F, 0x00, 0x00, // ImagePixHeight 4000
        0x18, 0x00, 0x00, 0x00, // ImageBitDepth 24
        0x05, 0x00, 0x00, 0x00, // ParentObject 5
        0x00, 0x00, // AssociationType: none
        0x00, 0x00, 0x00, 0x00, // AssociationDesc
        0x00, 0x00, 0x00, 0x00, // SequenceNumber
        // Filename "IMG_0001.JPG"
        0x0D, 0x49, 0x00, 0x4D, 0x00, 0x47, 0x00, 0x5F, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00,
        0x31, 0x00, 0x2E, 0x00, 0x4A, 0x00, 0x50, 0x00, 0x47, 0x00, 0x00, 0x00,
        // CaptureDate "20261121T134502"
        0x10, 0x32, 0x00, 0x30, 0x00, 0x32, 0x00, 0x36, 0x00, 0x31, 0x00, 0x31, 0x00, 0x32, 0x00,
        0x31, 0x00, 0x54, 0x00, 0x31, 0x00, 0x33, 0x00, 0x34, 0x00, 0x35, 0x00, 0x30, 0x00, 0x32,
        0x00, 0x00, 0x00, // ModificationDate "20261121T134502.5+0100"
        0x17, 0x32, 0x00, 0x30, 0x00, 0x32, 0x00, 0x36, 0x00, 0x31, 0x00, 0x31, 0x00, 0x32, 0x00,
        0x31, 0x00, 0x54, 0x00, 0x31, 0x00, 0x33, 0x00, 0x34, 0x00, 0x35, 0x00, 0x30, 0x00, 0x32,
        0x00, 0x2E, 0x00, 0x35, 0x00, 0x2B, 0x00, 0x30, 0x00, 0x31, 0x00, 0x30, 0x00, 0x30, 0x00,
        0x00, 0x00, //
        0x00, // Keywords ""
    ];

    fn jpeg() -> ObjectInfo<'static> {
        ObjectInfo {
            storage_id: 0x0001_0001,
            object_format: 0x3801,
            protection_status: 0,
            object_compressed_size: 6_000_000,
            thumb_format: 0x3808,
            thumb_compressed_size: 8000,
            thumb_pix_width: 160,
            thumb_pix_height: 120,
            image_pix_width: 6000,
            image_pix_height: 4000,
            image_bit_depth: 24,
            parent_object: 5,
            association_type: 0,
            association_desc: 0,
            sequence_number: 0,
            filename: PtpString::Str("IMG_0001.JPG"),
            capture_date: PtpString::Str("20261121T134502"),
            modification_date: PtpString::Str("20261121T134502.5+0100"),
            keywords: PtpString::EMPTY,
        }
    }

    #[test]
    fn deconstruct() {
        let info = ObjectInfo::parse(&JPEG).unwrap();
        assert_eq!(info.storage_id, 0x0001_0001);
        assert_eq!(info.object_format, 0x3801);
        assert_eq!(info.protection_status, 0);
        assert_eq!(info.object_compressed_size, 6_000_000);
        assert_eq!(info.compressed_size(), Some(6_000_000));
        assert_eq!(info.thumb_format, 0x3808);
        assert_eq!(info.thumb_compressed_size, 8000);
        assert_eq!((info.thumb_pix_width, info.thumb_pix_height), (160, 120));
        assert_eq!((info.image_pix_width, info.image_pix_height), (6000, 4000));
        assert_eq!(info.image_bit_depth, 24);
        assert_eq!(info.parent_object, 5);
        assert_eq!(info.association_type, 0);
        assert_eq!(info.association_desc, 0);
        assert_eq!(info.sequence_number, 0);
        assert!(info.filename.eq_str("IMG_0001.JPG"));
        assert!(info.keywords.is_empty());
        assert!(!info.is_association());
        let captured = info.capture_date().unwrap();
        assert_eq!(
            (captured.year, captured.month, captured.day),
            (2026, 11, 21)
        );
        assert_eq!(
            (captured.hour, captured.minute, captured.second),
            (13, 45, 2)
        );
        assert_eq!(captured.offset, None);
        let modified = info.modification_date().unwrap();
        assert_eq!(modified.tenths, Some(5));
        assert_eq!(modified.offset, Some(UtcOffset::Minutes(60)));
    }

    #[test]
    fn parse() {
        assert_eq!(ObjectInfo::parse(&JPEG), Ok(jpeg()));
    }

    #[test]
    fn emit() {
        let info = jpeg();
        assert_eq!(info.buffer_len(), JPEG.len());
        let mut buffer = [0u8; 160];
        assert_eq!(info.emit(&mut buffer), Ok(160));
        assert_eq!(buffer, JPEG);
    }

    #[test]
    fn large_object_and_bad_dates() {
        let info = ObjectInfo {
            object_compressed_size: ObjectInfo::SIZE_OVER_4GIB,
            capture_date: PtpString::Str("yesterday"),
            modification_date: PtpString::EMPTY,
            ..jpeg()
        };
        assert_eq!(info.compressed_size(), None);
        assert_eq!(info.capture_date(), None);
        assert_eq!(info.modification_date(), None);
        assert!(info.to_string().contains("4 GiB or more"));
    }

    #[test]
    fn display() {
        assert_eq!(
            jpeg().to_string(),
            "\"IMG_0001.JPG\": format 0x3801, 6000000 bytes, storage 0x00010001, \
             parent 0x00000005, 6000x4000, captured 20261121T134502"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for len in 0..JPEG.len() {
            assert!(ObjectInfo::parse(&JPEG[..len]).is_err(), "{len}");
        }
        let err = ObjectInfo::parse(&JPEG[..JPEG.len() - 1]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ObjectInfo.Keywords",
                159,
                DecodeErrorKind::Truncated {
                    needed: 1,
                    available: 0
                }
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0xEEu8; 170];
        bytes[..160].copy_from_slice(&JPEG);
        assert_eq!(ObjectInfo::parse(&bytes), Ok(jpeg()));
    }

    #[test]
    fn buffer_too_small() {
        let mut buffer = [0u8; 100];
        assert_eq!(
            jpeg().emit(&mut buffer),
            Err(EncodeError::BufferTooSmall {
                needed: 160,
                available: 100
            })
        );
    }
}
