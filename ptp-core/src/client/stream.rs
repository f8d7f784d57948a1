//! A [`Channel`] over any `embedded_io_async` byte stream: PTP/IP's
//! command/data connection (a TCP socket on the host, embassy-net's
//! `TcpSocket` on a microcontroller) or its event connection.

use super::{Channel, Chunk};
use crate::framer::Transport;
use core::fmt;
use embedded_io_async::{Error, ErrorKind, Read, Write};

/// Why a stream channel failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StreamError<E> {
    /// The stream's own error.
    Io(E),
    /// The peer closed the connection.
    Closed,
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Io(error) => write!(f, "{error}"),
            StreamError::Closed => f.write_str("the peer closed the connection"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for StreamError<E> {}

/// PTP/IP framing over a byte stream.
///
/// Reads wait as long as the stream's `read` does: give the stream a read
/// timeout (a socket timeout, or a wrapper that races the read against a
/// timer) and report it as [`ErrorKind::TimedOut`]; the channel turns it
/// into [`Chunk::IDLE`] and the client's own timeout decides. Writes go
/// out as they come: set TCP_NODELAY on the socket.
#[derive(Debug)]
pub struct StreamChannel<S> {
    stream: S,
}

impl<S> StreamChannel<S> {
    /// A channel over `stream`.
    pub const fn new(stream: S) -> Self {
        StreamChannel { stream }
    }

    /// The stream.
    pub const fn stream(&self) -> &S {
        &self.stream
    }

    /// The stream, mutably.
    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Gives the stream back.
    pub fn into_inner(self) -> S {
        self.stream
    }
}

impl<S: Read + Write> Channel for StreamChannel<S> {
    type Error = StreamError<S::Error>;

    fn transport(&self) -> Transport {
        Transport::PtpIp
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.stream.write_all(bytes).await.map_err(StreamError::Io)
    }

    async fn end_transfer(&mut self) -> Result<(), Self::Error> {
        self.stream.flush().await.map_err(StreamError::Io)
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error> {
        if buffer.is_empty() {
            return Ok(Chunk::IDLE);
        }
        match self.stream.read(buffer).await {
            Ok(0) => Err(StreamError::Closed),
            Ok(len) => Ok(Chunk::bytes(len)),
            Err(error) if error.kind() == ErrorKind::TimedOut => Ok(Chunk::IDLE),
            Err(error) => Err(StreamError::Io(error)),
        }
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), Self::Error> {
        self.write(request).await?;
        self.end_transfer().await
    }
}
