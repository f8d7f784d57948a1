//! The initiator engine fed arbitrary device replies: well-formed responses,
//! data phases and events with fuzzed transaction ids, codes and (lying)
//! lengths, raw bytes, short packets, the passing of time, cancels, resets,
//! and output buffers of any size.
//!
//! Checks: every request it emits parses back to what was asked, with the
//! transaction id the sequence rules give; `begin` refuses while busy;
//! `receive` consumes no more than it is given, makes progress and hands out
//! payload borrowed from the input; a response ends the transaction;
//! `poll_timeout` reports a timeout exactly when the time since the last
//! progress exceeds the timeout; and after `reset()` it runs a whole session
//! against a real responder engine.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ptp_core::Status;
use ptp_core::codes::DataDirection;
use ptp_core::container::{Container, Header};
use ptp_core::framer::Transport;
use ptp_core::initiator::{Initiator, InitiatorError, Received};
use ptp_core::message::Message;
use ptp_core::ptpip::{self, Packet};
use ptp_core::responder::Responder;
use ptp_core_fuzz::framing::within;
use ptp_core_fuzz::session::fresh_session_works;

const OPEN_SESSION: u16 = 0x1002;

#[derive(Arbitrary, Debug)]
struct Input {
    usb: bool,
    timeout_ms: u16,
    actions: Vec<Action>,
}

#[derive(Arbitrary, Debug)]
enum Action {
    Begin {
        code: u16,
        open_session: bool,
        params: Vec<u32>,
        direction: u8,
        out: u8,
    },
    DataOutStart {
        total: u16,
        out: u8,
    },
    DataOutChunk {
        len: u16,
        out: u8,
    },
    /// A well-formed reply from the device.
    Reply(Reply),
    /// Raw bytes from the device.
    Bytes(Vec<u8>),
    /// Time passes, then `poll_timeout`.
    Wait(u16),
    Cancel {
        out: u8,
    },
    EndOfTransfer,
    ResetFraming,
    Reset,
}

#[derive(Arbitrary, Debug)]
enum Reply {
    Response {
        transaction_id: Tid,
        code: u16,
        params: Vec<u32>,
    },
    /// A data phase header announcing `total` bytes (may lie).
    DataStart {
        transaction_id: Tid,
        total: u32,
    },
    /// Payload (PTP/IP: in a Data or End Data packet).
    Data {
        transaction_id: Tid,
        len: u16,
        last: bool,
    },
    Event {
        code: u16,
        transaction_id: Tid,
    },
}

/// The transaction in progress (mostly), or any id.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Tid {
    Current,
    Any(u32),
}

struct Run {
    transport: Transport,
    initiator: Initiator,
    from_device: Vec<u8>,
    now_ms: u64,
    timeout_ms: u64,
    /// When the engine last made progress, by the documented rules.
    last_progress_ms: u64,
}

fuzz_target!(|input: Input| {
    let transport = if input.usb {
        Transport::Usb
    } else {
        Transport::PtpIp
    };
    let mut run = Run {
        transport,
        initiator: Initiator::new(transport),
        from_device: Vec::new(),
        now_ms: 1_000,
        timeout_ms: u64::from(input.timeout_ms),
        last_progress_ms: 1_000,
    };
    run.initiator.set_timeout_ms(run.timeout_ms);
    for action in &input.actions {
        run.act(action);
    }
    run.initiator.reset();
    fresh_session_works(&mut run.initiator, &mut Responder::new(transport));
});

impl Run {
    fn tid(&self, tid: Tid) -> u32 {
        match tid {
            Tid::Current => self.initiator.current_transaction().unwrap_or(0),
            Tid::Any(tid) => tid,
        }
    }

    fn act(&mut self, action: &Action) {
        match *action {
            Action::Begin {
                code,
                open_session,
                ref params,
                direction,
                out,
            } => self.begin(
                if open_session { OPEN_SESSION } else { code },
                params,
                direction,
                out,
            ),
            Action::DataOutStart { total, out } => {
                let mut buffer = vec![0u8; usize::from(out)];
                let result = self.initiator.data_out_start(u64::from(total), &mut buffer);
                if let Ok(len) = result {
                    assert!(len <= buffer.len());
                    self.check_data_header(&buffer[..len], u64::from(total));
                }
            }
            Action::DataOutChunk { len, out } => {
                let mut buffer = vec![0u8; usize::from(out)];
                if let Ok(written) = self.initiator.data_out_chunk(usize::from(len), &mut buffer) {
                    match self.transport {
                        Transport::Usb => assert_eq!(written, 0),
                        Transport::PtpIp => {
                            assert_eq!(written, ptpip::DATA_HEADER_LEN);
                            let length = u32::from_le_bytes(buffer[..4].try_into().unwrap());
                            assert_eq!(length as usize, written + usize::from(len));
                        }
                    }
                }
            }
            Action::Reply(ref reply) => {
                let bytes = self.reply(reply);
                self.feed(&bytes);
            }
            Action::Bytes(ref raw) => self.feed(raw),
            Action::Wait(ms) => {
                self.now_ms += u64::from(ms);
                let result = self.initiator.poll_timeout(self.now_ms);
                let late = self.now_ms - self.last_progress_ms > self.timeout_ms;
                match self.initiator.current_transaction() {
                    Some(tid) if late => {
                        assert_eq!(
                            result,
                            Err(InitiatorError::Timeout {
                                transaction_id: tid
                            })
                        )
                    }
                    _ => assert_eq!(result, Ok(())),
                }
            }
            Action::Cancel { out } => {
                let busy = self.initiator.current_transaction();
                let mut buffer = vec![0u8; usize::from(out)];
                match self.initiator.cancel(&mut buffer) {
                    Ok(len) => {
                        assert!(busy.is_some() && self.initiator.is_idle());
                        assert!(len <= buffer.len());
                    }
                    Err(InitiatorError::NoTransaction) => assert!(busy.is_none()),
                    Err(_) => assert_eq!(self.initiator.current_transaction(), busy),
                }
            }
            Action::EndOfTransfer => {
                self.initiator.end_of_transfer();
                self.feed(&[]);
            }
            Action::ResetFraming => {
                self.initiator.reset_framing();
                self.from_device.clear();
            }
            Action::Reset => {
                self.initiator.reset();
                self.from_device.clear();
                assert!(self.initiator.is_idle() && self.initiator.session_id().is_none());
            }
        }
    }

    fn begin(&mut self, code: u16, params: &[u32], direction: u8, out: u8) {
        let direction = match direction % 3 {
            0 => DataDirection::None,
            1 => DataDirection::In,
            _ => DataDirection::Out,
        };
        let was_idle = self.initiator.is_idle();
        let expected_tid = if code == OPEN_SESSION {
            0
        } else {
            self.initiator.next_transaction_id()
        };
        let mut buffer = vec![0u8; usize::from(out)];
        match self
            .initiator
            .begin(code, params, direction, &mut buffer, self.now_ms)
        {
            Ok(len) => {
                assert!(
                    was_idle,
                    "begin accepted while a transaction was in progress"
                );
                assert!(len <= buffer.len());
                self.last_progress_ms = self.now_ms;
                let tid = self.initiator.current_transaction();
                assert_eq!(tid, Some(expected_tid));
                if self.initiator.session_id().is_some() && code != OPEN_SESSION {
                    assert!(!matches!(expected_tid, 0 | 0xFFFF_FFFF));
                }
                let request = match self.transport {
                    Transport::Usb => match Container::parse(&buffer[..len]) {
                        Ok(Status::Complete((Container::Command(message), used))) => {
                            assert_eq!(used, len);
                            Some(message)
                        }
                        _ => None,
                    },
                    Transport::PtpIp => match Packet::parse(&buffer[..len]) {
                        Ok(Status::Complete((Packet::OperationRequest { message, .. }, used))) => {
                            assert_eq!(used, len);
                            Some(message)
                        }
                        _ => None,
                    },
                };
                let Some(request) = request else {
                    panic!("begin emitted something that is not a request");
                };
                assert_eq!(request, Message::new(code, expected_tid, params));
            }
            Err(InitiatorError::Busy) => assert!(!was_idle),
            Err(InitiatorError::Encode(_)) => assert!(was_idle && self.initiator.is_idle()),
            Err(other) => panic!("begin failed with {other}"),
        }
    }

    /// The data-out header bytes announce `total`.
    fn check_data_header(&self, bytes: &[u8], total: u64) {
        match self.transport {
            Transport::Usb => {
                let Ok(Status::Complete(header)) = Header::parse(bytes) else {
                    panic!("data_out_start wrote no data header: {bytes:?}");
                };
                assert_eq!(header.payload_len.map(u64::from), Some(total));
            }
            Transport::PtpIp => match Packet::parse(bytes) {
                Ok(Status::Complete((Packet::StartData { total_length, .. }, _))) => {
                    assert_eq!(total_length, total)
                }
                other => panic!("data_out_start wrote {other:?}"),
            },
        }
    }

    /// The bytes of a well-formed reply.
    fn reply(&self, reply: &Reply) -> Vec<u8> {
        let mut bytes = vec![0u8; 64];
        let len = match *reply {
            Reply::Response {
                transaction_id,
                code,
                ref params,
            } => {
                let message = Message::new(
                    code,
                    self.tid(transaction_id),
                    &params[..params.len().min(5)],
                );
                match self.transport {
                    Transport::Usb => Container::Response(message).emit(&mut bytes),
                    Transport::PtpIp => Packet::OperationResponse(message).emit(&mut bytes),
                }
            }
            Reply::DataStart {
                transaction_id,
                total,
            } => {
                let tid = self.tid(transaction_id);
                match self.transport {
                    Transport::Usb => Header::data(0x1009, tid, u64::from(total)).emit(&mut bytes),
                    Transport::PtpIp => Packet::StartData {
                        transaction_id: tid,
                        total_length: u64::from(total),
                    }
                    .emit(&mut bytes),
                }
            }
            Reply::Data {
                transaction_id,
                len,
                last,
            } => {
                let payload = usize::from(len);
                let header = match self.transport {
                    Transport::Usb => Ok(0),
                    Transport::PtpIp => {
                        ptpip::emit_data_header(&mut bytes, last, self.tid(transaction_id), payload)
                    }
                };
                header.map(|header| {
                    bytes.truncate(header);
                    bytes.extend((0..payload).map(|i| i as u8));
                    bytes.len()
                })
            }
            Reply::Event {
                code,
                transaction_id,
            } => {
                let message = Message::new(code, self.tid(transaction_id), &[]);
                match self.transport {
                    Transport::Usb => Container::Event(message).emit(&mut bytes),
                    Transport::PtpIp => Packet::Event(message).emit(&mut bytes),
                }
            }
        };
        let len = len.unwrap_or_else(|e| panic!("reply: {e}"));
        bytes.truncate(len);
        bytes
    }

    /// Bytes from the device: queued, then received as far as they go.
    fn feed(&mut self, bytes: &[u8]) {
        self.from_device.extend_from_slice(bytes);
        let mut idle_frames = 0;
        loop {
            let before = self.initiator.current_transaction();
            match self.initiator.receive(&self.from_device, self.now_ms) {
                Ok(Status::Complete((received, used))) => {
                    self.last_progress_ms = self.now_ms;
                    assert!(used <= self.from_device.len());
                    if used == 0 {
                        idle_frames += 1;
                        assert!(idle_frames <= 1, "two frames in a row consumed nothing");
                    } else {
                        idle_frames = 0;
                    }
                    match received {
                        Received::Data(bytes) => {
                            assert!(within(bytes, &self.from_device[..used]))
                        }
                        Received::Response(message) => {
                            assert_eq!(Some(message.transaction_id), before);
                            assert!(self.initiator.is_idle());
                        }
                        _ => {}
                    }
                    self.from_device.drain(..used);
                }
                Ok(Status::Incomplete { needed }) => {
                    assert!(needed > self.from_device.len());
                    return;
                }
                Err(error) => {
                    if !matches!(error, InitiatorError::Decode(_)) {
                        // A frame was recognised, then refused: still progress.
                        self.last_progress_ms = self.now_ms;
                    }
                    // The transport would drop what it had.
                    self.from_device.clear();
                    return;
                }
            }
        }
    }
}
