//! Bulk IN/OUT as the client's command/data channel: writes packed into
//! transfers of at most [`MAX_WRITE`] bytes ending with a short packet or a
//! zero-length packet; reads of whole packets, a short packet reported as
//! the end of a transfer; Cancel through the class request.

use super::status::{CancelOutcome, Confirmation, StatusError, StatusReport};
use super::transfer::{OutTransfer, ends_transfer};
use super::{Endpoints, class};
use crate::error::TransportError;
use crate::tcp::POLL_INTERVAL;
use ptp_core::Status;
use ptp_core::client::{Channel, Chunk};
use ptp_core::container::Header;
use ptp_core::dataset::CancelRequest;
use ptp_core::framer::Transport;
use rusb::{Context, DeviceHandle};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest single bulk OUT transfer (QEMU 7.2's usb-mtp aborts on
/// larger ones; real devices do not mind).
pub const MAX_WRITE: usize = 512 * 1024;
/// How long to wait for the device to report ready after a cancel.
pub const CANCEL_WAIT: Duration = Duration::from_secs(5);
/// The most statuses before OK a cancel outcome keeps.
const KEPT_CODES: usize = 8;
/// How long [`UsbChannel::resync`] listens for stale bytes on bulk IN.
const RESYNC_PROBE: Duration = Duration::from_millis(20);
/// The transaction a stale-transaction cancel names when the stale bytes
/// carry no container header (a data phase already under way).
const UNKNOWN_TRANSACTION: u32 = 0xFFFF_FFFF;

/// Commands and data over the bulk endpoints.
#[derive(Debug)]
pub struct UsbChannel {
    handle: Arc<DeviceHandle<Context>>,
    endpoints: Endpoints,
    /// The current outgoing transfer.
    out: OutTransfer,
    timeout: Duration,
    /// What the last cancel came to, until taken.
    last_cancel: Option<Result<CancelOutcome, rusb::Error>>,
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
            last_cancel: None,
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

    /// Get Device Status (class request 0x67): code and parameters (the
    /// stalled endpoints).
    pub fn device_status(&self) -> Result<StatusReport, StatusError> {
        class::device_status(&self.handle, self.endpoints.interface, self.timeout)
    }

    /// What the last cancel (the client sends one when a sink stops a
    /// data phase, or on a timeout) came to: how the device confirmed it,
    /// or the USB error that failed it. `None` when none was sent since
    /// the last call.
    pub fn take_cancel_outcome(&mut self) -> Option<Result<CancelOutcome, rusb::Error>> {
        self.last_cancel.take()
    }

    /// Brings back to idle a device that an initiator left in the middle
    /// of a transaction (a killed program): bytes already waiting on bulk
    /// IN belong to no transaction of ours, so they are cancelled (the
    /// transaction id taken from a container header among them, when
    /// there is one) and drained. An idle device only costs one short
    /// read. Returns whether the device was mid-transaction.
    pub fn resync(&mut self) -> Result<bool, rusb::Error> {
        let mut stale = vec![0u8; 64 * 1024];
        let len = match self
            .handle
            .read_bulk(self.endpoints.bulk_in, &mut stale, RESYNC_PROBE)
        {
            Ok(len) => len,
            Err(rusb::Error::Timeout) => return Ok(false),
            Err(rusb::Error::Pipe) => {
                let _ = self.handle.clear_halt(self.endpoints.bulk_in);
                0
            }
            Err(error) => return Err(error),
        };
        let bytes = stale.get(..len).unwrap_or(&[]);
        let transaction_id = match Header::parse(bytes) {
            Ok(Status::Complete(header)) => header.transaction_id,
            _ => UNKNOWN_TRANSACTION,
        };
        log::info!(
            "USB: the device is in the middle of a transaction nobody will finish \
             ({len} bytes were waiting); cancelling it"
        );
        let mut request = [0u8; 6];
        let request_len = CancelRequest { transaction_id }
            .emit(&mut request)
            .unwrap_or(0);
        let cancel = request.get(..request_len).unwrap_or(&[]);
        if let Err(error) =
            class::cancel(&self.handle, self.endpoints.interface, cancel, self.timeout)
        {
            log::debug!("USB: the cancel of the stale transaction failed: {error}");
        }
        let outcome = self.wait_ready()?;
        let _ = self.handle.clear_halt(self.endpoints.bulk_out);
        log::debug!("USB: stale transaction cleared: {outcome:?}");
        Ok(true)
    }

    /// Waits until Get Device Status says OK, clearing stalled endpoints,
    /// then drops what is left in the IN pipe. A device that gives no
    /// usable status (QEMU's usb-mtp answers with no data) cannot be
    /// waited for: the pipe is drained all the same.
    fn wait_ready(&self) -> Result<CancelOutcome, rusb::Error> {
        let started = Instant::now();
        let mut polls = 0u32;
        let mut codes = Vec::new();
        let confirmation = loop {
            polls += 1;
            match self.device_status() {
                Ok(status) => {
                    for endpoint in &status.params {
                        if let Ok(endpoint) = u8::try_from(*endpoint) {
                            let _ = self.handle.clear_halt(endpoint);
                        }
                    }
                    if status.is_ok() {
                        break Confirmation::Ready { polls, codes };
                    }
                    if codes.len() < KEPT_CODES {
                        codes.push(status.code);
                    }
                }
                Err(StatusError::Usb(error)) if error != rusb::Error::Pipe => return Err(error),
                Err(why) => {
                    // Empty, malformed or stalled: the device has no status
                    // to give.
                    log::info!("USB: after the cancel, {why}; draining the IN pipe");
                    break Confirmation::NoStatus(why);
                }
            }
            if started.elapsed() > CANCEL_WAIT {
                return Err(rusb::Error::Timeout);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // Until the pipe stays quiet for 50 ms, within a bound (a device
        // that ignored the cancel may still be sending).
        let draining = Instant::now();
        let mut dropped = 0u64;
        let mut scrap = vec![0u8; 64 * 1024];
        while draining.elapsed() < CANCEL_WAIT {
            match self.handle.read_bulk(
                self.endpoints.bulk_in,
                &mut scrap,
                Duration::from_millis(50),
            ) {
                Ok(len) => dropped += len as u64,
                Err(_) => break,
            }
        }
        if dropped > 0 {
            log::debug!("USB: dropped {dropped} bytes after the cancel");
        }
        Ok(CancelOutcome {
            confirmation,
            dropped,
        })
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
        let outcome = class::cancel(
            &self.handle,
            self.endpoints.interface,
            request,
            self.timeout,
        )
        .and_then(|()| self.wait_ready());
        let result = outcome
            .as_ref()
            .map(drop)
            .map_err(|error| TransportError::Usb(*error));
        self.last_cancel = Some(outcome);
        result
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
