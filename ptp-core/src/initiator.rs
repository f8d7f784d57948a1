//! The initiator (host, camera trigger) transaction engine: sans-IO.
//!
//! It numbers sessions and transactions, emits requests and data-phase
//! headers into the caller's buffer, and recognises the data and response
//! that come back. It performs no I/O and reads no clock: the caller passes
//! the time in milliseconds from any monotonic origin.
//!
//! ## Call order
//! 1. [`Initiator::begin`] emits a request; send the bytes.
//! 2. Data out (the direction given to `begin` was `Out`):
//!    [`Initiator::data_out_start`] with the total length, then for each
//!    chunk [`Initiator::data_out_chunk`]: send the bytes it wrote, then the
//!    chunk itself (payload is never copied).
//! 3. Read bytes from the transport and call [`Initiator::receive`] with the
//!    unconsumed input until it yields [`Received::Response`]: on the way it
//!    yields [`Received::DataStart`], [`Received::Data`] slices (hand them to
//!    the sink) and [`Received::DataEnd`]. `Incomplete` asks for more bytes.
//! 4. While waiting, call [`Initiator::poll_timeout`]; on a timeout, or to
//!    abort, [`Initiator::cancel`] emits the cancel request (USB: the data of
//!    class request 0x64; PTP/IP: a Cancel packet).
//!
//! Outside a session transactions use id 0; OpenSession (id 0) resets the
//! sequence so the first transaction of a session is 1.

use crate::Status;
use crate::codes::DataDirection;
use crate::container::{self, ContainerType, Header};
use crate::error::{DecodeError, EncodeError};
use crate::framer::{Frame, Framer, Transport};
use crate::message::Message;
#[cfg(feature = "ptpip")]
use crate::ptpip::{self, DataPhase, Packet};
use core::fmt;

const OPEN_SESSION: u16 = 0x1002;
const CLOSE_SESSION: u16 = 0x1003;
const RESPONSE_OK: u16 = 0x2001;
/// The USB cancellation code carried by class request 0x64.
pub const CANCEL_REQUEST_CODE: u16 = 0x4001;
/// The default time a transaction may go without progress.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// What the initiator recognised in the incoming bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received<'a> {
    /// The responder starts sending data; `total` when it said how much.
    DataStart {
        /// Total payload bytes, if known.
        total: Option<u64>,
    },
    /// Payload bytes (possibly empty), in order.
    Data(&'a [u8]),
    /// The data phase is complete.
    DataEnd,
    /// The response: the transaction is over.
    Response(Message<'a>),
    /// Bytes of a cancelled transaction, dropped.
    Discarded,
}

/// Why the initiator refused a call or rejected incoming bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InitiatorError {
    /// The bytes from the responder are malformed.
    Decode(DecodeError),
    /// The output buffer is too small (or similar).
    Encode(EncodeError),
    /// A transaction is already in progress.
    Busy,
    /// No transaction is in progress, yet bytes arrived.
    NoTransaction,
    /// Data-out calls out of order (not in a data-out phase, or started twice).
    NotSendingData,
    /// A data-out chunk longer than what remains of the announced total.
    DataTooLong {
        /// Bytes still owed.
        remaining: u64,
    },
    /// A response or data phase for another transaction.
    WrongTransaction {
        /// The transaction in progress.
        expected: u32,
        /// The one that arrived.
        got: u32,
    },
    /// Data arrived for an operation without a data-in phase, or outside
    /// the data phase (PTP/IP Data or End Data without Start Data).
    UnexpectedData,
    /// A request, event or init packet arrived on the command stream.
    UnexpectedFrame,
    /// A PTP/IP data phase that carried another length than its Start Data
    /// packet announced (more, or less by its End Data packet).
    DataLength {
        /// The total announced.
        announced: u64,
        /// The bytes received when the mismatch showed.
        received: u64,
    },
    /// The transaction made no progress within the timeout.
    Timeout {
        /// The transaction that timed out.
        transaction_id: u32,
    },
}

impl fmt::Display for InitiatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitiatorError::Decode(error) => write!(f, "malformed reply: {error}"),
            InitiatorError::Encode(error) => write!(f, "cannot encode request: {error}"),
            InitiatorError::Busy => f.write_str("a transaction is already in progress"),
            InitiatorError::NoTransaction => {
                f.write_str("bytes arrived while no transaction was in progress")
            }
            InitiatorError::NotSendingData => f.write_str("not in a data-out phase"),
            InitiatorError::DataTooLong { remaining } => {
                write!(
                    f,
                    "data chunk exceeds the announced length ({remaining} bytes left)"
                )
            }
            InitiatorError::WrongTransaction { expected, got } => {
                write!(
                    f,
                    "reply for transaction {got} while {expected} is in progress"
                )
            }
            InitiatorError::UnexpectedData => {
                f.write_str("data from the responder outside a data-in phase")
            }
            InitiatorError::UnexpectedFrame => {
                f.write_str("unexpected request, event or init packet on the command stream")
            }
            InitiatorError::DataLength {
                announced,
                received,
            } => write!(
                f,
                "data phase of {received} bytes where {announced} were announced"
            ),
            InitiatorError::Timeout { transaction_id } => {
                write!(
                    f,
                    "transaction {transaction_id} made no progress within the timeout"
                )
            }
        }
    }
}

impl core::error::Error for InitiatorError {}

impl From<DecodeError> for InitiatorError {
    fn from(error: DecodeError) -> Self {
        InitiatorError::Decode(error)
    }
}

impl From<EncodeError> for InitiatorError {
    fn from(error: EncodeError) -> Self {
        InitiatorError::Encode(error)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    /// Request sent, waiting for data or the response.
    Awaiting {
        code: u16,
        transaction_id: u32,
        direction: DataDirection,
    },
    /// Data out: `remaining` is `None` until `data_out_start`.
    Sending {
        code: u16,
        transaction_id: u32,
        remaining: Option<u64>,
    },
}

/// The initiator engine. See the module docs for the call order.
#[derive(Clone, Debug)]
pub struct Initiator {
    framer: Framer,
    state: State,
    session_id: Option<u32>,
    next_transaction_id: u32,
    cancelled: Option<u32>,
    /// The data-in phase in progress: its announced total (`None` when not
    /// given) and the bytes received so far.
    data_in: Option<(Option<u64>, u64)>,
    /// The session id of the OpenSession in progress.
    opening_session: u32,
    timeout_ms: u64,
    last_progress_ms: u64,
}

impl Initiator {
    /// An idle initiator without a session.
    pub const fn new(transport: Transport) -> Self {
        Initiator {
            framer: Framer::new(transport),
            state: State::Idle,
            session_id: None,
            next_transaction_id: 0,
            cancelled: None,
            data_in: None,
            opening_session: 0,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            last_progress_ms: 0,
        }
    }

    /// Sets how long a transaction may go without progress.
    pub fn set_timeout_ms(&mut self, timeout_ms: u64) {
        self.timeout_ms = timeout_ms;
    }

    /// The open session, if any.
    pub const fn session_id(&self) -> Option<u32> {
        self.session_id
    }

    /// The transaction id the next request will use.
    pub const fn next_transaction_id(&self) -> u32 {
        match self.session_id {
            Some(_) => self.next_transaction_id,
            None => 0,
        }
    }

    /// The transaction in progress, if any.
    pub const fn current_transaction(&self) -> Option<u32> {
        match self.state {
            State::Idle => None,
            State::Awaiting { transaction_id, .. } | State::Sending { transaction_id, .. } => {
                Some(transaction_id)
            }
        }
    }

    /// Whether no transaction is in progress.
    pub fn is_idle(&self) -> bool {
        self.state == State::Idle
    }

    /// Whether the remains of a cancelled transaction (its response on
    /// PTP/IP) are still expected.
    pub const fn cancel_pending(&self) -> bool {
        self.cancelled.is_some()
    }

    /// Forgets the session and any transaction (after a reconnect or a
    /// device reset).
    pub fn reset(&mut self) {
        self.framer.reset();
        self.state = State::Idle;
        self.session_id = None;
        self.next_transaction_id = 0;
        self.cancelled = None;
        self.data_in = None;
    }

    /// Emits a request for `code` with `params`, whose data phase goes in
    /// `direction`. Returns the bytes written to `out`.
    pub fn begin(
        &mut self,
        code: u16,
        params: &[u32],
        direction: DataDirection,
        out: &mut [u8],
        now_ms: u64,
    ) -> Result<usize, InitiatorError> {
        if self.state != State::Idle {
            return Err(InitiatorError::Busy);
        }
        let transaction_id = if code == OPEN_SESSION {
            0
        } else {
            self.next_transaction_id()
        };
        if code == OPEN_SESSION {
            self.opening_session = params.first().copied().unwrap_or(0);
        }
        let message = Message::new(code, transaction_id, params);
        let len = match self.framer.transport() {
            Transport::Usb => container::emit_message(ContainerType::Command, &message, out)?,
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => {
                let data_phase = if direction == DataDirection::Out {
                    DataPhase::Out
                } else {
                    DataPhase::NoneOrIn
                };
                Packet::OperationRequest {
                    data_phase,
                    message,
                }
                .emit(out)?
            }
        };
        if self.session_id.is_some() && code != OPEN_SESSION {
            self.next_transaction_id = match transaction_id.wrapping_add(1) {
                0 | 0xFFFF_FFFF => 1,
                next => next,
            };
        }
        self.cancelled = None;
        self.data_in = None;
        self.last_progress_ms = now_ms;
        self.state = match direction {
            DataDirection::Out => State::Sending {
                code,
                transaction_id,
                remaining: None,
            },
            _ => State::Awaiting {
                code,
                transaction_id,
                direction,
            },
        };
        Ok(len)
    }

    /// Starts the data-out phase of `total` bytes; returns the header bytes.
    pub fn data_out_start(&mut self, total: u64, out: &mut [u8]) -> Result<usize, InitiatorError> {
        let State::Sending {
            code,
            transaction_id,
            remaining: None,
        } = self.state
        else {
            return Err(InitiatorError::NotSendingData);
        };
        let len = match self.framer.transport() {
            Transport::Usb => Header::data(code, transaction_id, total).emit(out)?,
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => {
                let start = Packet::StartData {
                    transaction_id,
                    total_length: total,
                }
                .emit(out)?;
                if total == 0 {
                    let rest = out.get_mut(start..).unwrap_or(&mut []);
                    start + ptpip::emit_data_header(rest, true, transaction_id, 0)?
                } else {
                    start
                }
            }
        };
        self.state = match total {
            0 => State::Awaiting {
                code,
                transaction_id,
                direction: DataDirection::Out,
            },
            total => State::Sending {
                code,
                transaction_id,
                remaining: Some(total),
            },
        };
        Ok(len)
    }

    /// Announces a chunk of `len` payload bytes; returns the header bytes to
    /// send before it (none on USB; a Data or End Data header on PTP/IP).
    #[cfg_attr(not(feature = "ptpip"), allow(unused_variables))]
    pub fn data_out_chunk(&mut self, len: usize, out: &mut [u8]) -> Result<usize, InitiatorError> {
        let State::Sending {
            code,
            transaction_id,
            remaining: Some(remaining),
        } = self.state
        else {
            return Err(InitiatorError::NotSendingData);
        };
        let left = remaining
            .checked_sub(len as u64)
            .ok_or(InitiatorError::DataTooLong { remaining })?;
        let written = match self.framer.transport() {
            Transport::Usb => 0,
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => ptpip::emit_data_header(out, left == 0, transaction_id, len)?,
        };
        self.state = match left {
            0 => State::Awaiting {
                code,
                transaction_id,
                direction: DataDirection::Out,
            },
            left => State::Sending {
                code,
                transaction_id,
                remaining: Some(left),
            },
        };
        Ok(written)
    }

    /// USB: the transfer ended with a short packet (ends a data phase of
    /// unknown length).
    pub fn end_of_transfer(&mut self) {
        self.framer.end_of_transfer();
    }

    /// Recognises the next unit of the reply in `input`.
    pub fn receive<'a>(
        &mut self,
        input: &'a [u8],
        now_ms: u64,
    ) -> Result<Status<(Received<'a>, usize)>, InitiatorError> {
        let (frame, used) = match self.framer.next(input)? {
            Status::Complete(complete) => complete,
            Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
        };
        self.last_progress_ms = now_ms;
        let received = self.on_frame(frame)?;
        Ok(Status::Complete((received, used)))
    }

    fn on_frame<'a>(&mut self, frame: Frame<'a>) -> Result<Received<'a>, InitiatorError> {
        let (code, expected, direction) = match self.state {
            State::Awaiting {
                code,
                transaction_id,
                direction,
            } => (code, transaction_id, Some(direction)),
            // The responder may refuse data-out early with a response.
            State::Sending {
                code,
                transaction_id,
                ..
            } => (code, transaction_id, None),
            State::Idle => return self.on_idle_frame(frame),
        };
        let check = |got: u32| match got == expected {
            true => Ok(()),
            false => Err(InitiatorError::WrongTransaction { expected, got }),
        };
        match frame {
            Frame::DataStart {
                transaction_id,
                total,
            } => {
                check(transaction_id)?;
                if direction != Some(DataDirection::In) {
                    return Err(InitiatorError::UnexpectedData);
                }
                // u64::MAX is taken to mean "not known", as some
                // responders send it.
                self.data_in = Some((total.filter(|total| *total != u64::MAX), 0));
                Ok(Received::DataStart { total })
            }
            // Payload only inside a data phase: PTP/IP Data or End Data
            // packets without Start Data are refused.
            Frame::Data(_) | Frame::DataEnd if self.data_in.is_none() => {
                Err(InitiatorError::UnexpectedData)
            }
            Frame::Data(bytes) => {
                self.count_data(bytes.len())?;
                Ok(Received::Data(bytes))
            }
            Frame::DataEnd => match self.data_in.take() {
                Some((Some(announced), received)) if received != announced => {
                    Err(InitiatorError::DataLength {
                        announced,
                        received,
                    })
                }
                _ => Ok(Received::DataEnd),
            },
            Frame::Response(message) => {
                check(message.transaction_id)?;
                self.state = State::Idle;
                if message.code == RESPONSE_OK {
                    match code {
                        OPEN_SESSION => {
                            self.session_id = Some(self.opening_session);
                            self.next_transaction_id = 1;
                        }
                        CLOSE_SESSION => self.session_id = None,
                        _ => {}
                    }
                }
                Ok(Received::Response(message))
            }
            Frame::Request { .. } | Frame::Event(_) | Frame::Cancel { .. } | Frame::Other(_) => {
                Err(InitiatorError::UnexpectedFrame)
            }
        }
    }

    /// Counts `len` payload bytes of the data-in phase against its total.
    /// (USB containers cannot carry more than they announce; PTP/IP Data
    /// packets can.)
    fn count_data(&mut self, len: usize) -> Result<(), InitiatorError> {
        let Some((total, received)) = self.data_in.as_mut() else {
            return Ok(());
        };
        *received = received.saturating_add(len as u64);
        match *total {
            Some(announced) if *received > announced => Err(InitiatorError::DataLength {
                announced,
                received: *received,
            }),
            _ => Ok(()),
        }
    }

    /// Frames while idle: only the remains of a cancelled transaction.
    fn on_idle_frame<'a>(&mut self, frame: Frame<'a>) -> Result<Received<'a>, InitiatorError> {
        let Some(cancelled) = self.cancelled else {
            return Err(InitiatorError::NoTransaction);
        };
        match frame {
            Frame::Data(_) | Frame::DataEnd => Ok(Received::Discarded),
            Frame::DataStart { transaction_id, .. } if transaction_id == cancelled => {
                Ok(Received::Discarded)
            }
            Frame::Response(message) if message.transaction_id == cancelled => {
                self.cancelled = None;
                Ok(Received::Discarded)
            }
            _ => Err(InitiatorError::NoTransaction),
        }
    }

    /// USB: after a cancel, once Get Device Status reports OK and the pipes
    /// are drained, forget where the stream was.
    pub fn reset_framing(&mut self) {
        self.framer.reset();
    }

    /// Fails the transaction in progress if it made no progress for longer
    /// than the timeout.
    pub fn poll_timeout(&mut self, now_ms: u64) -> Result<(), InitiatorError> {
        match self.current_transaction() {
            Some(transaction_id)
                if now_ms.saturating_sub(self.last_progress_ms) > self.timeout_ms =>
            {
                Err(InitiatorError::Timeout { transaction_id })
            }
            _ => Ok(()),
        }
    }

    /// Abandons the transaction in progress and emits the cancel request:
    /// on USB the 6-byte data of class request 0x64 (send it as a control
    /// transfer), on PTP/IP a Cancel packet. Later bytes of the cancelled
    /// transaction are reported as [`Received::Discarded`].
    pub fn cancel(&mut self, out: &mut [u8]) -> Result<usize, InitiatorError> {
        let transaction_id = self
            .current_transaction()
            .ok_or(InitiatorError::NoTransaction)?;
        let len = match self.framer.transport() {
            Transport::Usb => {
                let mut writer = crate::wire::Writer::new(out);
                writer.u16(CANCEL_REQUEST_CODE)?;
                writer.u32(transaction_id)?;
                writer.position()
            }
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => Packet::Cancel { transaction_id }.emit(out)?,
        };
        self.state = State::Idle;
        self.cancelled = Some(transaction_id);
        self.data_in = None;
        Ok(len)
    }
}
