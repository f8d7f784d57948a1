//! One channel type for either transport, so the session API and `ptpctl`
//! are not generic over it.

use crate::error::TransportError;
use crate::tcp::{PtpIpChannel, transport_error};
use crate::usb::{CancelOutcome, UsbChannel, UsbEvents};
use ptp_core::client::{Channel, Chunk};
use ptp_core::framer::Transport;

/// The command/data channel of a camera.
#[derive(Debug)]
pub enum Link {
    /// USB bulk endpoints.
    Usb(UsbChannel),
    /// The PTP/IP command/data connection.
    PtpIp(PtpIpChannel),
}

/// The event channel of a camera.
#[derive(Debug)]
pub enum EventLink {
    /// The USB interrupt endpoint.
    Usb(UsbEvents),
    /// The PTP/IP event connection.
    PtpIp(PtpIpChannel),
}

impl Link {
    /// USB: what the last cancel came to (see
    /// [`UsbChannel::take_cancel_outcome`]); `None` on PTP/IP, whose
    /// Cancel is a packet with no confirmation of its own.
    pub fn take_usb_cancel(&mut self) -> Option<Result<CancelOutcome, rusb::Error>> {
        match self {
            Link::Usb(channel) => channel.take_cancel_outcome(),
            Link::PtpIp(_) => None,
        }
    }
}

macro_rules! forward {
    ($name:ident) => {
        impl Channel for $name {
            type Error = TransportError;

            fn transport(&self) -> Transport {
                match self {
                    $name::Usb(channel) => channel.transport(),
                    $name::PtpIp(channel) => channel.transport(),
                }
            }

            async fn write(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
                match self {
                    $name::Usb(channel) => channel.write(bytes).await,
                    $name::PtpIp(channel) => channel.write(bytes).await.map_err(transport_error),
                }
            }

            async fn end_transfer(&mut self) -> Result<(), TransportError> {
                match self {
                    $name::Usb(channel) => channel.end_transfer().await,
                    $name::PtpIp(channel) => channel.end_transfer().await.map_err(transport_error),
                }
            }

            async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, TransportError> {
                match self {
                    $name::Usb(channel) => channel.read(buffer).await,
                    $name::PtpIp(channel) => channel.read(buffer).await.map_err(transport_error),
                }
            }

            async fn cancel(&mut self, request: &[u8]) -> Result<(), TransportError> {
                match self {
                    $name::Usb(channel) => channel.cancel(request).await,
                    $name::PtpIp(channel) => channel.cancel(request).await.map_err(transport_error),
                }
            }
        }
    };
}

forward!(Link);
forward!(EventLink);
