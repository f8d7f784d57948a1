//! What a device serves: one store of objects, read in pieces, with a
//! capture that adds one. [`ObjectServer`](crate::ObjectServer) turns a
//! [`Storage`] into PTP operations; [`FlashStore`](crate::FlashStore) is an
//! example over objects in flash.

use core::fmt;

/// Object format codes used by the examples (PTP 1.1 table 18).
pub mod format {
    /// 0x3000 Undefined (non-image).
    pub const UNDEFINED: u16 = 0x3000;
    /// 0x3004 Text.
    pub const TEXT: u16 = 0x3004;
    /// 0x3801 EXIF/JPEG.
    pub const EXIF_JPEG: u16 = 0x3801;
    /// 0x380B PNG.
    pub const PNG: u16 = 0x380B;
}

/// What the initiator sees of one object (its ObjectInfo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ObjectEntry<'a> {
    /// File name (`IMG_0001.JPG`).
    pub name: &'a str,
    /// Object format code ([`format`]).
    pub format: u16,
    /// Size in bytes.
    pub size: u32,
    /// Capture date as PTP writes it (`20250102T030405`), or empty.
    pub capture_date: &'a str,
}

/// The store as a whole (its StorageInfo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StorageSummary<'a> {
    /// What the store is (`Internal flash`).
    pub description: &'a str,
    /// Capacity in bytes.
    pub capacity: u64,
    /// Free space in bytes.
    pub free_bytes: u64,
    /// How many more captures fit.
    pub free_images: u32,
    /// Whether objects can be deleted.
    pub deletable: bool,
}

/// Why a storage operation failed; each maps to a PTP response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StorageError {
    /// No object has this handle (0x2009 Invalid ObjectHandle).
    InvalidHandle,
    /// No room for another capture (0x200C Store Full).
    Full,
    /// The object cannot be deleted (0x200D Object WriteProtected).
    WriteProtected,
    /// The device cannot capture now (0x2019 Device Busy).
    Busy,
}

impl StorageError {
    /// The PTP response code for this error.
    pub const fn response_code(self) -> u16 {
        match self {
            StorageError::InvalidHandle => 0x2009,
            StorageError::Full => 0x200C,
            StorageError::WriteProtected => 0x200D,
            StorageError::Busy => 0x2019,
        }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StorageError::InvalidHandle => "no object has this handle",
            StorageError::Full => "the store is full",
            StorageError::WriteProtected => "the object is write-protected",
            StorageError::Busy => "the device is busy",
        })
    }
}

impl core::error::Error for StorageError {}

/// A store of objects with handles, read in pieces.
pub trait Storage {
    /// The store as a whole.
    fn summary(&self) -> StorageSummary<'_>;

    /// The handle of the `index`th object (0-based), `None` past the last.
    fn handle_at(&self, index: usize) -> Option<u32>;

    /// The object with `handle`, if there is one.
    fn object(&self, handle: u32) -> Option<ObjectEntry<'_>>;

    /// Copies the object's bytes from `offset` into `buffer`; returns how
    /// many (0 only at the end).
    fn read(&self, handle: u32, offset: u64, buffer: &mut [u8]) -> Result<usize, StorageError>;

    /// Captures a new object; returns its handle.
    fn capture(&mut self) -> Result<u32, StorageError>;

    /// Deletes the object with `handle`.
    fn delete(&mut self, handle: u32) -> Result<(), StorageError>;
}
