//! The parse/emit contract every dataset of `ptp_core::dataset` keeps.

use ptp_core::dataset::{
    CancelRequest, DeviceInfo, DevicePropDesc, DeviceStatus, ExtendedEventData, ObjectInfo,
    ObjectPropDesc, ObjectPropList, StorageInfo, StreamInfo,
};
use ptp_core::{DecodeError, EncodeError};
use std::fmt::{Debug, Display};

/// A dataset: parsed from borrowed bytes, emitted into a caller's buffer.
pub trait Dataset<'a>: Sized + PartialEq + Debug + Display {
    /// `T::parse`.
    fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError>;
    /// `T::buffer_len`.
    fn buffer_len(&self) -> usize;
    /// `T::emit`.
    fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError>;
}

macro_rules! dataset {
    ($($t:ident $(<$lt:lifetime>)?),* $(,)?) => {$(
        impl<'a> Dataset<'a> for $t $(<$lt>)? {
            fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
                $t::parse(bytes)
            }
            fn buffer_len(&self) -> usize {
                $t::buffer_len(self)
            }
            fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
                $t::emit(self, buffer)
            }
        }
    )*};
}

dataset!(
    StreamInfo,
    CancelRequest,
    DeviceInfo<'a>,
    StorageInfo<'a>,
    ObjectInfo<'a>,
    DevicePropDesc<'a>,
    ObjectPropDesc<'a>,
    ObjectPropList<'a>,
    ExtendedEventData<'a>,
    DeviceStatus<'a>,
);

/// Buffers for [`check`], owned by the caller so the values parsed from
/// them live as long as the one parsed from the fuzz input.
#[derive(Debug, Default)]
pub struct Scratch {
    out: Vec<u8>,
    again: Vec<u8>,
    padded: Vec<u8>,
}

/// Parses `bytes` as `T`; when that succeeds, checks the emit side:
/// - `emit` into a buffer of exactly `buffer_len()` writes that many bytes,
///   and into one byte less is `BufferTooSmall { needed: buffer_len }`;
/// - the emitted bytes parse back to an equal value, which emits the same
///   bytes again (the encoding is canonical after one round);
/// - trailing bytes after the encoding are ignored;
/// - the encoding cut by one byte does not parse.
///
/// Returns the parsed value for target-specific checks; `None` when `bytes`
/// did not parse.
pub fn check<'a, T: Dataset<'a>>(bytes: &'a [u8], scratch: &'a mut Scratch) -> Option<T> {
    let value = T::parse(bytes).ok()?;
    // Display and Debug must not fail or panic on anything parsed.
    let _ = format!("{value} {value:?}");
    let len = value.buffer_len();
    let Scratch { out, again, padded } = scratch;
    out.clear();
    out.resize(len, 0);
    assert_eq!(value.emit(out), Ok(len), "emit of {value:?}");
    if len > 0 {
        let mut short = vec![0u8; len - 1];
        assert_eq!(
            value.emit(&mut short),
            Err(EncodeError::BufferTooSmall {
                needed: len,
                available: len - 1
            }),
            "emit into a buffer one byte short"
        );
    }
    let out: &'a [u8] = out;
    let reparsed = T::parse(out).unwrap_or_else(|e| panic!("{value:?} emitted {out:?}: {e}"));
    assert_eq!(reparsed, value, "emit then parse");
    again.clear();
    again.resize(reparsed.buffer_len(), 0);
    assert_eq!(reparsed.emit(again), Ok(len));
    assert_eq!(again.as_slice(), out, "re-emit is not byte-identical");

    padded.clear();
    padded.extend_from_slice(out);
    padded.extend_from_slice(&[0xA5; 7]);
    let padded: &'a [u8] = padded;
    assert_eq!(
        T::parse(padded).as_ref(),
        Ok(&value),
        "trailing bytes changed the value"
    );
    if let Some((_, cut)) = out.split_last() {
        assert!(
            T::parse(cut).is_err(),
            "{value:?}: its encoding cut by one byte still parses"
        );
    }
    Some(value)
}
