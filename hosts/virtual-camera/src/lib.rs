//! A virtual camera: serves a directory over PTP/IP with ptp-core's
//! responder engine, as a real camera would, so that real initiators
//! (gphoto2, `ptpctl`) can list, download, upload, delete and capture.
//!
//! Every byte on the wire is built and parsed by `ptp-core` (packets,
//! datasets, events); this crate only does the I/O, the threads and the
//! mapping of a directory onto PTP objects.
//!
//! # Shape
//! - [`Server::bind`] listens (loopback by default) and scans the directory;
//!   [`Server::run`] serves until stopped, [`Server::spawn`] does it on a
//!   background thread and returns a [`RunningServer`] to stop it.
//! - One initiator at a time, as a camera does: a second `Init Command
//!   Request` while a session is live is answered `Init Fail` with reason
//!   *busy* (2), after a short grace period in which a closing initiator may
//!   finish leaving. Initiators one after another are all served.
//! - A session is two TCP connections: commands and data run the responder
//!   engine ([`camera::Camera`] is its [`ptp_core::responder::Handler`]);
//!   events (ObjectAdded, ObjectRemoved, DevicePropChanged,
//!   CaptureComplete) go out on the event connection.
//! - A poll of the directory (every [`Config::watch_interval`]) turns files
//!   that appear or vanish into ObjectAdded / ObjectRemoved events.
//!
//! # Robustness
//! Malformed peers are dropped with a log line on standard error, never a
//! panic: packets are framed by `ptp-core`, no packet other than a data
//! payload (which is streamed) may exceed [`connection::MAX_PACKET_LEN`], a
//! partial packet that stalls, a peer that stops reading and a handshake
//! that never comes all time out ([`Timeouts`]), and at most
//! [`server::MAX_PENDING_HANDSHAKES`] connections may be in their handshake
//! at once.
//!
//! The command line (`ptpctl serve`) is in [`cli`].

pub mod camera;
pub mod capture;
pub mod cli;
pub mod clock;
pub mod config;
pub mod connection;
pub mod device_info;
pub mod error;
pub mod event_channel;
pub mod formats;
pub mod jpeg;
pub mod log;
pub mod names;
pub mod object_info;
pub mod objects;
pub mod profile;
pub mod properties;
pub mod server;
pub mod state;
pub mod storage;
pub mod thumbnail;
pub mod upload;
pub mod watcher;

pub use config::{Config, Timeouts};
pub use error::Error;
pub use profile::Profile;
pub use server::{RunningServer, Server};
