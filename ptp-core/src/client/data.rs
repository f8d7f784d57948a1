//! Where data phases go and come from: small traits the client streams
//! through, chunk by chunk, and the in-memory ones datasets use.

use crate::error::EncodeError;
use core::fmt;

/// Why a sink or source stopped a data phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DataError {
    /// A bounded sink is full: the data is larger than `capacity` bytes.
    Full {
        /// What the sink holds.
        capacity: usize,
    },
    /// A source ran dry after `sent` of the bytes it announced.
    Ended {
        /// Bytes it gave.
        sent: u64,
    },
    /// The sink or source does not want the rest (a stream read long
    /// enough, a user abort).
    Stopped,
    /// The sink's or source's own I/O failed; it keeps the details.
    Failed,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Full { capacity } => {
                write!(f, "data larger than the {capacity}-byte buffer given")
            }
            DataError::Ended { sent } => {
                write!(
                    f,
                    "data source ended after {sent} bytes, short of its length"
                )
            }
            DataError::Stopped => f.write_str("data phase stopped by the receiver"),
            DataError::Failed => f.write_str("data sink or source failed"),
        }
    }
}

impl core::error::Error for DataError {}

/// Takes the data a responder sends, in order.
pub trait DataSink {
    /// The data phase starts; `total` when the responder said how long it
    /// is (USB over 4 GiB and some devices do not).
    fn start(&mut self, _total: Option<u64>) -> Result<(), DataError> {
        Ok(())
    }

    /// The next chunk (possibly empty).
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError>;
}

/// Gives the data the initiator sends.
pub trait DataSource {
    /// Total bytes it will give (announced before the first chunk).
    fn total(&self) -> u64;

    /// Fills the start of `buffer` with the next bytes; returns the count.
    /// 0 before `total` is an error ([`DataError::Ended`]).
    async fn fill(&mut self, buffer: &mut [u8]) -> Result<usize, DataError>;
}

impl<S: DataSink + ?Sized> DataSink for &mut S {
    fn start(&mut self, total: Option<u64>) -> Result<(), DataError> {
        (**self).start(total)
    }

    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        (**self).write(chunk).await
    }
}

impl<S: DataSource + ?Sized> DataSource for &mut S {
    fn total(&self) -> u64 {
        (**self).total()
    }

    async fn fill(&mut self, buffer: &mut [u8]) -> Result<usize, DataError> {
        (**self).fill(buffer).await
    }
}

/// No data: a source of zero bytes, and a sink that refuses any byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoData;

impl DataSink for NoData {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        match chunk.is_empty() {
            true => Ok(()),
            false => Err(DataError::Full { capacity: 0 }),
        }
    }
}

impl DataSource for NoData {
    fn total(&self) -> u64 {
        0
    }

    async fn fill(&mut self, _buffer: &mut [u8]) -> Result<usize, DataError> {
        Ok(0)
    }
}

/// A sink that counts the bytes and drops them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Discard {
    /// Bytes received.
    pub received: u64,
}

impl DataSink for Discard {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        self.received += chunk.len() as u64;
        Ok(())
    }
}

/// A sink that collects the data into a borrowed buffer.
#[derive(Debug)]
pub struct SliceSink<'a> {
    buffer: &'a mut [u8],
    len: usize,
}

impl<'a> SliceSink<'a> {
    /// An empty sink over `buffer`.
    pub fn new(buffer: &'a mut [u8]) -> Self {
        SliceSink { buffer, len: 0 }
    }

    /// Bytes collected.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was collected.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes collected.
    pub fn data(&self) -> &[u8] {
        self.buffer.get(..self.len).unwrap_or(&[])
    }
}

impl DataSink for SliceSink<'_> {
    fn start(&mut self, total: Option<u64>) -> Result<(), DataError> {
        self.len = 0;
        match total {
            Some(total) if total > self.buffer.len() as u64 => Err(DataError::Full {
                capacity: self.buffer.len(),
            }),
            _ => Ok(()),
        }
    }

    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        let capacity = self.buffer.len();
        let end = self
            .len
            .checked_add(chunk.len())
            .filter(|end| *end <= capacity)
            .ok_or(DataError::Full { capacity })?;
        if let Some(target) = self.buffer.get_mut(self.len..end) {
            target.copy_from_slice(chunk);
        }
        self.len = end;
        Ok(())
    }
}

/// A source over bytes in memory.
#[derive(Clone, Copy, Debug)]
pub struct SliceSource<'a> {
    data: &'a [u8],
    sent: usize,
}

impl<'a> SliceSource<'a> {
    /// A source of `data`.
    pub const fn new(data: &'a [u8]) -> Self {
        SliceSource { data, sent: 0 }
    }
}

impl DataSource for SliceSource<'_> {
    fn total(&self) -> u64 {
        self.data.len() as u64
    }

    async fn fill(&mut self, buffer: &mut [u8]) -> Result<usize, DataError> {
        let rest = self.data.get(self.sent..).unwrap_or(&[]);
        let count = rest.len().min(buffer.len());
        if let (Some(target), Some(source)) = (buffer.get_mut(..count), rest.get(..count)) {
            target.copy_from_slice(source);
        }
        self.sent += count;
        Ok(count)
    }
}

/// A source whose bytes an emitter writes straight into the client's
/// buffer (a dataset's `emit`): no second buffer. The whole data must fit
/// the client's buffer.
pub struct EmitSource<F> {
    total: usize,
    emit: Option<F>,
}

impl<F: FnOnce(&mut [u8]) -> Result<usize, EncodeError>> EmitSource<F> {
    /// A source of `total` bytes that `emit` writes (`buffer_len()` and a
    /// closure calling `emit`).
    pub const fn new(total: usize, emit: F) -> Self {
        EmitSource {
            total,
            emit: Some(emit),
        }
    }
}

impl<F: FnOnce(&mut [u8]) -> Result<usize, EncodeError>> DataSource for EmitSource<F> {
    fn total(&self) -> u64 {
        self.total as u64
    }

    async fn fill(&mut self, buffer: &mut [u8]) -> Result<usize, DataError> {
        let Some(emit) = self.emit.take() else {
            return Ok(0);
        };
        if buffer.len() < self.total {
            return Err(DataError::Full {
                capacity: buffer.len(),
            });
        }
        let target = buffer.get_mut(..self.total).unwrap_or(&mut []);
        match emit(target) {
            Ok(written) if written == self.total => Ok(written),
            _ => Err(DataError::Failed),
        }
    }
}
