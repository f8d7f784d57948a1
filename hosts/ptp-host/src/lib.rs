//! The host side of the initiator: USB (rusb) and PTP/IP (TCP) transports
//! and a session API over ptp-core's [`Client`](ptp_core::client::Client).
//!
//! Everything on the wire is built and parsed by ptp-core; this crate moves
//! bytes, keeps time, and turns results into owned values and errors that
//! say what to do. Blocking std I/O runs under a tiny executor
//! ([`block_on`]): the same async client code runs on a microcontroller
//! under embassy.
//!
//! ```no_run
//! use ptp_host::{Camera, Options, Target};
//! let mut camera = Camera::open(&Target::PtpIp("192.168.1.10".into()), &Options::default())?;
//! println!("{}", camera.device_info().model.chars().collect::<String>());
//! let mut session = camera.session()?;            // OpenSession; CloseSession on drop
//! for storage in session.storages()? {
//!     for object in session.children(storage.id, ptp_host::objects::ROOT)? {
//!         println!("{} {:?}", object.filename, object.size);
//!     }
//! }
//! # Ok::<(), ptp_host::Error>(())
//! ```
//!
//! | module | what |
//! |---|---|
//! | [`camera`] | connect, DeviceInfo, code set (auto, raw, imposed), events |
//! | [`session`] | the session guard (nested guards share the session) |
//! | [`objects`] | stores, objects, paths |
//! | [`download`] | atomic, verified, resumable downloads |
//! | [`cancel`] | a download cancelled part-way on purpose (a diagnostic) |
//! | [`upload`] | uploads |
//! | [`capture`] | InitiateCapture and its events |
//! | [`status`] | Get Device Status (USB class request 0x67) |
//! | [`values`] | property values from text |
//! | [`tcp`], [`usb`], [`link`] | the transports |
//! | [`guid`] | the PTP/IP GUID kept per user |

pub mod camera;
pub mod cancel;
pub mod capture;
pub mod clock;
pub mod download;
pub mod error;
pub mod guid;
pub mod link;
pub mod objects;
pub mod session;
pub mod sinks;
pub mod status;
pub mod tcp;
pub mod upload;
pub mod usb;
pub mod values;

pub use camera::{Camera, Extension, Options, Target};
pub use embassy_futures::block_on;
pub use error::{Error, ErrorKind, Result};
pub use session::Session;
