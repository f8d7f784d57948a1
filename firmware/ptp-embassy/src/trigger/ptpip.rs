//! The trigger's PTP/IP transport: two TCP connections to the camera
//! (port 15740), ptp-core's handshake on them, and ptp-core's
//! `StreamChannel` over each, with reads that time out ([`TimedStream`]).
//! [`EmbassyNetTcp`] opens the connections with embassy-net.

use super::runner::Connector;
use super::timed_stream::{TimedError, TimedStream};
use embassy_net::tcp::{ConnectError, TcpSocket};
use embassy_net::{IpEndpoint, Stack};
use embedded_io_async::{ErrorType, Read, Write};
use ptp_core::client::StreamChannel;
use ptp_core::client::ptpip_init::{self, InitError, MAX_INIT_PACKET_LEN};

/// The PTP/IP port.
pub const PTPIP_PORT: u16 = 15740;
/// How long a read waits before the client sees an idle read.
pub const READ_TIMEOUT_MS: u64 = 100;
/// How long each step of the handshake may take.
pub const HANDSHAKE_TIMEOUT_MS: u64 = 5_000;

/// Opens the two TCP connections of a PTP/IP session.
#[allow(async_fn_in_trait)]
pub trait TcpConnect {
    /// A connected stream, borrowing the connector.
    type Stream<'s>: Read + Write + ErrorType<Error = Self::IoError>
    where
        Self: 's;
    /// The streams' error.
    type IoError: embedded_io_async::Error;
    /// Why connecting failed.
    type Error;

    /// Connects the command/data connection, then the event connection.
    async fn connect_pair(&mut self) -> Result<(Self::Stream<'_>, Self::Stream<'_>), Self::Error>;
}

/// Why a PTP/IP connection failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PtpIpError<T, E> {
    /// The TCP connections.
    Tcp(T),
    /// The handshake.
    Init(InitError<E>),
}

/// A [`Connector`] for PTP/IP over any [`TcpConnect`].
pub struct PtpIpConnector<T> {
    tcp: T,
    guid: [u8; 16],
    name: &'static str,
    handshake_timeout_ms: u64,
}

impl<T> PtpIpConnector<T> {
    /// Introduces itself to cameras with `guid` and friendly `name`; each
    /// handshake step may take [`HANDSHAKE_TIMEOUT_MS`].
    pub const fn new(tcp: T, guid: [u8; 16], name: &'static str) -> Self {
        PtpIpConnector {
            tcp,
            guid,
            name,
            handshake_timeout_ms: HANDSHAKE_TIMEOUT_MS,
        }
    }

    /// Sets how long each handshake step may take.
    pub const fn with_handshake_timeout_ms(mut self, timeout_ms: u64) -> Self {
        self.handshake_timeout_ms = timeout_ms;
        self
    }
}

/// A stream channel whose reads time out.
pub type PtpIpChannel<S> = StreamChannel<TimedStream<S>>;

impl<T: TcpConnect> Connector for PtpIpConnector<T> {
    type Channel<'c>
        = PtpIpChannel<T::Stream<'c>>
    where
        Self: 'c;
    type Events<'c>
        = PtpIpChannel<T::Stream<'c>>
    where
        Self: 'c;
    type Error = PtpIpError<T::Error, TimedError<T::IoError>>;

    async fn connect(&mut self) -> Result<(Self::Channel<'_>, Self::Events<'_>), Self::Error> {
        let (command, event) = self.tcp.connect_pair().await.map_err(PtpIpError::Tcp)?;
        // A camera that never answers the handshake fails it, not hangs it.
        let mut command = TimedStream::new(command, self.handshake_timeout_ms);
        let mut event = TimedStream::new(event, self.handshake_timeout_ms);
        let mut buffer = [0u8; MAX_INIT_PACKET_LEN];
        let ack = ptpip_init::init_command(&mut command, self.guid, self.name, &mut buffer)
            .await
            .map_err(PtpIpError::Init)?;
        ptpip_init::init_event(&mut event, ack.connection_number)
            .await
            .map_err(PtpIpError::Init)?;
        info!(
            "PTP/IP: session with connection number {}",
            ack.connection_number
        );
        command.set_read_timeout_ms(READ_TIMEOUT_MS);
        event.set_read_timeout_ms(READ_TIMEOUT_MS);
        Ok((StreamChannel::new(command), StreamChannel::new(event)))
    }
}

/// Socket buffers for the two connections.
pub struct TcpBuffers<const N: usize> {
    command_rx: [u8; N],
    command_tx: [u8; N],
    event_rx: [u8; 256],
    event_tx: [u8; 64],
}

impl<const N: usize> TcpBuffers<N> {
    /// Zeroed buffers.
    pub const fn new() -> Self {
        TcpBuffers {
            command_rx: [0; N],
            command_tx: [0; N],
            event_rx: [0; 256],
            event_tx: [0; 64],
        }
    }
}

impl<const N: usize> Default for TcpBuffers<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// [`TcpConnect`] on an embassy-net stack.
pub struct EmbassyNetTcp<'a, const N: usize> {
    stack: Stack<'a>,
    camera: IpEndpoint,
    buffers: &'a mut TcpBuffers<N>,
}

impl<'a, const N: usize> EmbassyNetTcp<'a, N> {
    /// Connects to `camera` (usually port [`PTPIP_PORT`]) through `stack`.
    pub fn new(stack: Stack<'a>, camera: IpEndpoint, buffers: &'a mut TcpBuffers<N>) -> Self {
        EmbassyNetTcp {
            stack,
            camera,
            buffers,
        }
    }
}

impl<const N: usize> TcpConnect for EmbassyNetTcp<'_, N> {
    type Stream<'s>
        = TcpSocket<'s>
    where
        Self: 's;
    type IoError = embassy_net::tcp::Error;
    type Error = ConnectError;

    async fn connect_pair(&mut self) -> Result<(TcpSocket<'_>, TcpSocket<'_>), ConnectError> {
        let TcpBuffers {
            command_rx,
            command_tx,
            event_rx,
            event_tx,
        } = &mut *self.buffers;
        let mut command = TcpSocket::new(self.stack, command_rx, command_tx);
        command.set_nagle_enabled(false);
        command.connect(self.camera).await?;
        let mut event = TcpSocket::new(self.stack, event_rx, event_tx);
        event.set_nagle_enabled(false);
        event.connect(self.camera).await?;
        Ok((command, event))
    }
}
