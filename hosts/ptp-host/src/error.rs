//! Errors of the host library: each says what went wrong and what to try.

use crate::usb::StatusError;
use ptp_core::client::ptpip_init::InitError;
use ptp_core::client::{ClientError, DataError};
use ptp_core::codes::{CodeSet, Kind};
use ptp_core::initiator::InitiatorError;
use ptp_core::{DecodeError, EncodeError};
use std::fmt;
use std::io;
use std::path::PathBuf;

/// A transport failure on an open connection.
#[derive(Debug)]
pub enum TransportError {
    /// A socket failed.
    Io(io::Error),
    /// The peer closed the connection.
    Closed,
    /// A USB transfer failed.
    Usb(rusb::Error),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Io(error) => write!(f, "{error}"),
            TransportError::Closed => f.write_str("the camera closed the connection"),
            TransportError::Usb(rusb::Error::NoDevice) => {
                f.write_str("the USB device is gone (unplugged or reset)")
            }
            TransportError::Usb(error) => write!(f, "USB transfer failed: {error}"),
        }
    }
}

impl std::error::Error for TransportError {}

/// What kind of failure an [`Error`] is (`ptpctl` maps these to exit codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input from the user (a path, a value, a code name).
    Usage,
    /// No camera, or it could not be reached or opened.
    Connection,
    /// Not allowed to open the device.
    Permission,
    /// The camera answered with an error response.
    Refused,
    /// The camera broke the protocol, or the connection failed mid-way.
    Protocol,
    /// The camera did not answer in time.
    Timeout,
    /// A local file could not be read or written.
    File,
    /// The object, storage or property does not exist.
    NotFound,
}

/// An error of the host library.
#[derive(Debug)]
pub enum Error {
    /// The transport failed mid-way.
    Transport(TransportError),
    /// A TCP connection could not be made.
    Connect {
        /// Where to.
        target: String,
        /// Why.
        error: io::Error,
    },
    /// The PTP/IP handshake failed.
    Handshake {
        /// Where to.
        target: String,
        /// Why.
        error: InitError<io::Error>,
    },
    /// USB is not usable on this machine.
    UsbUnavailable(rusb::Error),
    /// No camera was found, or not the one asked for.
    NoDevice(String),
    /// Several cameras and none chosen.
    SeveralDevices(Vec<String>),
    /// Not allowed to open the device node.
    PermissionDenied {
        /// The device (`BUS:ADDR`).
        device: String,
        /// Its device node.
        node: String,
    },
    /// Another program holds the device.
    DeviceBusy {
        /// The device (`BUS:ADDR`).
        device: String,
        /// Programs that have it open (`pid name`), when they could be found.
        holders: Vec<String>,
    },
    /// A USB call failed while setting up.
    Usb {
        /// What was being done.
        doing: &'static str,
        /// The libusb error.
        error: rusb::Error,
    },
    /// The camera answered an operation with an error response.
    Response {
        /// The operation code.
        operation: u16,
        /// Its name for this camera.
        operation_name: Option<&'static str>,
        /// The response code.
        code: u16,
        /// Its name for this camera.
        code_name: Option<&'static str>,
    },
    /// The exchange broke the protocol.
    Protocol(InitiatorError),
    /// The camera stopped answering.
    Timeout {
        /// The transaction.
        transaction_id: u32,
    },
    /// A dataset from the camera is malformed.
    Decode(DecodeError),
    /// Something could not be encoded.
    Encode(EncodeError),
    /// A data phase was stopped (a bounded buffer overflowed, a source ended).
    Data(DataError),
    /// A reply larger than the receive buffer.
    TooLarge {
        /// Bytes it needs.
        needed: usize,
        /// The buffer.
        available: usize,
    },
    /// A local file failed.
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A download's length differs from what the camera announced.
    SizeMismatch {
        /// The file.
        path: PathBuf,
        /// Announced.
        expected: u64,
        /// Received.
        got: u64,
    },
    /// Get Device Status (USB class request 0x67) gave no status.
    DeviceStatus(StatusError),
    /// A USB class request was asked of a camera on PTP/IP.
    UsbOnly(&'static str),
    /// A USB Cancel (class request 0x64) failed, or the device never said
    /// it was ready after it.
    CancelFailed(rusb::Error),
    /// An object, storage, path or property was not found.
    NotFound(String),
    /// The camera does not support an operation that is needed.
    Unsupported(String),
    /// Bad input.
    Invalid(String),
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) | Error::UsbOnly(_) => ErrorKind::Usage,
            Error::Connect { .. }
            | Error::Handshake { .. }
            | Error::UsbUnavailable(_)
            | Error::NoDevice(_)
            | Error::SeveralDevices(_)
            | Error::DeviceBusy { .. }
            | Error::Usb { .. } => ErrorKind::Connection,
            Error::PermissionDenied { .. } => ErrorKind::Permission,
            Error::Response { .. } | Error::Unsupported(_) => ErrorKind::Refused,
            Error::Transport(_)
            | Error::Protocol(_)
            | Error::Decode(_)
            | Error::Encode(_)
            | Error::Data(_)
            | Error::TooLarge { .. }
            | Error::SizeMismatch { .. } => ErrorKind::Protocol,
            Error::DeviceStatus(StatusError::Usb(rusb::Error::Timeout))
            | Error::CancelFailed(rusb::Error::Timeout)
            | Error::Timeout { .. } => ErrorKind::Timeout,
            Error::DeviceStatus(StatusError::Usb(rusb::Error::NoDevice))
            | Error::CancelFailed(rusb::Error::NoDevice) => ErrorKind::Connection,
            Error::DeviceStatus(_) | Error::CancelFailed(_) => ErrorKind::Protocol,
            Error::File { .. } => ErrorKind::File,
            Error::NotFound(_) => ErrorKind::NotFound,
        }
    }

    /// A client error, with operation and response codes named for the
    /// camera's code set.
    pub fn from_client(error: ClientError<TransportError>, codes: CodeSet) -> Error {
        match error {
            ClientError::Channel(error) => Error::Transport(error),
            ClientError::Protocol(InitiatorError::Timeout { transaction_id }) => {
                Error::Timeout { transaction_id }
            }
            ClientError::Protocol(error) => Error::Protocol(error),
            ClientError::Response { operation, code } => Error::Response {
                operation,
                operation_name: codes.name(Kind::Operation, u32::from(operation)),
                code,
                code_name: codes.name(Kind::Response, u32::from(code)),
            },
            ClientError::Sink(error) | ClientError::Source(error) => Error::Data(error),
            ClientError::Decode(error) => Error::Decode(error),
            ClientError::Encode(error) => Error::Encode(error),
            ClientError::BufferTooSmall { needed, available } => {
                Error::TooLarge { needed, available }
            }
        }
    }

    /// A file error.
    pub fn file(path: impl Into<PathBuf>, error: io::Error) -> Error {
        Error::File {
            path: path.into(),
            error,
        }
    }
}

fn named(f: &mut fmt::Formatter<'_>, code: u16, name: Option<&str>) -> fmt::Result {
    match name {
        Some(name) => write!(f, "{name} (0x{code:04X})"),
        None => write!(f, "0x{code:04X}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(
                f,
                "connection to the camera failed: {error}; check the cable or network and retry"
            ),
            Error::Connect { target, error } => write!(
                f,
                "cannot connect to {target}: {error}; is the camera (or `ptpctl serve`) \
                 listening there, and is the address right?"
            ),
            Error::Handshake { target, error } => match error {
                InitError::Refused(reason) => write!(
                    f,
                    "{target} refused the PTP/IP connection: {reason}; close the other \
                     program connected to it, or accept this computer on the camera"
                ),
                InitError::Io(io) if is_timeout(io) => write!(
                    f,
                    "{target} accepted the connection but did not answer the PTP/IP \
                     handshake; is it a PTP/IP camera (port 15740)?"
                ),
                other => write!(f, "PTP/IP handshake with {target} failed: {other}"),
            },
            Error::UsbUnavailable(error) => write!(
                f,
                "USB is not available on this machine ({error}); use --ip HOST to reach a \
                 camera over the network"
            ),
            Error::NoDevice(detail) => write!(
                f,
                "{detail}; connect the camera, switch it on and set its USB mode to \
                 PTP/MTP (`ptpctl list` shows what is found), or use --ip HOST"
            ),
            Error::SeveralDevices(list) => write!(
                f,
                "several cameras found ({}); choose one with --usb BUS:ADDR",
                list.join(", ")
            ),
            Error::PermissionDenied { device, node } => write!(
                f,
                "permission denied opening USB device {device} ({node}); add a udev rule such \
                 as `SUBSYSTEM==\"usb\", ENV{{ID_USB_INTERFACES}}==\"*:060101:*\", \
                 MODE=\"0660\", GROUP=\"plugdev\"` in /etc/udev/rules.d/60-ptp-camera.rules, \
                 add yourself to plugdev, replug the camera (or run as root)"
            ),
            Error::DeviceBusy { device, holders } => {
                write!(f, "USB device {device} is claimed by another program")?;
                if holders.is_empty() {
                    f.write_str(
                        " (often gvfs-gphoto2-volume-monitor or gvfsd-mtp); close it or run \
                         `gio mount -s gphoto2` and retry",
                    )
                } else {
                    write!(f, ": {}; close it and retry", holders.join(", "))
                }
            }
            Error::Usb { doing, error } => write!(f, "USB: {doing} failed: {error}"),
            Error::Response {
                operation,
                operation_name,
                code,
                code_name,
            } => {
                f.write_str("the camera refused ")?;
                named(f, *operation, *operation_name)?;
                f.write_str(" with ")?;
                named(f, *code, *code_name)?;
                match code {
                    0x2003 => f.write_str("; open a session first"),
                    0x2005 => f.write_str("; this camera does not support it (see `ptpctl info`)"),
                    0x2009 => {
                        f.write_str("; the object handle is stale, list again with `ptpctl ls`")
                    }
                    0x2019 => f.write_str("; the camera is busy, retry in a moment"),
                    _ => Ok(()),
                }
            }
            Error::Protocol(error) => write!(
                f,
                "the camera broke the protocol: {error}; retry, and report it with `-v` output"
            ),
            Error::Timeout { transaction_id } => write!(
                f,
                "the camera did not answer transaction {transaction_id} in time; it may be \
                 busy or asleep: wake it and retry, or raise --timeout"
            ),
            Error::Decode(error) => write!(f, "the camera sent a malformed dataset: {error}"),
            Error::Encode(error) => write!(f, "cannot encode the request: {error}"),
            Error::Data(error) => write!(f, "data transfer stopped: {error}"),
            Error::TooLarge { needed, available } => write!(
                f,
                "the camera sent a {needed}-byte reply, larger than the {available}-byte buffer"
            ),
            Error::File { path, error } => write!(f, "{}: {error}", path.display()),
            Error::SizeMismatch {
                path,
                expected,
                got,
            } => write!(
                f,
                "{}: received {got} bytes but the camera announced {expected}; the partial \
                 file was kept, run the command again to resume",
                path.display()
            ),
            Error::DeviceStatus(error) => match error {
                StatusError::Usb(rusb::Error::NoDevice) => {
                    f.write_str("the USB device is gone (unplugged or reset)")
                }
                StatusError::Usb(rusb::Error::Pipe) | StatusError::Empty => write!(
                    f,
                    "{error}: it does not implement the request, so there is no status \
                     to show"
                ),
                _ => write!(f, "{error}"),
            },
            Error::UsbOnly(what) => write!(
                f,
                "{what} exists only on USB: PTP/IP has no class requests; connect the \
                 camera by USB (--usb) to use it"
            ),
            Error::CancelFailed(rusb::Error::Timeout) => write!(
                f,
                "the camera did not confirm the Cancel request within {} s (no answer, or \
                 Get Device Status kept saying busy); wait and retry, or replug it",
                crate::usb::CANCEL_WAIT.as_secs()
            ),
            Error::CancelFailed(error) => write!(
                f,
                "the USB Cancel request (class request 0x64) failed: {error}; replug the \
                 camera if it stops answering"
            ),
            Error::NotFound(what) => write!(f, "{what} not found; `ptpctl ls -R` lists objects"),
            Error::Unsupported(what) => write!(f, "{what}"),
            Error::Invalid(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for Error {}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

/// The result of host calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;
