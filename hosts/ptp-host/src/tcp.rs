//! PTP/IP over TCP: the two connections, the handshake, and a blocking
//! socket presented as an `embedded_io_async` stream.

use crate::error::{Error, Result, TransportError};
use ptp_core::client::ptpip_init::{self, MAX_INIT_PACKET_LEN};
use ptp_core::client::{StreamChannel, StreamError};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long a read waits before the client checks its timeout.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// A blocking TCP socket as an `embedded_io_async` stream. A read that
/// times out (the socket's read timeout) is an error of kind `TimedOut`,
/// which [`StreamChannel`] reads as "nothing yet".
#[derive(Debug)]
pub struct TcpIo(pub TcpStream);

impl embedded_io_async::ErrorType for TcpIo {
    type Error = io::Error;
}

impl embedded_io_async::Read for TcpIo {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, io::Error> {
        loop {
            match self.0.read(buf) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, error));
                }
                other => return other,
            }
        }
    }
}

impl embedded_io_async::Write for TcpIo {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, io::Error> {
        self.0.write(buf)
    }

    async fn flush(&mut self) -> Result<(), io::Error> {
        self.0.flush()
    }
}

/// One PTP/IP connection's stream channel.
pub type PtpIpChannel = StreamChannel<TcpIo>;

/// The two connections of a PTP/IP session, after the handshake.
#[derive(Debug)]
pub struct PtpIpConnection {
    /// Commands and data.
    pub command: PtpIpChannel,
    /// Events.
    pub event: PtpIpChannel,
    /// The responder's friendly name.
    pub responder_name: String,
    /// The responder's GUID.
    pub responder_guid: [u8; 16],
    /// The address connected to.
    pub addr: SocketAddr,
}

/// Resolves `HOST[:PORT]` (port 15740 by default).
pub fn resolve(target: &str) -> Result<SocketAddr> {
    let with_port = match target.parse::<SocketAddr>() {
        Ok(addr) => return Ok(addr),
        Err(_)
            if target
                .rsplit_once(':')
                .is_some_and(|(_, port)| port.parse::<u16>().is_ok()) =>
        {
            target.to_string()
        }
        Err(_) => format!("{target}:{}", ptp_core::ptpip::PORT),
    };
    let mut addrs = with_port
        .to_socket_addrs()
        .map_err(|error| Error::Connect {
            target: target.to_string(),
            error,
        })?;
    addrs
        .next()
        .ok_or_else(|| Error::NoDevice(format!("{target} resolves to no address")))
}

/// Connects both connections and runs the handshake as `name` with `guid`.
pub fn connect(
    addr: SocketAddr,
    guid: [u8; 16],
    name: &str,
    timeout: Duration,
) -> Result<PtpIpConnection> {
    let target = addr.to_string();
    let open = |what: &str| -> Result<TcpStream> {
        let stream =
            TcpStream::connect_timeout(&addr, timeout).map_err(|error| Error::Connect {
                target: format!("{target} ({what} connection)"),
                error,
            })?;
        let setup = || -> io::Result<()> {
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(timeout))?;
            stream.set_write_timeout(Some(timeout))
        };
        setup().map_err(|error| Error::Connect {
            target: target.clone(),
            error,
        })?;
        Ok(stream)
    };
    let handshake = |error| Error::Handshake {
        target: target.clone(),
        error,
    };
    let mut command = TcpIo(open("command")?);
    let mut buffer = [0u8; MAX_INIT_PACKET_LEN];
    let ack = embassy_futures::block_on(ptpip_init::init_command(
        &mut command,
        guid,
        name,
        &mut buffer,
    ))
    .map_err(handshake)?;
    let responder_name: String = ack.name.chars().collect();
    let (connection_number, responder_guid) = (ack.connection_number, ack.guid);
    let mut event = TcpIo(open("event")?);
    embassy_futures::block_on(ptpip_init::init_event(&mut event, connection_number))
        .map_err(handshake)?;
    for stream in [&command.0, &event.0] {
        stream
            .set_read_timeout(Some(POLL_INTERVAL))
            .map_err(|error| Error::Connect {
                target: target.clone(),
                error,
            })?;
    }
    log::debug!("PTP/IP: connected to {target} ({responder_name}), connection {connection_number}");
    Ok(PtpIpConnection {
        command: StreamChannel::new(command),
        event: StreamChannel::new(event),
        responder_name,
        responder_guid,
        addr,
    })
}

/// Maps a stream channel's error.
pub(crate) fn transport_error(error: StreamError<io::Error>) -> TransportError {
    match error {
        StreamError::Io(error) => TransportError::Io(error),
        StreamError::Closed => TransportError::Closed,
    }
}
