//! The transport as the client sees it: bytes out in transfers, chunks in,
//! a cancel request, and a clock.

use crate::framer::Transport;

/// What one [`Channel::read`] brought.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Chunk {
    /// Bytes written at the start of the buffer.
    pub len: usize,
    /// USB: the transfer ended with a short (or zero-length) packet, which
    /// ends a data container of unknown length. Always `false` on streams.
    pub end_of_transfer: bool,
}

impl Chunk {
    /// Nothing arrived within the channel's poll interval.
    pub const IDLE: Chunk = Chunk {
        len: 0,
        end_of_transfer: false,
    };

    /// `len` bytes of a stream (no transfer boundaries).
    pub const fn bytes(len: usize) -> Chunk {
        Chunk {
            len,
            end_of_transfer: false,
        }
    }

    /// Whether nothing arrived.
    pub const fn is_idle(&self) -> bool {
        self.len == 0 && !self.end_of_transfer
    }
}

/// A transport for the command/data path (and, through [`EventReader`],
/// for events).
///
/// A transfer is what USB calls one: the bytes of one container. The
/// client writes a transfer in pieces (a header, then payload chunks) and
/// closes it with [`Channel::end_transfer`]; a USB channel packs the
/// pieces into packets and ends the transfer with a short packet, or a
/// zero-length packet when its length is a multiple of wMaxPacketSize.
///
/// [`EventReader`]: super::EventReader
pub trait Channel {
    /// The transport's error.
    type Error: core::fmt::Debug;

    /// The framing the bytes use.
    fn transport(&self) -> Transport;

    /// Appends `bytes` to the current outgoing transfer.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Ends the current outgoing transfer (USB: short packet or ZLP;
    /// streams: flush).
    async fn end_transfer(&mut self) -> Result<(), Self::Error>;

    /// Reads what arrives into `buffer`, waiting at most the channel's poll
    /// interval: [`Chunk::IDLE`] when nothing came. A closed connection is
    /// an error. USB: `buffer` is at least 512 bytes (the client keeps it
    /// so); read a whole multiple of wMaxPacketSize.
    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error>;

    /// Sends the cancel request the initiator engine emitted: on USB the
    /// 6-byte data of class request 0x64 (then wait for Get Device Status
    /// to report OK and drain the pipes); on PTP/IP a Cancel packet for the
    /// command connection.
    async fn cancel(&mut self, request: &[u8]) -> Result<(), Self::Error>;
}

/// Milliseconds from any monotonic origin.
pub trait Clock {
    /// The time now.
    fn now_ms(&self) -> u64;
}

impl<T: Clock + ?Sized> Clock for &T {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
}

impl<C: Channel + ?Sized> Channel for &mut C {
    type Error = C::Error;

    fn transport(&self) -> Transport {
        (**self).transport()
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        (**self).write(bytes).await
    }

    async fn end_transfer(&mut self) -> Result<(), Self::Error> {
        (**self).end_transfer().await
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, Self::Error> {
        (**self).read(buffer).await
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), Self::Error> {
        (**self).cancel(request).await
    }
}
