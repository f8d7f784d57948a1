//! A read timeout for byte streams that have none of their own (embassy-net's
//! `TcpSocket` only has a timeout that closes the socket): each read races a
//! timer and reports [`ErrorKind::TimedOut`], which ptp-core's
//! `StreamChannel` turns into an idle read, so the client's own timeouts
//! decide.

use embassy_futures::select::{Either, select};
use embassy_time::{Duration, Timer};
use embedded_io_async::{Error, ErrorKind, ErrorType, Read, Write};

/// The error of a [`TimedStream`]: the stream's own, or a read timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TimedError<E> {
    /// The stream's error.
    Io(E),
    /// Nothing arrived within the read timeout.
    TimedOut,
}

impl<E: Error> Error for TimedError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            TimedError::Io(error) => error.kind(),
            TimedError::TimedOut => ErrorKind::TimedOut,
        }
    }
}

impl<E: core::fmt::Debug + core::fmt::Display> core::error::Error for TimedError<E> {}

impl<E: core::fmt::Display> core::fmt::Display for TimedError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TimedError::Io(error) => write!(f, "{error}"),
            TimedError::TimedOut => f.write_str("read timed out"),
        }
    }
}

/// A stream whose reads give up after a while. The inner read must be
/// cancel-safe (embassy-net's is).
pub struct TimedStream<S> {
    inner: S,
    read_timeout: Duration,
}

impl<S> TimedStream<S> {
    /// Wraps `inner`; reads wait at most `read_timeout_ms`.
    pub fn new(inner: S, read_timeout_ms: u64) -> Self {
        TimedStream {
            inner,
            read_timeout: Duration::from_millis(read_timeout_ms),
        }
    }

    /// Sets how long reads wait.
    pub fn set_read_timeout_ms(&mut self, read_timeout_ms: u64) {
        self.read_timeout = Duration::from_millis(read_timeout_ms);
    }

    /// The stream.
    pub fn inner_mut(&mut self) -> &mut S {
        &mut self.inner
    }
}

impl<S: ErrorType> ErrorType for TimedStream<S> {
    type Error = TimedError<S::Error>;
}

impl<S: Read> Read for TimedStream<S> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        match select(self.inner.read(buf), Timer::after(self.read_timeout)).await {
            Either::First(result) => result.map_err(TimedError::Io),
            Either::Second(()) => Err(TimedError::TimedOut),
        }
    }
}

impl<S: Write> Write for TimedStream<S> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.inner.write(buf).await.map_err(TimedError::Io)
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush().await.map_err(TimedError::Io)
    }
}
