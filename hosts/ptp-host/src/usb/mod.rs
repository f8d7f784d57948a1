//! USB still-image (06/01/01) and MTP cameras over libusb (rusb).
//!
//! Everything goes through a [`rusb::Context`] of our own (the global
//! context panics on a machine without USB). [`discovery`] finds cameras,
//! [`open`] detaches the kernel driver and claims the interface, and gives
//! a [`UsbChannel`] for commands and data and a [`UsbEvents`] for the
//! interrupt endpoint; [`class`] sends the class requests and [`status`]
//! reads Get Device Status answers (and what a cancel came to).
//!
//! Transfer rules: bulk reads of at least 256 KiB (small reads cost ten
//! times the throughput), bulk writes of at most 512 KiB (QEMU's usb-mtp
//! aborts on larger ones), a zero-length packet after a transfer whose
//! length is a multiple of wMaxPacketSize, a short packet ending a data
//! container of unknown (over 4 GiB) length.

mod channel;
pub mod class;
pub mod discovery;
mod events;
mod holders;
mod open;
pub mod status;
pub mod transfer;

pub use channel::{CANCEL_WAIT, MAX_WRITE, UsbChannel};
pub use discovery::{Endpoints, UsbCamera};
pub use events::UsbEvents;
pub use open::{context, open};
pub use status::{CancelOutcome, Confirmation, StatusError, StatusReport};
