//! The PTP/IP handshake (CIPA DC-X005 §2.3) on byte streams: Init Command
//! Request / Ack on the command connection, then Init Event Request / Ack
//! on the event connection. Connecting the sockets, and their timeouts,
//! are the caller's.

use crate::Status;
use crate::error::{DecodeError, EncodeError};
use crate::ptpip::{self, FailReason, Packet, PacketHeader, PacketType};
use crate::wire::PtpString;
use core::fmt;
use embedded_io_async::{Read, ReadExactError, Write};

/// The longest init packet read: a name of 254 units and the fixed part.
pub const MAX_INIT_PACKET_LEN: usize = ptpip::HEADER_LEN + 4 + 16 + 2 * 255 + 4;

/// The responder's answer on the command connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandAck<'a> {
    /// The number to quote on the event connection.
    pub connection_number: u32,
    /// The responder's GUID.
    pub guid: [u8; 16],
    /// The responder's friendly name.
    pub name: PtpString<'a>,
    /// The protocol version it speaks.
    pub version: u32,
}

/// Why the handshake failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InitError<E> {
    /// The stream failed.
    Io(E),
    /// The peer closed the connection.
    Closed,
    /// The responder sent Init Fail.
    Refused(FailReason),
    /// The responder sent a packet other than the expected one.
    Unexpected(PacketType),
    /// A packet longer than an init packet can be.
    TooLong {
        /// Its length field.
        length: u32,
    },
    /// The responder's packet is malformed.
    Decode(DecodeError),
    /// The request could not be encoded (a name over 254 UTF-16 units).
    Encode(EncodeError),
}

impl<E: fmt::Display> fmt::Display for InitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Io(error) => write!(f, "{error}"),
            InitError::Closed => {
                f.write_str("the responder closed the connection during the handshake")
            }
            InitError::Refused(reason) => {
                write!(f, "the responder refused the connection: {reason}")
            }
            InitError::Unexpected(kind) => {
                write!(
                    f,
                    "the responder sent {kind:?} instead of an acknowledgement"
                )
            }
            InitError::TooLong { length } => {
                write!(
                    f,
                    "the responder sent a {length}-byte packet during the handshake"
                )
            }
            InitError::Decode(error) => write!(f, "malformed handshake packet: {error}"),
            InitError::Encode(error) => write!(f, "cannot encode the handshake: {error}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for InitError<E> {}

impl<E> From<ReadExactError<E>> for InitError<E> {
    fn from(error: ReadExactError<E>) -> Self {
        match error {
            ReadExactError::UnexpectedEof => InitError::Closed,
            ReadExactError::Other(error) => InitError::Io(error),
        }
    }
}

/// Sends Init Command Request with the initiator's `guid` and friendly
/// `name` and reads the answer into `buffer` (at least
/// [`MAX_INIT_PACKET_LEN`] bytes).
pub async fn init_command<'b, S: Read + Write>(
    stream: &mut S,
    guid: [u8; 16],
    name: &str,
    buffer: &'b mut [u8],
) -> Result<CommandAck<'b>, InitError<S::Error>> {
    let request = Packet::InitCommandRequest {
        guid,
        name: PtpString::Str(name),
        version: ptpip::VERSION,
    };
    let len = request.emit(buffer).map_err(InitError::Encode)?;
    send(stream, buffer.get(..len)).await?;
    match read_packet(stream, buffer).await? {
        Packet::InitCommandAck {
            connection_number,
            guid,
            name,
            version,
        } => Ok(CommandAck {
            connection_number,
            guid,
            name,
            version,
        }),
        Packet::InitFail { reason } => Err(InitError::Refused(reason)),
        other => Err(InitError::Unexpected(other.kind())),
    }
}

/// Sends Init Event Request with the number from [`CommandAck`] on the
/// event connection and waits for Init Event Ack.
pub async fn init_event<S: Read + Write>(
    stream: &mut S,
    connection_number: u32,
) -> Result<(), InitError<S::Error>> {
    let mut buffer = [0u8; 64];
    let len = Packet::InitEventRequest { connection_number }
        .emit(&mut buffer)
        .map_err(InitError::Encode)?;
    send(stream, buffer.get(..len)).await?;
    match read_packet(stream, &mut buffer).await? {
        Packet::InitEventAck => Ok(()),
        Packet::InitFail { reason } => Err(InitError::Refused(reason)),
        other => Err(InitError::Unexpected(other.kind())),
    }
}

async fn send<S: Write>(stream: &mut S, bytes: Option<&[u8]>) -> Result<(), InitError<S::Error>> {
    stream
        .write_all(bytes.unwrap_or(&[]))
        .await
        .map_err(InitError::Io)?;
    stream.flush().await.map_err(InitError::Io)
}

/// Reads exactly one packet (never past it: the next bytes may belong to
/// the event stream).
async fn read_packet<'b, S: Read>(
    stream: &mut S,
    buffer: &'b mut [u8],
) -> Result<Packet<'b>, InitError<S::Error>> {
    let header = buffer
        .get_mut(..ptpip::HEADER_LEN)
        .ok_or(InitError::TooLong { length: 0 })?;
    stream.read_exact(header).await?;
    let length = match PacketHeader::parse(header).map_err(InitError::Decode)? {
        Status::Complete(header) => header.length,
        Status::Incomplete { .. } => return Err(InitError::Closed),
    };
    let end = usize::try_from(length).unwrap_or(usize::MAX);
    let body = buffer
        .get_mut(ptpip::HEADER_LEN..end)
        .ok_or(InitError::TooLong { length })?;
    stream.read_exact(body).await?;
    let bytes: &'b [u8] = buffer;
    match Packet::parse(bytes.get(..end).unwrap_or(&[])).map_err(InitError::Decode)? {
        Status::Complete((packet, _)) => Ok(packet),
        Status::Incomplete { .. } => Err(InitError::Closed),
    }
}
