//! The interrupt endpoint as the client's event channel: each read is one
//! interrupt transfer; ptp-core's `UsbEventAssembler` (in `EventReader`)
//! puts split containers back together.

use super::Endpoints;
use crate::error::TransportError;
use crate::tcp::POLL_INTERVAL;
use ptp_core::client::{Channel, Chunk};
use ptp_core::framer::Transport;
use rusb::{Context, DeviceHandle};
use std::sync::Arc;

/// Events from a camera's interrupt endpoint.
#[derive(Debug)]
pub struct UsbEvents {
    handle: Arc<DeviceHandle<Context>>,
    endpoint: Option<u8>,
}

impl UsbEvents {
    /// Events from `endpoints.interrupt_in` (a camera without one has no
    /// events: reads wait and return nothing).
    pub fn new(handle: Arc<DeviceHandle<Context>>, endpoints: Endpoints) -> Self {
        UsbEvents {
            handle,
            endpoint: endpoints.interrupt_in,
        }
    }
}

impl Channel for UsbEvents {
    type Error = TransportError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, _bytes: &[u8]) -> Result<(), TransportError> {
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), TransportError> {
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, TransportError> {
        let Some(endpoint) = self.endpoint else {
            std::thread::sleep(POLL_INTERVAL);
            return Ok(Chunk::IDLE);
        };
        match self.handle.read_interrupt(endpoint, buffer, POLL_INTERVAL) {
            Ok(len) => Ok(Chunk {
                len,
                end_of_transfer: true,
            }),
            Err(rusb::Error::Timeout) => Ok(Chunk::IDLE),
            Err(rusb::Error::Pipe) => {
                let _ = self.handle.clear_halt(endpoint);
                Ok(Chunk::IDLE)
            }
            Err(error) => Err(TransportError::Usb(error)),
        }
    }

    async fn cancel(&mut self, _request: &[u8]) -> Result<(), TransportError> {
        Ok(())
    }
}
