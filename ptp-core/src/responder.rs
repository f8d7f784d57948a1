//! The responder (camera, virtual camera, MCU device) transaction engine:
//! sans-IO.
//!
//! It validates requests (session open, transaction id sequence, parameter
//! count of standard operations), opens and closes sessions itself, hands
//! every other request to a [`Handler`], streams the handler's data phase in
//! chunks and builds the response.
//!
//! ## Call order
//! Loop:
//! 1. [`Responder::receive`] with the bytes read from the transport (and not
//!    yet consumed); it returns how many it consumed, or `Incomplete`.
//! 2. [`Responder::poll_transmit`] until it returns `None`: send each
//!    [`Transmit`]'s bytes. On USB, when `end_of_transfer` is set and the
//!    transfer's length is a multiple of the endpoint's max packet size,
//!    send a zero-length packet.
//!
//! Events go out through [`emit_event`] on the event channel (USB interrupt
//! endpoint, PTP/IP event connection) at any time.

use crate::Status;
use crate::codes;
use crate::container::{self, ContainerType, Header};
use crate::error::{DecodeError, EncodeError};
use crate::framer::{Frame, Framer, Transport};
use crate::message::{Message, OwnedParams};
#[cfg(feature = "ptpip")]
use crate::ptpip::{self, Packet};
use core::fmt;

/// Response codes the engine answers with by itself.
pub mod response {
    /// 0x2001 OK.
    pub const OK: u16 = 0x2001;
    /// 0x2002 General Error.
    pub const GENERAL_ERROR: u16 = 0x2002;
    /// 0x2003 Session Not Open.
    pub const SESSION_NOT_OPEN: u16 = 0x2003;
    /// 0x2004 Invalid TransactionID.
    pub const INVALID_TRANSACTION_ID: u16 = 0x2004;
    /// 0x2005 Operation Not Supported.
    pub const OPERATION_NOT_SUPPORTED: u16 = 0x2005;
    /// 0x2006 Parameter Not Supported.
    pub const PARAMETER_NOT_SUPPORTED: u16 = 0x2006;
    /// 0x2007 Incomplete Transfer.
    pub const INCOMPLETE_TRANSFER: u16 = 0x2007;
    /// 0x201D Invalid Parameter.
    pub const INVALID_PARAMETER: u16 = 0x201D;
    /// 0x201E Session Already Open.
    pub const SESSION_ALREADY_OPEN: u16 = 0x201E;
    /// 0x201F Transaction Cancelled.
    pub const TRANSACTION_CANCELLED: u16 = 0x201F;
}

const GET_DEVICE_INFO: u16 = 0x1001;
const OPEN_SESSION: u16 = 0x1002;
const CLOSE_SESSION: u16 = 0x1003;

/// A validated request, as the handler sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Request {
    /// Operation code.
    pub code: u16,
    /// Transaction id.
    pub transaction_id: u32,
    /// Parameters (absent ones read as 0).
    pub params: OwnedParams,
    /// The open session, if any.
    pub session_id: Option<u32>,
}

/// A response code and its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response {
    /// Response code.
    pub code: u16,
    /// Parameters.
    pub params: OwnedParams,
}

impl Response {
    /// A response without parameters.
    pub const fn code(code: u16) -> Self {
        Response {
            code,
            params: OwnedParams::EMPTY,
        }
    }

    /// OK without parameters.
    pub const OK: Response = Response::code(response::OK);
}

/// How the handler answers a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Reply {
    /// Respond at once, without a data phase.
    Respond(Response),
    /// Send `total` bytes, read through [`Handler::read_data`], then the
    /// response from [`Handler::data_in_done`].
    DataIn {
        /// Total bytes of the data phase.
        total: u64,
    },
    /// Receive the initiator's data through [`Handler::write_data`], then
    /// respond with [`Handler::data_out_done`].
    DataOut,
}

/// The device side: what the responder engine dispatches to.
pub trait Handler {
    /// Decides how to answer a validated request.
    fn request(&mut self, request: &Request) -> Reply;

    /// Fills `buffer` with data-phase bytes starting at `offset`; returns
    /// the count. A count of 0 before the announced total, or an error
    /// code, ends the phase early: the rest is zero-filled and the response
    /// carries the error (or General Error).
    fn read_data(
        &mut self,
        request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16>;

    /// The response after a data-in phase; OK by default.
    fn data_in_done(&mut self, _request: &Request) -> Response {
        Response::OK
    }

    /// Takes a chunk of the initiator's data (at `offset`). An error code
    /// makes the rest of the phase be drained and become the response.
    fn write_data(&mut self, request: &Request, offset: u64, chunk: &[u8]) -> Result<(), u16>;

    /// The response after a data-out phase.
    fn data_out_done(&mut self, request: &Request) -> Response;

    /// The transaction was cancelled by the initiator.
    fn cancelled(&mut self, _request: &Request) {}

    /// A session was opened (`Some`) or closed (`None`).
    fn session_changed(&mut self, _session_id: Option<u32>) {}
}

/// Bytes to send, from [`Responder::poll_transmit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Transmit {
    /// Bytes written at the start of the output buffer.
    pub len: usize,
    /// These bytes end a USB transfer (a data container or a response).
    pub end_of_transfer: bool,
}

/// Why the responder rejected incoming bytes or could not answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ResponderError {
    /// The initiator's bytes are malformed.
    Decode(DecodeError),
    /// The output buffer is too small for a response or data header.
    Encode(EncodeError),
    /// A frame that does not fit the state (a request during a data phase,
    /// a response or event from the initiator, an init packet).
    UnexpectedFrame,
    /// A data phase for another transaction than the one in progress.
    WrongTransaction {
        /// The transaction in progress.
        expected: u32,
        /// The one the data belongs to.
        got: u32,
    },
}

impl fmt::Display for ResponderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponderError::Decode(error) => write!(f, "malformed request: {error}"),
            ResponderError::Encode(error) => write!(f, "cannot encode reply: {error}"),
            ResponderError::UnexpectedFrame => {
                f.write_str("frame out of order for the transaction state")
            }
            ResponderError::WrongTransaction { expected, got } => {
                write!(
                    f,
                    "data for transaction {got} while {expected} is in progress"
                )
            }
        }
    }
}

impl core::error::Error for ResponderError {}

impl From<DecodeError> for ResponderError {
    fn from(error: DecodeError) -> Self {
        ResponderError::Decode(error)
    }
}

impl From<EncodeError> for ResponderError {
    fn from(error: EncodeError) -> Self {
        ResponderError::Encode(error)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    /// Receiving the initiator's data; `failure` drains the rest of it.
    ReceivingData {
        request: Request,
        received: u64,
        failure: Option<Response>,
    },
    /// Sending data; `started` once the header went out.
    SendingData {
        request: Request,
        total: u64,
        sent: u64,
        started: bool,
        failure: Option<u16>,
    },
    /// The response is due.
    Responding {
        transaction_id: u32,
        response: Response,
    },
}

/// The responder engine. See the module docs for the call order.
#[derive(Clone, Debug)]
pub struct Responder {
    framer: Framer,
    state: State,
    session_id: Option<u32>,
    last_transaction_id: u32,
}

impl Responder {
    /// An idle responder without a session.
    pub const fn new(transport: Transport) -> Self {
        Responder {
            framer: Framer::new(transport),
            state: State::Idle,
            session_id: None,
            last_transaction_id: 0,
        }
    }

    /// The open session, if any.
    pub const fn session_id(&self) -> Option<u32> {
        self.session_id
    }

    /// Whether no transaction is in progress.
    pub fn is_idle(&self) -> bool {
        self.state == State::Idle
    }

    /// The transaction in progress, if any.
    pub const fn current_transaction(&self) -> Option<u32> {
        match self.state {
            State::Idle => None,
            State::ReceivingData { request, .. } | State::SendingData { request, .. } => {
                Some(request.transaction_id)
            }
            State::Responding { transaction_id, .. } => Some(transaction_id),
        }
    }

    /// Closes the session and drops any transaction (USB Device Reset, or a
    /// new connection).
    pub fn reset<H: Handler>(&mut self, handler: &mut H) {
        self.framer.reset();
        self.state = State::Idle;
        if self.session_id.take().is_some() {
            handler.session_changed(None);
        }
    }

    /// USB: the transfer ended with a short packet (ends a data phase of
    /// unknown length).
    pub fn end_of_transfer(&mut self) {
        self.framer.end_of_transfer();
    }

    /// Cancels `transaction_id` if it is in progress (USB class request
    /// 0x64, or a PTP/IP Cancel packet). Returns whether it was.
    pub fn cancel<H: Handler>(&mut self, transaction_id: u32, handler: &mut H) -> bool {
        let request = match self.state {
            State::ReceivingData { request, .. } | State::SendingData { request, .. } => request,
            _ => return false,
        };
        if request.transaction_id != transaction_id {
            return false;
        }
        handler.cancelled(&request);
        self.framer.reset();
        self.state = match self.framer.transport() {
            // PTP/IP answers the cancelled transaction; USB reports through
            // Get Device Status instead.
            #[cfg(feature = "ptpip")]
            Transport::PtpIp => State::Responding {
                transaction_id,
                response: Response::code(response::TRANSACTION_CANCELLED),
            },
            Transport::Usb => State::Idle,
        };
        true
    }

    /// Consumes the next unit of `input`; returns the bytes consumed.
    // Out of line, like `poll_transmit`: firmware calls both from async
    // loops, and inlined there they cost more flash.
    #[inline(never)]
    pub fn receive<H: Handler>(
        &mut self,
        input: &[u8],
        handler: &mut H,
    ) -> Result<Status<usize>, ResponderError> {
        let (frame, used) = match self.framer.next(input)? {
            Status::Complete(complete) => complete,
            Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
        };
        match (&mut self.state, frame) {
            (State::Idle, Frame::Request { message, data_out }) => {
                self.on_request(message, data_out, handler)
            }
            (State::ReceivingData { request, .. }, Frame::DataStart { transaction_id, .. }) => {
                if transaction_id != request.transaction_id {
                    return Err(ResponderError::WrongTransaction {
                        expected: request.transaction_id,
                        got: transaction_id,
                    });
                }
            }
            (
                State::ReceivingData {
                    request,
                    received,
                    failure,
                },
                Frame::Data(chunk),
            ) => {
                if failure.is_none() {
                    *failure = handler
                        .write_data(request, *received, chunk)
                        .err()
                        .map(Response::code);
                }
                *received += chunk.len() as u64;
            }
            (
                State::ReceivingData {
                    request, failure, ..
                },
                Frame::DataEnd,
            ) => {
                let transaction_id = request.transaction_id;
                let response = failure.unwrap_or_else(|| handler.data_out_done(request));
                self.state = State::Responding {
                    transaction_id,
                    response,
                };
            }
            (_, Frame::Cancel { transaction_id }) => {
                self.cancel(transaction_id, handler);
            }
            _ => return Err(ResponderError::UnexpectedFrame),
        }
        Ok(Status::Complete(used))
    }

    fn on_request<H: Handler>(
        &mut self,
        message: Message<'_>,
        data_out: Option<bool>,
        handler: &mut H,
    ) {
        let request = Request {
            code: message.code,
            transaction_id: message.transaction_id,
            params: message.to_owned_params(),
            session_id: self.session_id,
        };
        let respond = |code: u16| Reply::Respond(Response::code(code));
        let reply = match self.validate(&request, message.params.len()) {
            Err(code) => respond(code),
            Ok(()) => match request.code {
                OPEN_SESSION => {
                    self.session_id = Some(request.params.get(0));
                    self.last_transaction_id = 0;
                    handler.session_changed(self.session_id);
                    Reply::Respond(Response::OK)
                }
                CLOSE_SESSION => {
                    self.session_id = None;
                    handler.session_changed(None);
                    Reply::Respond(Response::OK)
                }
                _ => handler.request(&request),
            },
        };
        if self.session_id.is_some() && request.code != OPEN_SESSION {
            self.last_transaction_id = request.transaction_id;
        }
        let transaction_id = request.transaction_id;
        self.state = match (reply, data_out) {
            (Reply::DataOut, Some(false)) => State::Responding {
                transaction_id,
                response: Response::code(response::INCOMPLETE_TRANSFER),
            },
            (Reply::DataOut, _) => State::ReceivingData {
                request,
                received: 0,
                failure: None,
            },
            // PTP/IP announced data the handler does not want: drain it, then respond.
            (Reply::Respond(response), Some(true)) => State::ReceivingData {
                request,
                received: 0,
                failure: Some(response),
            },
            (Reply::Respond(response), _) => State::Responding {
                transaction_id,
                response,
            },
            (Reply::DataIn { total }, _) => State::SendingData {
                request,
                total,
                sent: 0,
                started: false,
                failure: None,
            },
        };
    }

    /// Session and transaction checks, and the parameter count of standard
    /// operations whose parameters the spec lists.
    fn validate(&self, request: &Request, param_count: usize) -> Result<(), u16> {
        let known = codes::standard_param_count(request.code);
        if known.is_some_and(|count| param_count > count) {
            return Err(response::PARAMETER_NOT_SUPPORTED);
        }
        match (self.session_id, request.code) {
            (Some(_), OPEN_SESSION) => Err(response::SESSION_ALREADY_OPEN),
            (None, OPEN_SESSION) if request.params.get(0) == 0 => Err(response::INVALID_PARAMETER),
            (None, OPEN_SESSION | GET_DEVICE_INFO) => Ok(()),
            (None, _) => Err(response::SESSION_NOT_OPEN),
            (Some(_), GET_DEVICE_INFO) if request.transaction_id == 0 => Ok(()),
            (Some(_), _) => {
                let expected = match self.last_transaction_id.wrapping_add(1) {
                    0 | 0xFFFF_FFFF => 1,
                    next => next,
                };
                if request.transaction_id == expected {
                    Ok(())
                } else {
                    Err(response::INVALID_TRANSACTION_ID)
                }
            }
        }
    }

    /// Writes the next bytes to send into `out`, or `None` when nothing is
    /// due. `out` must hold at least a response (32 bytes); data phases go
    /// out in chunks of up to `out.len()`.
    #[inline(never)]
    pub fn poll_transmit<H: Handler>(
        &mut self,
        out: &mut [u8],
        handler: &mut H,
    ) -> Result<Option<Transmit>, ResponderError> {
        let transport = self.framer.transport();
        match &mut self.state {
            State::Idle | State::ReceivingData { .. } => Ok(None),
            State::Responding {
                transaction_id,
                response,
            } => {
                let message =
                    Message::new(response.code, *transaction_id, response.params.as_slice());
                let len = match transport {
                    Transport::Usb => {
                        container::emit_message(ContainerType::Response, &message, out)?
                    }
                    #[cfg(feature = "ptpip")]
                    Transport::PtpIp => Packet::OperationResponse(message).emit(out)?,
                };
                self.state = State::Idle;
                Ok(Some(Transmit {
                    len,
                    end_of_transfer: true,
                }))
            }
            State::SendingData {
                request,
                total,
                sent,
                started,
                failure,
            } => {
                let transaction_id = request.transaction_id;
                let mut len = 0;
                if !*started {
                    len = match transport {
                        Transport::Usb => {
                            Header::data(request.code, transaction_id, *total).emit(out)?
                        }
                        #[cfg(feature = "ptpip")]
                        Transport::PtpIp => Packet::StartData {
                            transaction_id,
                            total_length: *total,
                        }
                        .emit(out)?,
                    };
                }
                let header = match transport {
                    Transport::Usb => 0,
                    #[cfg(feature = "ptpip")]
                    Transport::PtpIp => ptpip::DATA_HEADER_LEN,
                };
                let room = out.len().saturating_sub(len + header);
                let chunk = usize::try_from(*total - *sent)
                    .unwrap_or(usize::MAX)
                    .min(room);
                if chunk == 0 && *total > *sent {
                    if *started {
                        return Err(ResponderError::Encode(EncodeError::BufferTooSmall {
                            needed: header + 1,
                            available: out.len(),
                        }));
                    }
                    // Only the header fitted; the payload follows next call.
                    *started = true;
                    return Ok(Some(Transmit {
                        len,
                        end_of_transfer: false,
                    }));
                }
                let last = *sent + chunk as u64 == *total;
                #[cfg(feature = "ptpip")]
                if transport == Transport::PtpIp {
                    let rest = out.get_mut(len..).unwrap_or(&mut []);
                    len += ptpip::emit_data_header(rest, last, transaction_id, chunk)?;
                }
                // Only now, with every fallible write done: on an error the
                // Start Data / container header must go out again.
                *started = true;
                let target = out.get_mut(len..len + chunk).unwrap_or(&mut []);
                *failure = fill(handler, request, *sent, target, *failure);
                len += chunk;
                *sent += chunk as u64;
                if last {
                    let response = match *failure {
                        Some(code) => Response::code(code),
                        None => handler.data_in_done(request),
                    };
                    self.state = State::Responding {
                        transaction_id,
                        response,
                    };
                }
                Ok(Some(Transmit {
                    len,
                    end_of_transfer: last,
                }))
            }
        }
    }
}

/// Fills `target` from the handler, zero-filling after a failure.
fn fill<H: Handler>(
    handler: &mut H,
    request: &Request,
    offset: u64,
    target: &mut [u8],
    failure: Option<u16>,
) -> Option<u16> {
    let mut filled = 0;
    let mut failure = failure;
    while filled < target.len() && failure.is_none() {
        let rest = target.get_mut(filled..).unwrap_or(&mut []);
        match handler.read_data(request, offset + filled as u64, rest) {
            Ok(0) => failure = Some(response::GENERAL_ERROR),
            Ok(count) => filled += count.min(rest.len()),
            Err(code) => failure = Some(code),
        }
    }
    target.get_mut(filled..).unwrap_or(&mut []).fill(0);
    failure
}

/// Writes an event for the event channel: a USB interrupt container or a
/// PTP/IP Event packet. Returns the bytes written.
pub fn emit_event(
    transport: Transport,
    event: Message<'_>,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    match transport {
        Transport::Usb => container::emit_message(ContainerType::Event, &event, out),
        #[cfg(feature = "ptpip")]
        Transport::PtpIp => Packet::Event(event).emit(out),
    }
}

/// The largest response any transport needs.
pub const MAX_RESPONSE_LEN: usize = container::MAX_OPERATION_LEN + 8;
