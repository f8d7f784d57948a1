//! The camera trigger: on a [`TriggerSource`] (a GPIO edge or an interval),
//! open a session on the camera, release its shutter the way its vendor
//! wants ([`Release`]), wait for the events that say the picture is there,
//! and report it; after a disconnect, connect again.
//!
//! Everything here drives ptp-core's initiator client over a `Channel`:
//! - USB host: [`usb_host`] (embassy-usb-host pipes);
//! - PTP/IP over TCP (feature `ptpip`): ptp-core's `StreamChannel` on an
//!   embassy-net socket wrapped in a `TimedStream`, after ptp-core's
//!   `ptpip_init` handshake.
//!
//! The boards only connect the transport and call [`Camera::open`] and
//! [`Camera::capture`]; this module is tested on the host against the
//! virtual camera (PTP/IP on loopback) and against this crate's own device
//! class (USB, through the driver double).

mod camera;
mod clock;
mod command;
#[cfg(feature = "ptpip")]
pub mod ptpip;
mod release;
mod runner;
mod source;
pub mod still_image_interface;
#[cfg(feature = "ptpip")]
mod timed_stream;
pub mod usb_host;

pub use camera::{Camera, Capture, EOS_POLL_MS, TriggerError};
pub use clock::EmbassyClock;
pub use release::{Progress, Release};
pub use runner::{Buffers, Connector, Report, Settings, run};
pub use source::{FallingEdge, Interval, TriggerSource};
#[cfg(feature = "ptpip")]
pub use timed_stream::{TimedError, TimedStream};
