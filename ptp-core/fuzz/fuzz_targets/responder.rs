//! The responder engine fed arbitrary request sequences: well-formed
//! requests with fuzzed codes, transaction ids and parameters, data phases
//! with lying lengths, raw bytes, cancels, short packets, resets, and
//! transmit buffers of any size, answered by a scripted handler double
//! (`ptp_core_fuzz::handler::ScriptedHandler`, which checks the offsets it
//! is handed).
//!
//! Checks: `receive` consumes no more than it is given and makes progress;
//! `poll_transmit` writes no more than its buffer; everything the responder
//! sends frames cleanly for the initiator side (responses and data phases
//! only, a data phase carrying what it announced, the handler's bytes or
//! zero fill); only valid requests reach the handler; the engine's session
//! is the one it last reported; and after `reset()` it serves a whole
//! session to a real initiator engine.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ptp_core::Status;
use ptp_core::container::{Container, Header};
use ptp_core::framer::{Frame, Framer, Transport};
use ptp_core::initiator::Initiator;
use ptp_core::message::Message;
use ptp_core::ptpip::{self, DataPhase, Packet};
use ptp_core::responder::Responder;
use ptp_core_fuzz::handler::{Decision, ScriptedHandler};
use ptp_core_fuzz::session::fresh_session_works;

const GET_DEVICE_INFO: u16 = 0x1001;
const OPEN_SESSION: u16 = 0x1002;
const CLOSE_SESSION: u16 = 0x1003;

#[derive(Arbitrary, Debug)]
struct Input {
    usb: bool,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
}

#[derive(Arbitrary, Debug)]
enum Action {
    /// Raw bytes from the initiator.
    Bytes(Vec<u8>),
    /// A well-formed request.
    Request {
        code: Code,
        transaction_id: Tid,
        params: Vec<u32>,
        data_out: bool,
    },
    /// The start of a data-out phase announcing `total` bytes (may lie).
    DataStart { transaction_id: Tid, total: u32 },
    /// `len` payload bytes of a data-out phase (PTP/IP: in a Data or End
    /// Data packet).
    Data {
        transaction_id: Tid,
        len: u16,
        last: bool,
    },
    /// Cancel: on USB the class request, on PTP/IP a Cancel packet.
    Cancel(Tid),
    /// `count` calls of `poll_transmit` with a buffer of `size` bytes.
    Poll { size: u16, count: u8 },
    /// USB: a short packet ended the transfer.
    EndOfTransfer,
    /// Device reset or a new connection.
    Reset,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Code {
    OpenSession(u32),
    CloseSession,
    GetDeviceInfo,
    Other(u16),
}

/// A transaction id: the harness's running sequence plus a small offset
/// (mostly valid), or any value.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Tid {
    Sequence(u8),
    Any(u32),
}

/// The state of the run.
struct Run {
    transport: Transport,
    responder: Responder,
    handler: ScriptedHandler,
    to_responder: Vec<u8>,
    output: OutputCheck,
    sequence: u32,
}

fuzz_target!(|input: Input| {
    let transport = if input.usb {
        Transport::Usb
    } else {
        Transport::PtpIp
    };
    let mut run = Run {
        transport,
        responder: Responder::new(transport),
        handler: ScriptedHandler::new(input.decisions),
        to_responder: Vec::new(),
        output: OutputCheck::new(transport),
        sequence: 0,
    };
    for action in &input.actions {
        run.act(action);
    }
    run.responder.reset(&mut run.handler);
    fresh_session_works(&mut Initiator::new(transport), &mut run.responder);
});

impl Run {
    fn tid(&self, tid: Tid) -> u32 {
        match tid {
            Tid::Sequence(offset) => self.sequence.wrapping_add(u32::from(offset % 4)),
            Tid::Any(tid) => tid,
        }
    }

    fn act(&mut self, action: &Action) {
        let mut bytes = [0u8; 64];
        match *action {
            Action::Bytes(ref raw) => self.send(raw),
            Action::Request {
                code,
                transaction_id,
                ref params,
                data_out,
            } => {
                let (code, params): (u16, &[u32]) = match code {
                    Code::OpenSession(id) => (OPEN_SESSION, &[id][..]),
                    Code::CloseSession => (CLOSE_SESSION, &[]),
                    Code::GetDeviceInfo => (GET_DEVICE_INFO, &[]),
                    Code::Other(code) => (code, &params[..params.len().min(5)]),
                };
                let tid = if code == OPEN_SESSION {
                    0
                } else {
                    self.sequence = self.sequence.wrapping_add(1);
                    self.tid(transaction_id)
                };
                let params = if code == OPEN_SESSION {
                    [params[0]].to_vec()
                } else {
                    params.to_vec()
                };
                let message = Message::new(code, tid, &params);
                let len = match self.transport {
                    Transport::Usb => Container::Command(message).emit(&mut bytes),
                    Transport::PtpIp => Packet::OperationRequest {
                        data_phase: if data_out {
                            DataPhase::Out
                        } else {
                            DataPhase::NoneOrIn
                        },
                        message,
                    }
                    .emit(&mut bytes),
                };
                let len = len.unwrap_or_else(|e| panic!("request: {e}"));
                self.send(&bytes[..len]);
                if code == OPEN_SESSION {
                    self.sequence = 0;
                }
            }
            Action::DataStart {
                transaction_id,
                total,
            } => {
                let tid = self.tid(transaction_id);
                let len = match self.transport {
                    Transport::Usb => Header::data(0x100D, tid, u64::from(total)).emit(&mut bytes),
                    Transport::PtpIp => Packet::StartData {
                        transaction_id: tid,
                        total_length: u64::from(total),
                    }
                    .emit(&mut bytes),
                };
                let len = len.unwrap_or_else(|e| panic!("data header: {e}"));
                self.send(&bytes[..len]);
            }
            Action::Data {
                transaction_id,
                len,
                last,
            } => {
                let payload = vec![0x5A; usize::from(len)];
                if self.transport == Transport::PtpIp {
                    let tid = self.tid(transaction_id);
                    let header = ptpip::emit_data_header(&mut bytes, last, tid, payload.len())
                        .unwrap_or_else(|e| panic!("data packet header: {e}"));
                    self.send(&bytes[..header]);
                }
                self.send(&payload);
            }
            Action::Cancel(transaction_id) => {
                let tid = self.tid(transaction_id);
                match self.transport {
                    Transport::Usb => {
                        if self.responder.cancel(tid, &mut self.handler) {
                            self.output.restart();
                        }
                    }
                    Transport::PtpIp => {
                        let len = Packet::Cancel {
                            transaction_id: tid,
                        }
                        .emit(&mut bytes)
                        .unwrap_or_else(|e| panic!("cancel: {e}"));
                        self.send(&bytes[..len]);
                    }
                }
            }
            Action::Poll { size, count } => self.poll(usize::from(size % 1024), count % 16),
            Action::EndOfTransfer => {
                self.responder.end_of_transfer();
                self.receive();
            }
            Action::Reset => {
                self.responder.reset(&mut self.handler);
                self.to_responder.clear();
                self.output.restart();
                self.check_session();
            }
        }
    }

    /// Bytes from the initiator: queued, then consumed as far as they go.
    fn send(&mut self, bytes: &[u8]) {
        self.to_responder.extend_from_slice(bytes);
        self.receive();
    }

    fn receive(&mut self) {
        let mut idle_frames = 0;
        loop {
            match self
                .responder
                .receive(&self.to_responder, &mut self.handler)
            {
                Ok(Status::Complete(used)) => {
                    assert!(used <= self.to_responder.len());
                    if used == 0 {
                        idle_frames += 1;
                        assert!(idle_frames <= 1, "two frames in a row consumed nothing");
                    } else {
                        idle_frames = 0;
                    }
                    self.to_responder.drain(..used);
                }
                Ok(Status::Incomplete { needed }) => {
                    assert!(needed > self.to_responder.len());
                    break;
                }
                Err(_) => {
                    // The transport would drop what it had; the engine must
                    // not panic on what comes next either way.
                    self.to_responder.clear();
                    break;
                }
            }
            self.check_session();
        }
        self.check_session();
    }

    fn poll(&mut self, size: usize, count: u8) {
        let mut out = vec![0u8; size];
        for _ in 0..count {
            match self.responder.poll_transmit(&mut out, &mut self.handler) {
                Ok(Some(transmit)) => {
                    assert!(transmit.len <= size);
                    self.output.push(&out[..transmit.len]);
                }
                Ok(None) => break,
                Err(_) => break,
            }
        }
    }

    /// The engine's session is the one it last reported to the handler, and
    /// only requests that passed validation reached the handler.
    fn check_session(&self) {
        let reported = self.handler.sessions.last().copied().flatten();
        assert_eq!(self.responder.session_id(), reported);
        for request in &self.handler.requests {
            assert!(!matches!(request.code, OPEN_SESSION | CLOSE_SESSION));
            assert!(
                request.session_id.is_some() || request.code == GET_DEVICE_INFO,
                "{request:?} reached the handler outside a session"
            );
        }
    }
}

/// Frames what the responder sends as the initiator would, checking that
/// it is well formed.
struct OutputCheck {
    framer: Framer,
    pending: Vec<u8>,
    /// The data phase in progress: transaction, announced total, bytes seen.
    phase: Option<(u32, Option<u64>, u64)>,
}

impl OutputCheck {
    fn new(transport: Transport) -> Self {
        OutputCheck {
            framer: Framer::new(transport),
            pending: Vec::new(),
            phase: None,
        }
    }

    /// After a cancel or reset the stream starts over.
    fn restart(&mut self) {
        self.framer.reset();
        self.pending.clear();
        self.phase = None;
    }

    fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        loop {
            let (frame, used) = match self.framer.next(&self.pending) {
                Ok(Status::Complete(complete)) => complete,
                Ok(Status::Incomplete { .. }) => return,
                Err(e) => panic!("the responder sent malformed bytes: {e}"),
            };
            match frame {
                Frame::DataStart {
                    transaction_id,
                    total,
                } => {
                    assert!(self.phase.is_none(), "a data phase inside a data phase");
                    self.phase = Some((transaction_id, total, 0));
                }
                Frame::Data(bytes) => {
                    let Some((_, total, seen)) = self.phase.as_mut() else {
                        panic!("data outside a data phase");
                    };
                    for (i, byte) in bytes.iter().enumerate() {
                        let offset = *seen + i as u64;
                        assert!(
                            *byte == offset as u8 || *byte == 0,
                            "byte {offset} is neither the handler's nor zero fill"
                        );
                    }
                    *seen += bytes.len() as u64;
                    assert!(
                        total.is_none_or(|total| *seen <= total),
                        "more data than announced"
                    );
                }
                Frame::DataEnd => {
                    let Some((_, total, seen)) = self.phase else {
                        panic!("the end of a data phase that did not start");
                    };
                    assert!(
                        total.is_none_or(|total| seen == total),
                        "data phase cut short"
                    );
                }
                Frame::Response(message) => {
                    if let Some((transaction_id, ..)) = self.phase.take() {
                        assert_eq!(message.transaction_id, transaction_id);
                    }
                }
                other => panic!("the responder sent {other:?}"),
            }
            self.pending.drain(..used);
        }
    }
}
