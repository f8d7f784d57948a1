//! Bulk IN/OUT as the client's command/data channel: writes packed into
//! transfers of at most [`MAX_WRITE`] bytes ending with a short packet or a
//! zero-length packet; reads of whole packets, a short packet reported as
//! the end of a transfer; Cancel through the class request.

use super::transfer::{OutTransfer, ends_transfer};
use super::{Endpoints, class};
use crate::error::TransportError;
use crate::tcp::POLL_INTERVAL;
use ptp_core::client::{Channel, Chunk};
use ptp_core::framer::Transport;
use rusb::{Context, DeviceHandle};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest single bulk OUT transfer (QEMU 7.2's usb-mtp aborts on
/// larger ones; real devices do not mind).
pub const MAX_WRITE: usize = 512 * 1024;
/// How long to wait for the device to report ready after a cancel.
const CANCEL_WAIT: Duration = Duration::from_secs(5);
/// The status code Get Device Status reports when ready.
const STATUS_OK: u16 = 0x2001;

/// Commands and data over the bulk endpoints.
#[derive(Debug)]
pub struct UsbChannel {
    handle: Arc<DeviceHandle<Context>>,
    endpoints: Endpoints,
    /// The current outgoing transfer.
    out: OutTransfer,
    timeout: Duration,
}

impl UsbChannel {
    /// A channel over a claimed interface; `timeout` bounds each write.
    pub fn new(
        handle: Arc<DeviceHandle<Context>>,
        endpoints: Endpoints,
        timeout: Duration,
    ) -> Self {
        UsbChannel {
            handle,
            endpoints,
            out: OutTransfer::new(MAX_WRITE, endpoints.out_packet),
            timeout,
        }
    }

    /// The endpoints in use.
    pub const fn endpoints(&self) -> Endpoints {
        self.endpoints
    }

    /// The device handle, for class requests.
    pub fn handle(&self) -> &DeviceHandle<Context> {
        &self.handle
    }

    /// Device Reset (class request 0x66).
    pub fn device_reset(&self) -> rusb::Result<()> {
        class::device_reset(&self.handle, self.endpoints.interface, self.timeout)
    }

    /// Get Device Status (class request 0x67): code and stalled endpoints.
    pub fn device_status(&self) -> rusb::Result<(u16, Vec<u32>)> {
        class::device_status(&self.handle, self.endpoints.interface, self.timeout)
    }

    /// Waits until Get Device Status says OK, clearing stalled endpoints,
    /// then drops what is left in the IN pipe.
    fn wait_ready(&self) -> Result<(), TransportError> {
        let started = Instant::now();
        loop {
            let (code, stalled) = self.device_status().map_err(TransportError::Usb)?;
            for endpoint in stalled {
                let _ = self.handle.clear_halt(endpoint as u8);
            }
            if code == STATUS_OK {
                break;
            }
            if started.elapsed() > CANCEL_WAIT {
                return Err(TransportError::Usb(rusb::Error::Timeout));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut scrap = vec![0u8; 64 * 1024];
        while let Ok(len) = self.handle.read_bulk(
            self.endpoints.bulk_in,
            &mut scrap,
            Duration::from_millis(50),
        ) {
            log::debug!("USB: dropped {len} bytes after cancel");
        }
        Ok(())
    }
}

impl Channel for UsbChannel {
    type Error = TransportError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let (handle, endpoint, timeout) = (&self.handle, self.endpoints.bulk_out, self.timeout);
        self.out
            .push(bytes, |chunk| send(handle, endpoint, chunk, timeout))
    }

    async fn end_transfer(&mut self) -> Result<(), TransportError> {
        let (handle, endpoint, timeout) = (&self.handle, self.endpoints.bulk_out, self.timeout);
        self.out
            .finish(|chunk| send(handle, endpoint, chunk, timeout))
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, TransportError> {
        let packet = usize::from(self.endpoints.in_packet);
        let whole = buffer.len() / packet * packet;
        let target = match buffer.get_mut(..whole) {
            Some(target) if !target.is_empty() => target,
            _ => buffer,
        };
        let asked = target.len();
        let started = Instant::now();
        match self
            .handle
            .read_bulk(self.endpoints.bulk_in, target, POLL_INTERVAL)
        {
            Ok(len) => Ok(Chunk {
                len,
                end_of_transfer: ends_transfer(
                    len,
                    asked,
                    self.endpoints.in_packet,
                    started.elapsed() >= POLL_INTERVAL,
                ),
            }),
            Err(rusb::Error::Timeout) => Ok(Chunk::IDLE),
            Err(rusb::Error::Pipe) => {
                let _ = self.handle.clear_halt(self.endpoints.bulk_in);
                Err(TransportError::Usb(rusb::Error::Pipe))
            }
            Err(error) => Err(TransportError::Usb(error)),
        }
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), TransportError> {
        self.out.clear();
        class::cancel(
            &self.handle,
            self.endpoints.interface,
            request,
            self.timeout,
        )
        .map_err(TransportError::Usb)?;
        self.wait_ready()
    }
}

/// Sends `bytes` completely as one piece of the current transfer (an
/// empty slice is a zero-length packet).
fn send(
    handle: &DeviceHandle<Context>,
    endpoint: u8,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), TransportError> {
    let mut rest = bytes;
    loop {
        match handle.write_bulk(endpoint, rest, timeout) {
            Ok(written) if written >= rest.len() => return Ok(()),
            Ok(0) => return Err(TransportError::Usb(rusb::Error::Timeout)),
            Ok(written) => rest = rest.get(written..).unwrap_or(&[]),
            Err(rusb::Error::Pipe) => {
                let _ = handle.clear_halt(endpoint);
                return Err(TransportError::Usb(rusb::Error::Pipe));
            }
            Err(error) => return Err(TransportError::Usb(error)),
        }
    }
}
