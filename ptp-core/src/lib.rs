//! # ptp-core
//!
//! A `no_std`, allocation-free, zero-copy codec for the Picture Transfer
//! Protocol (ISO 15740 / PIMA 15740), its MTP extension and PTP/IP (CIPA
//! DC-X005), with sans-IO initiator and responder engines. It does no I/O and
//! reads no clock: bytes and time go in, bytes and events come out.
//!
//! ## The parsing contract
//! Every byte from a device, a network peer or a file is untrusted. In this
//! crate:
//! - no input makes any function panic, loop without bound or allocate (there
//!   is no allocator); the crate forbids `unsafe`;
//! - a buffer that ends too early while framing a container or packet is
//!   [`Status::Incomplete`], which says how many bytes are needed: not an
//!   error;
//! - anything else that is wrong is a typed error ([`DecodeError`]) naming
//!   the field, its byte offset and what was wrong with it;
//! - parsed values borrow the input: strings and arrays are read lazily, as
//!   iterators over the borrowed bytes;
//! - emitters write into a caller's `&mut [u8]` and return the length written,
//!   or [`EncodeError::BufferTooSmall`]; they never write past its end.
//!
//! Every value that can be parsed can also be emitted, and `emit` then
//! `parse` gives back an equal value (tested with property tests).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod buffer;
pub mod client;
pub mod codes;
pub mod container;
pub mod dataset;
pub mod error;
pub mod event;
pub mod framer;
pub mod initiator;
pub mod message;
pub mod ptpip;
pub mod responder;
pub mod wire;

pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use wire::DataType;

/// The outcome of framing bytes that may not all have arrived yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Status<T> {
    /// A whole unit was parsed.
    Complete(T),
    /// More bytes are needed; `needed` is the total the unit takes (at least).
    Incomplete {
        /// Bytes needed in all, counted from the start of the buffer.
        needed: usize,
    },
}
