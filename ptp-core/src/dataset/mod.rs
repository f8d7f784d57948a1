//! The datasets of PTP 1.1 (ISO 15740:2008) and MTP 1.1, and the payloads of
//! the USB Still Image class requests: parse from borrowed bytes, emit into a
//! caller's buffer.
//!
//! One file per dataset, each with the same shape (smoltcp's `Repr`):
//! - a struct of `pub` fields named after the spec's fields, whose strings are
//!   [`PtpString`]s and arrays [`Array`](crate::wire::Array)s, so the same
//!   type is borrowed from wire bytes when parsed and built from `&str`s and
//!   slices to be emitted;
//! - `parse(bytes)`, which reads and checks everything up front and borrows
//!   the input: iterating a parsed string, array, enumeration or list
//!   afterwards cannot fail;
//! - `buffer_len()`, the exact number of bytes `emit` writes;
//! - `emit(buffer)`, which checks `buffer_len()` against the buffer first
//!   ([`EncodeError::BufferTooSmall`]) and returns the length written. On any
//!   error the buffer's contents are unspecified, but nothing past its end is
//!   written.
//!
//! | dataset | operation | file |
//! |---|---|---|
//! | [`DeviceInfo`] | GetDeviceInfo (0x1001) | `device_info.rs` |
//! | [`DeviceInfoScanner`] (streamed: vendor, identity, watched operations) | GetDeviceInfo (0x1001) | `device_info_scan.rs` |
//! | [`StorageInfo`] | GetStorageInfo (0x1005) | `storage_info.rs` |
//! | [`ObjectInfo`] | GetObjectInfo / SendObjectInfo (0x1008 / 0x100C) | `object_info.rs` |
//! | [`DevicePropDesc`] | GetDevicePropDesc (0x1014) | `device_prop_desc.rs` |
//! | [`StreamInfo`] | GetStreamInfo (0x1024, PTP 1.1) | `stream_info.rs` |
//! | [`ObjectPropDesc`] | GetObjectPropDesc (0x9802, MTP) | `object_prop_desc.rs` |
//! | [`ObjectPropList`] | Get/Set/SendObjectPropList (0x9805 / 0x9806 / 0x9808, MTP) | `object_prop_list.rs` |
//! | [`ExtendedEventData`], [`DeviceStatus`], [`CancelRequest`] | USB class requests 0x65, 0x67, 0x64 | `event_data.rs` |
//! | [`EosEvents`], [`EosScanner`] | Canon EOS GetEvent (0x9116) | `canon_eos_events.rs` |
//!
//! The property forms (range, enumeration and MTP's extra forms) shared by
//! the two property descriptions are in `form.rs`.
//!
//! # Trailing bytes
//! Every parser accepts bytes after the end of its dataset and ignores them:
//! real devices append vendor data to standard datasets, and a responder may
//! pad. A parsed value re-emits without them.
//!
//! # Strings
//! A PTP string holds at most 254 UTF-16 units and a terminator; the reader
//! refuses a longer one ([`crate::DecodeErrorKind::BadLength`]`(255)`).
//! Characters after an embedded NUL are not part of the string.

mod canon_eos_events;
mod device_info;
mod device_info_scan;
mod device_prop_desc;
mod event_data;
mod form;
mod object_info;
mod object_prop_desc;
mod object_prop_list;
mod storage_info;
mod stream_info;

pub use canon_eos_events::{EosEvents, EosRecord, EosRecordStart, EosRecords, EosScanner};
pub use device_info::DeviceInfo;
pub use device_info_scan::{
    DeviceInfoScanner, DeviceInfoSummary, IDENTITY_DESC_BYTES, IDENTITY_NAME_BYTES,
};
pub use device_prop_desc::DevicePropDesc;
pub use event_data::{
    CANCELLATION_CODE, CancelRequest, DeviceStatus, EventParams, EventParamsIter, ExtendedEventData,
};
pub use form::{Form, ObjectPropForm, Values, ValuesIter};
pub use object_info::ObjectInfo;
pub use object_prop_desc::ObjectPropDesc;
pub use object_prop_list::{
    ObjectPropElement, ObjectPropElements, ObjectPropElementsIter, ObjectPropList,
};
pub use storage_info::StorageInfo;
pub use stream_info::StreamInfo;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};

/// The up-front size check of every `emit`.
fn check_buffer(buffer: &[u8], needed: usize) -> Result<(), EncodeError> {
    if buffer.len() < needed {
        return Err(EncodeError::BufferTooSmall {
            needed,
            available: buffer.len(),
        });
    }
    Ok(())
}

/// Bytes between two reader positions, for lazily iterated parts.
fn consumed<'a>(
    before: &'a [u8],
    start: usize,
    end: usize,
    field: &'static str,
) -> Result<&'a [u8], DecodeError> {
    end.checked_sub(start)
        .and_then(|len| before.get(..len))
        .ok_or(DecodeError {
            field,
            offset: start,
            kind: DecodeErrorKind::BadLength(0),
        })
}
