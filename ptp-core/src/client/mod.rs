//! An async initiator driver over any transport: the same code drives a
//! camera from a PC (USB over libusb, PTP/IP over a TCP socket) and from a
//! microcontroller (embassy-usb-host, embassy-net).
//!
//! It is `no_std`, allocates nothing and owns no buffer of its own: the
//! caller gives it one receive buffer, and data phases stream through it
//! chunk by chunk into a [`DataSink`] or out of a [`DataSource`], so no
//! object is ever held whole.
//!
//! ## Shape
//! - [`Channel`]: the transport, four calls. `write` appends bytes to the
//!   current transfer, `end_transfer` closes it (USB: a zero-length packet
//!   when its length is a multiple of wMaxPacketSize; PTP/IP: flush),
//!   `read` returns a [`Chunk`] (USB: one bulk transfer, `end_of_transfer`
//!   on a short packet), `cancel` sends a cancel request. Reads wait a
//!   bounded time: an empty chunk means nothing arrived yet, and the
//!   client's timeout decides when to give up.
//! - [`StreamChannel`]: a `Channel` over any `embedded_io_async::Read +
//!   Write` byte stream (PTP/IP over TCP on the host, embassy-net on an
//!   MCU). [`ptpip_init`] does the PTP/IP handshake on such streams.
//! - [`Clock`]: milliseconds from any monotonic origin, for timeouts.
//! - [`Client`]: drives [`Initiator`](crate::initiator::Initiator) over a
//!   channel: [`Client::transaction`] for any operation, and a typed method
//!   for every standard PTP 1.1 operation (`operations.rs`) and the MTP
//!   object-property operations (`mtp.rs`).
//! - [`EventReader`]: events from the event channel (USB interrupt
//!   endpoint, PTP/IP event connection), with timeouts; it answers probes.
//!
//! ## Call order
//! 1. Build the channel (after the PTP/IP handshake, or once the USB
//!    interface is claimed) and `Client::new(channel, clock, buffer)`.
//! 2. `get_device_info` works without a session; `open_session` then any
//!    operation; `close_session`.
//! 3. A failed sink or source, or a timeout, cancels the transaction in
//!    progress; the client is ready for the next one when the call returns.
#![allow(async_fn_in_trait)]

mod channel;
mod data;
mod error;
mod events;
mod mtp;
mod operations;
#[cfg(feature = "ptpip")]
pub mod ptpip_init;
#[cfg(feature = "ptpip")]
mod stream;
mod transaction;

pub use channel::{Channel, Chunk, Clock};
pub use data::{
    DataError, DataSink, DataSource, Discard, EmitSource, NoData, SliceSink, SliceSource,
};
pub use error::ClientError;
pub use events::{EventError, EventReader};
pub use operations::NewObject;
#[cfg(feature = "ptpip")]
pub use stream::{StreamChannel, StreamError};
pub use transaction::{Client, Response};

#[cfg(test)]
mod test;
