//! The PTP/IP event connection: events from any thread are queued (a
//! bounded queue; when it is full, events are dropped with a log line) and
//! written by the connection's thread, which also answers Probe Requests.

use crate::state::lock;
use ptp_core::Status;
use ptp_core::event::{self, EventChannel};
use ptp_core::framer::Transport;
use ptp_core::message::{Message, OwnedParams};
use ptp_core::ptpip::Packet;
use ptp_core::responder::emit_event;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::Duration;

/// Events waiting to be written, at most.
pub const QUEUE_LEN: usize = 256;
/// The transaction id of events that belong to no transaction.
pub const NO_TRANSACTION: u32 = 0xFFFF_FFFF;
/// How often the connection checks for probes and for the server stopping.
const POLL: Duration = Duration::from_millis(20);

/// An event to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Event code.
    pub code: u16,
    /// The transaction it belongs to, or [`NO_TRANSACTION`].
    pub transaction_id: u32,
    /// Up to three parameters.
    pub params: OwnedParams,
}

/// Routes events to the current event connection.
#[derive(Debug, Default)]
pub struct EventRouter {
    sender: Mutex<Option<SyncSender<Event>>>,
}

impl EventRouter {
    /// Queues an event for the event connection; without one it is dropped.
    pub fn send(&self, code: u16, transaction_id: u32, params: &[u32]) {
        let params = OwnedParams::from_slice(params).unwrap_or_default();
        let event = Event {
            code,
            transaction_id,
            params,
        };
        let sender = lock(&self.sender);
        match sender.as_ref().map(|s| s.try_send(event)) {
            Some(Ok(())) => {}
            Some(Err(TrySendError::Full(_))) => {
                crate::log!("event queue full: event 0x{code:04X} dropped");
            }
            Some(Err(TrySendError::Disconnected(_))) | None => {}
        }
    }

    /// A new event connection: events go to the returned queue from now on.
    pub fn connect(&self) -> Receiver<Event> {
        let (sender, receiver) = mpsc::sync_channel(QUEUE_LEN);
        *lock(&self.sender) = Some(sender);
        receiver
    }

    /// The session ended: its event connection is told to finish.
    pub fn disconnect(&self) {
        *lock(&self.sender) = None;
    }
}

/// Writes queued events to `stream` until the queue is disconnected, the
/// peer closes, or the server stops. Probe Requests are answered.
pub fn run(
    stream: &mut TcpStream,
    receiver: &Receiver<Event>,
    stopping: &AtomicBool,
) -> Result<(), String> {
    let mut input = [0u8; 64];
    let mut pending = 0;
    let mut out = [0u8; 64];
    loop {
        match receiver.recv_timeout(POLL) {
            Ok(event) => {
                let message =
                    Message::new(event.code, event.transaction_id, event.params.as_slice());
                let len = emit_event(Transport::PtpIp, message, &mut out)
                    .map_err(|e| format!("cannot encode event: {e}"))?;
                write(stream, out.get(..len).unwrap_or(&[]))?;
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if stopping.load(Ordering::Relaxed) {
            return Ok(());
        }
        let read = stream
            .set_nonblocking(true)
            .and_then(|()| stream.read(input.get_mut(pending..).unwrap_or(&mut [])));
        stream
            .set_nonblocking(false)
            .map_err(|e| format!("event connection: {e}"))?;
        match read {
            Ok(0) => return Ok(()),
            Ok(count) => pending += count,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                continue;
            }
            Err(e) => return Err(format!("event connection: {e}")),
        }
        loop {
            let bytes = input.get(..pending).unwrap_or(&[]);
            match event::parse_ptpip_event(bytes) {
                Ok(Status::Complete((EventChannel::ProbeRequest, used))) => {
                    input.copy_within(used..pending, 0);
                    pending -= used;
                    let len = Packet::ProbeResponse
                        .emit(&mut out)
                        .map_err(|e| format!("cannot encode probe response: {e}"))?;
                    write(stream, out.get(..len).unwrap_or(&[]))?;
                }
                Ok(Status::Complete((other, _))) => {
                    return Err(format!(
                        "unexpected {other:?} from the initiator on the event connection"
                    ));
                }
                Ok(Status::Incomplete { needed }) if needed > input.len() => {
                    return Err(format!("a {needed}-byte packet on the event connection"));
                }
                Ok(Status::Incomplete { .. }) => break,
                Err(e) => return Err(format!("malformed packet on the event connection: {e}")),
            }
        }
    }
}

fn write(stream: &mut TcpStream, bytes: &[u8]) -> Result<(), String> {
    stream
        .write_all(bytes)
        .map_err(|e| format!("event connection: writing failed ({e}); is the initiator reading?"))
}
