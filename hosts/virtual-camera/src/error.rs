//! The crate's error type: what went wrong when starting or running the
//! server, with what to try.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the virtual camera could not start or stopped.
#[derive(Debug)]
pub enum Error {
    /// The directory to serve is missing or not a directory.
    NotADirectory(PathBuf),
    /// A non-loopback listen address without the flag that allows it.
    NonLoopback(SocketAddr),
    /// The profile name is not known.
    UnknownProfile(String),
    /// The friendly name is empty or longer than a PTP string allows.
    BadName(String),
    /// Binding the listening socket failed.
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The system's error.
        source: io::Error,
    },
    /// Another I/O failure (reading the directory, accepting).
    Io(io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotADirectory(path) => write!(
                f,
                "{} is not a directory; give an existing directory with --dir",
                path.display()
            ),
            Error::NonLoopback(addr) => write!(
                f,
                "{addr} is not a loopback address; pass --allow-remote to serve \
                 other machines (anyone who can reach it can read, upload and delete files)"
            ),
            Error::UnknownProfile(name) => write!(
                f,
                "unknown profile `{name}`; known profiles: {}",
                crate::Profile::NAMES.join(", ")
            ),
            Error::BadName(name) => write!(
                f,
                "friendly name {name:?} must be 1 to 254 UTF-16 units; choose a shorter --name"
            ),
            Error::Bind { addr, source } => write!(
                f,
                "cannot listen on {addr}: {source}; choose another --listen address or port \
                 (port 0 picks a free one)"
            ),
            Error::Io(source) => write!(f, "I/O error: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Bind { source, .. } | Error::Io(source) => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        Error::Io(source)
    }
}
