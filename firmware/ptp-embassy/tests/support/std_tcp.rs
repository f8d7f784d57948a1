//! The trigger's PTP/IP transport on std sockets: non-blocking
//! `TcpStream`s as `embedded_io_async` streams (a read or write that would
//! block wakes itself and yields), and a [`TcpConnect`] that opens the
//! command and event connections to one address.

use embedded_io_async::{ErrorType, Read, Write};
use ptp_embassy::trigger::ptpip::TcpConnect;
use std::future::poll_fn;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, TcpStream};
use std::task::Poll;

/// A non-blocking std TCP stream.
pub struct AsyncTcp(TcpStream);

impl AsyncTcp {
    /// Connects to `addr` (blocking), then switches to non-blocking.
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_nonblocking(true)?;
        Ok(AsyncTcp(stream))
    }
}

impl ErrorType for AsyncTcp {
    type Error = io::Error;
}

/// Runs a non-blocking call until it does not block.
async fn retry<T>(mut call: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    poll_fn(|cx| match call() {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
        done => Poll::Ready(done),
    })
    .await
}

impl Read for AsyncTcp {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        retry(|| io::Read::read(&mut self.0, buf)).await
    }
}

impl Write for AsyncTcp {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        retry(|| io::Write::write(&mut self.0, buf)).await
    }

    async fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Opens both connections to `addr`.
pub struct StdTcp {
    /// The camera.
    pub addr: SocketAddr,
}

impl TcpConnect for StdTcp {
    type Stream<'s> = AsyncTcp;
    type IoError = io::Error;
    type Error = io::Error;

    async fn connect_pair(&mut self) -> io::Result<(AsyncTcp, AsyncTcp)> {
        Ok((AsyncTcp::connect(self.addr)?, AsyncTcp::connect(self.addr)?))
    }
}
