//! StorageInfo (PTP 1.1): one store's type, size and free space; the
//! data of GetStorageInfo (0x1005).
//!
//! | field | type |
//! |---|---|
//! | StorageType | `u16` (1 fixed ROM, 2 removable ROM, 3 fixed RAM, 4 removable RAM) |
//! | FilesystemType | `u16` (1 flat, 2 hierarchical, 3 DCF) |
//! | AccessCapability | `u16` (0 read-write, 1 read-only, 2 read-only with deletion) |
//! | MaxCapacity | `u64` bytes |
//! | FreeSpaceInBytes | `u64` |
//! | FreeSpaceInImages | `u32` (0xFFFFFFFF: not used) |
//! | StorageDescription | string |
//! | VolumeLabel | string |

use super::check_buffer;
use crate::error::{DecodeError, EncodeError};
use crate::wire::{PtpString, Reader, Writer};
use core::fmt;

/// A StorageInfo dataset.
///
/// Bytes after VolumeLabel are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StorageInfo<'a> {
    /// StorageType (1 fixed ROM, 2 removable ROM, 3 fixed RAM, 4 removable RAM).
    pub storage_type: u16,
    /// FilesystemType (1 generic flat, 2 generic hierarchical, 3 DCF).
    pub filesystem_type: u16,
    /// AccessCapability (0 read-write, 1 read-only, 2 read-only with deletion).
    pub access_capability: u16,
    /// MaxCapacity, in bytes.
    pub max_capacity: u64,
    /// FreeSpaceInBytes.
    pub free_space_in_bytes: u64,
    /// FreeSpaceInImages; 0xFFFFFFFF when the store does not count images.
    pub free_space_in_images: u32,
    /// StorageDescription.
    pub storage_description: PtpString<'a>,
    /// VolumeLabel.
    pub volume_label: PtpString<'a>,
}

impl<'a> StorageInfo<'a> {
    /// Parses a StorageInfo dataset, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(StorageInfo {
            storage_type: r.u16("StorageInfo.StorageType")?,
            filesystem_type: r.u16("StorageInfo.FilesystemType")?,
            access_capability: r.u16("StorageInfo.AccessCapability")?,
            max_capacity: r.u64("StorageInfo.MaxCapacity")?,
            free_space_in_bytes: r.u64("StorageInfo.FreeSpaceInBytes")?,
            free_space_in_images: r.u32("StorageInfo.FreeSpaceInImages")?,
            storage_description: r.string("StorageInfo.StorageDescription")?,
            volume_label: r.string("StorageInfo.VolumeLabel")?,
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        2 + 2
            + 2
            + 8
            + 8
            + 4
            + self.storage_description.encoded_len()
            + self.volume_label.encoded_len()
    }

    /// Writes the dataset into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(self.storage_type)?;
        w.u16(self.filesystem_type)?;
        w.u16(self.access_capability)?;
        w.u64(self.max_capacity)?;
        w.u64(self.free_space_in_bytes)?;
        w.u32(self.free_space_in_images)?;
        w.string_units(self.storage_description.units())?;
        w.string_units(self.volume_label.units())?;
        Ok(w.position())
    }
}

impl fmt::Display for StorageInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} ({:?}): {} of {} bytes free, type {}, filesystem {}, access {}",
            self.storage_description,
            self.volume_label,
            self.free_space_in_bytes,
            self.max_capacity,
            self.storage_type,
            self.filesystem_type,
            self.access_capability
        )
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::error::DecodeErrorKind;

    /// A removable RAM card, hierarchical, read-write, 64 GB with 32 GB free,
    /// described "SD" with an empty volume label.
    static SD_CARD: [u8; 34] = [
        0x04, 0x00, // StorageType: removable RAM
        0x02, 0x00, // FilesystemType: generic hierarchical
        0x00, 0x00, // AccessCapability: read-write
        0x00, 0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x00, // MaxCapacity 0xF_0000_0000
        0x00, 0x00, 0x00, 0x80, 0x07, 0x00, 0x00, 0x00, // FreeSpaceInBytes 0x7_8000_0000
        0xFF, 0xFF, 0xFF, 0xFF, // FreeSpaceInImages: not used
        0x03, b'S', 0x00, b'D', 0x00, 0x00, 0x00, // StorageDescription "SD"
        0x00, // VolumeLabel ""
    ];

    fn sd_card() -> StorageInfo<'static> {
        StorageInfo {
            storage_type: 4,
            filesystem_type: 2,
            access_capability: 0,
            max_capacity: 0xF_0000_0000,
            free_space_in_bytes: 0x7_8000_0000,
            free_space_in_images: 0xFFFF_FFFF,
            storage_description: PtpString::Str("SD"),
            volume_label: PtpString::EMPTY,
        }
    }

    #[test]
    fn deconstruct() {
        let info = StorageInfo::parse(&SD_CARD).unwrap();
        assert_eq!(info.storage_type, 4);
        assert_eq!(info.filesystem_type, 2);
        assert_eq!(info.access_capability, 0);
        assert_eq!(info.max_capacity, 0xF_0000_0000);
        assert_eq!(info.free_space_in_bytes, 0x7_8000_0000);
        assert_eq!(info.free_space_in_images, u32::MAX);
        assert!(info.storage_description.eq_str("SD"));
        assert!(info.volume_label.is_empty());
    }

    #[test]
    fn parse() {
        assert_eq!(StorageInfo::parse(&SD_CARD), Ok(sd_card()));
    }

    #[test]
    fn emit() {
        let info = sd_card();
        assert_eq!(info.buffer_len(), SD_CARD.len());
        let mut buffer = [0u8; 34];
        assert_eq!(info.emit(&mut buffer), Ok(34));
        assert_eq!(buffer, SD_CARD);
    }

    #[test]
    fn display() {
        assert_eq!(
            sd_card().to_string(),
            "\"SD\" (\"\"): 32212254720 of 64424509440 bytes free, type 4, filesystem 2, access 0"
        );
    }

    #[test]
    fn every_prefix_is_an_error() {
        for len in 0..SD_CARD.len() {
            assert!(StorageInfo::parse(&SD_CARD[..len]).is_err(), "{len}");
        }
        let err = StorageInfo::parse(&SD_CARD[..27]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "StorageInfo.StorageDescription",
                27,
                DecodeErrorKind::Truncated {
                    needed: 6,
                    available: 0
                }
            )
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut bytes = [0u8; 40];
        bytes[..34].copy_from_slice(&SD_CARD);
        assert_eq!(StorageInfo::parse(&bytes), Ok(sd_card()));
    }

    #[test]
    fn buffer_too_small() {
        let mut buffer = [0u8; 33];
        assert_eq!(
            sd_card().emit(&mut buffer),
            Err(EncodeError::BufferTooSmall {
                needed: 34,
                available: 33
            })
        );
    }
}
