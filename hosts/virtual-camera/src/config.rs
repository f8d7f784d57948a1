//! What a server is started with: the directory, the address, the
//! identity, and the time limits that protect it from misbehaving peers.

use crate::Profile;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The default listen address: loopback, the PTP/IP port.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(Ipv4Addr::LOCALHOST),
    ptp_core::ptpip::PORT,
);

/// Time limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// A new connection must send its first init packet within this.
    pub handshake: Duration,
    /// A packet that has started arriving must finish (or make progress)
    /// within this.
    pub stall: Duration,
    /// A write that the peer does not read for this long drops the peer.
    pub write: Duration,
    /// A session with no request for this long is closed (`None`: never,
    /// like a camera on mains power).
    pub idle: Option<Duration>,
    /// How long an `Init Command Request` waits for a closing session to
    /// finish before it is refused as busy.
    pub busy_grace: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            handshake: Duration::from_secs(5),
            stall: Duration::from_secs(10),
            write: Duration::from_secs(10),
            idle: None,
            busy_grace: Duration::from_secs(1),
        }
    }
}

/// The configuration of one server.
#[derive(Clone, Debug)]
pub struct Config {
    /// The directory served as the camera's storage.
    pub dir: PathBuf,
    /// Where to listen.
    pub listen: SocketAddr,
    /// Whether a non-loopback `listen` address is allowed.
    pub allow_remote: bool,
    /// The friendly name sent in Init Command Ack.
    pub name: String,
    /// Vendor extension, manufacturer and model.
    pub profile: Profile,
    /// Time limits against misbehaving peers.
    pub timeouts: Timeouts,
    /// How often the directory is polled for added and removed files.
    pub watch_interval: Duration,
}

impl Config {
    /// A configuration serving `dir` on the default loopback address with
    /// the `generic` profile.
    pub fn new(dir: impl Into<PathBuf>) -> Config {
        Config {
            dir: dir.into(),
            listen: DEFAULT_LISTEN,
            allow_remote: false,
            name: "virtual-camera".to_owned(),
            profile: Profile::Generic,
            timeouts: Timeouts::default(),
            watch_interval: Duration::from_millis(500),
        }
    }
}
