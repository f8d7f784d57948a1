//! Fault tests at engine level, over both transports' framing.
//!
//! - The initiator against a misbehaving responder (a test double, written
//!   byte by byte with ptp-core's own emitters: there is no real device that
//!   misbehaves on demand): a reply for another transaction, truncated data,
//!   lying lengths, no answer, a connection lost mid data phase. Each gets a
//!   typed error (or a timeout from the time passed in), and after `reset()`
//!   a new session with a real responder engine works.
//! - The responder against misbehaving initiators: garbage, a request in
//!   the middle of a data phase, data for another transaction, a request
//!   cut off by a disconnect, transaction ids out of sequence. It refuses
//!   with a typed error or a PTP response code, and keeps serving (after
//!   `reset()` where the connection would be dropped).
// Test code: an unwrap or index that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use ptp_core::codes::DataDirection;
use ptp_core::container::{Container, Header};
use ptp_core::framer::Transport;
use ptp_core::initiator::{Initiator, InitiatorError, Received};
use ptp_core::message::Message;
use ptp_core::ptpip::{self, Packet};
use ptp_core::responder::{Handler, Reply, Request, Responder, ResponderError, Response, response};
use ptp_core::{DecodeError, Status};

const GET_DEVICE_INFO: u16 = 0x1001;
const OPEN_SESSION: u16 = 0x1002;
const GET_STORAGE_IDS: u16 = 0x1004;
const GET_OBJECT: u16 = 0x1009;
const SEND_OBJECT: u16 = 0x100D;
const TIMEOUT_MS: u64 = 1_000;

fn both(test: impl Fn(Transport)) {
    test(Transport::Usb);
    test(Transport::PtpIp);
}

/// Test double of a device: one object of 10 000 bytes, uploads kept.
#[derive(Default)]
struct Camera {
    uploaded: Vec<u8>,
}

const OBJECT_LEN: usize = 10_000;

fn object_byte(offset: usize) -> u8 {
    (offset * 7 % 251) as u8
}

impl Handler for Camera {
    fn request(&mut self, request: &Request) -> Reply {
        match request.code {
            GET_DEVICE_INFO => Reply::DataIn { total: 5 },
            GET_OBJECT => Reply::DataIn {
                total: OBJECT_LEN as u64,
            },
            SEND_OBJECT => Reply::DataOut,
            _ => Reply::Respond(Response::OK),
        }
    }

    fn read_data(
        &mut self,
        _request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        for (i, byte) in buffer.iter_mut().enumerate() {
            *byte = object_byte(offset as usize + i);
        }
        Ok(buffer.len())
    }

    fn write_data(&mut self, _request: &Request, _offset: u64, chunk: &[u8]) -> Result<(), u16> {
        self.uploaded.extend_from_slice(chunk);
        Ok(())
    }

    fn data_out_done(&mut self, _request: &Request) -> Response {
        Response::OK
    }
}

/// Feeds `input` to the responder until it needs more; returns the bytes
/// consumed and everything it then transmits (in 512-byte pieces).
fn serve(
    responder: &mut Responder,
    camera: &mut Camera,
    input: &[u8],
) -> Result<(usize, Vec<u8>), ResponderError> {
    let mut used = 0;
    while let Status::Complete(n) = responder.receive(&input[used..], camera)? {
        used += n;
    }
    let mut output = Vec::new();
    let mut out = [0u8; 512];
    while let Some(transmit) = responder.poll_transmit(&mut out, camera)? {
        output.extend_from_slice(&out[..transmit.len]);
    }
    Ok((used, output))
}

/// What the initiator made of a reply.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// The transaction ended: data received and the response code.
    Done { data: Vec<u8>, response: u16 },
    /// The reply ran out before the response: data received so far.
    Waiting { data: Vec<u8> },
    /// The initiator refused the reply.
    Refused(InitiatorError),
}

/// Feeds `reply` to the initiator at time `now_ms`.
fn receive(initiator: &mut Initiator, reply: &[u8], now_ms: u64) -> Outcome {
    let mut data = Vec::new();
    let mut used = 0;
    loop {
        match initiator.receive(&reply[used..], now_ms) {
            Ok(Status::Complete((received, n))) => {
                used += n;
                match received {
                    Received::Data(bytes) => data.extend_from_slice(bytes),
                    Received::Response(message) => {
                        return Outcome::Done {
                            data,
                            response: message.code,
                        };
                    }
                    _ => {}
                }
            }
            Ok(Status::Incomplete { .. }) => return Outcome::Waiting { data },
            Err(error) => return Outcome::Refused(error),
        }
    }
}

/// A request's bytes from the initiator.
fn begin(
    initiator: &mut Initiator,
    code: u16,
    params: &[u32],
    direction: DataDirection,
) -> Vec<u8> {
    let mut out = [0u8; 64];
    let len = initiator
        .begin(code, params, direction, &mut out, 0)
        .unwrap();
    out[..len].to_vec()
}

/// One whole transaction between the engines (data in only).
fn transact(
    initiator: &mut Initiator,
    responder: &mut Responder,
    camera: &mut Camera,
    code: u16,
    params: &[u32],
    direction: DataDirection,
) -> Outcome {
    let request = begin(initiator, code, params, direction);
    let (used, reply) = serve(responder, camera, &request).unwrap();
    assert_eq!(used, request.len());
    receive(initiator, &reply, 0)
}

/// A new session after `reset()` of both sides (a reconnect): OpenSession,
/// then a whole object download.
fn new_session_works(initiator: &mut Initiator, responder: &mut Responder) {
    let mut camera = Camera::default();
    initiator.reset();
    responder.reset(&mut camera);
    let opened = transact(
        initiator,
        responder,
        &mut camera,
        OPEN_SESSION,
        &[9],
        DataDirection::None,
    );
    assert_eq!(
        opened,
        Outcome::Done {
            data: vec![],
            response: response::OK
        }
    );
    assert_eq!(initiator.session_id(), Some(9));
    let Outcome::Done { data, response } = transact(
        initiator,
        responder,
        &mut camera,
        GET_OBJECT,
        &[1],
        DataDirection::In,
    ) else {
        panic!("no object after reset")
    };
    assert_eq!(response, response::OK);
    assert_eq!(data.len(), OBJECT_LEN);
    assert!(data.iter().enumerate().all(|(i, b)| *b == object_byte(i)));
}

/// An initiator with an open session (id 1) against a real responder.
fn in_session(transport: Transport) -> (Initiator, Responder) {
    let mut initiator = Initiator::new(transport);
    initiator.set_timeout_ms(TIMEOUT_MS);
    let mut responder = Responder::new(transport);
    let mut camera = Camera::default();
    let opened = transact(
        &mut initiator,
        &mut responder,
        &mut camera,
        OPEN_SESSION,
        &[1],
        DataDirection::None,
    );
    assert!(matches!(
        opened,
        Outcome::Done {
            response: response::OK,
            ..
        }
    ));
    (initiator, responder)
}

// ---------------------------------------------------------------------------
// The misbehaving responder (test double): replies written by hand.
// ---------------------------------------------------------------------------

fn response_bytes(transport: Transport, code: u16, transaction_id: u32) -> Vec<u8> {
    let mut out = [0u8; 64];
    let message = Message::new(code, transaction_id, &[]);
    let len = match transport {
        Transport::Usb => Container::Response(message).emit(&mut out),
        Transport::PtpIp => Packet::OperationResponse(message).emit(&mut out),
    };
    out[..len.unwrap()].to_vec()
}

/// The start of a data phase announcing `total` bytes.
fn data_start(transport: Transport, transaction_id: u32, total: u64) -> Vec<u8> {
    let mut out = [0u8; 64];
    let len = match transport {
        Transport::Usb => Header::data(GET_OBJECT, transaction_id, total).emit(&mut out),
        Transport::PtpIp => Packet::StartData {
            transaction_id,
            total_length: total,
        }
        .emit(&mut out),
    };
    out[..len.unwrap()].to_vec()
}

/// `len` payload bytes (PTP/IP: in a Data packet, or End Data if `last`).
fn payload(transport: Transport, transaction_id: u32, len: usize, last: bool) -> Vec<u8> {
    let mut bytes = vec![0u8; 12];
    let header = match transport {
        Transport::Usb => 0,
        Transport::PtpIp => ptpip::emit_data_header(&mut bytes, last, transaction_id, len).unwrap(),
    };
    bytes.truncate(header);
    bytes.extend((0..len).map(|i| i as u8));
    bytes
}

#[test]
fn ptpip_data_without_start_data_is_refused() {
    let (mut initiator, _) = in_session(Transport::PtpIp);
    let transaction_id = initiator.next_transaction_id();
    begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
    for last in [false, true] {
        let mut reply = payload(Transport::PtpIp, transaction_id, 3, last);
        reply.extend(response_bytes(
            Transport::PtpIp,
            response::OK,
            transaction_id,
        ));
        let mut again = initiator.clone();
        assert_eq!(
            receive(&mut again, &reply, 0),
            Outcome::Refused(InitiatorError::UnexpectedData),
            "a Data packet (End Data: {last}) with no Start Data before it"
        );
    }
}

#[test]
fn a_reply_for_another_transaction_is_refused_then_a_new_session_works() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        begin(&mut initiator, GET_STORAGE_IDS, &[], DataDirection::None);
        let wrong = response_bytes(transport, response::OK, 2);
        assert_eq!(
            receive(&mut initiator, &wrong, 0),
            Outcome::Refused(InitiatorError::WrongTransaction {
                expected: 1,
                got: 2
            }),
            "{transport:?}"
        );
        // A data phase for another transaction is refused the same way.
        let mut initiator = Initiator::new(transport);
        begin(&mut initiator, GET_DEVICE_INFO, &[], DataDirection::In);
        assert_eq!(
            receive(&mut initiator, &data_start(transport, 7, 5), 0),
            Outcome::Refused(InitiatorError::WrongTransaction {
                expected: 0,
                got: 7
            })
        );
        new_session_works(&mut initiator, &mut responder);
    });
}

#[test]
fn truncated_data_times_out_then_a_new_session_works() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let tid = initiator.next_transaction_id();
        begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
        let mut reply = data_start(transport, tid, 100);
        reply.extend(payload(transport, tid, 40, false));
        // The first bytes arrive at t=500; then nothing more.
        assert_eq!(
            receive(&mut initiator, &reply, 500),
            Outcome::Waiting {
                data: (0..40).collect()
            }
        );
        assert_eq!(initiator.poll_timeout(500 + TIMEOUT_MS), Ok(()));
        assert_eq!(
            initiator.poll_timeout(500 + TIMEOUT_MS + 1),
            Err(InitiatorError::Timeout {
                transaction_id: tid
            })
        );
        new_session_works(&mut initiator, &mut responder);
    });
}

#[test]
fn no_answer_times_out_then_the_transaction_is_cancelled() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let mut out = [0u8; 64];
        initiator
            .begin(GET_STORAGE_IDS, &[], DataDirection::None, &mut out, 2_000)
            .unwrap();
        assert_eq!(initiator.poll_timeout(2_000 + TIMEOUT_MS), Ok(()));
        assert_eq!(
            initiator.poll_timeout(2_000 + TIMEOUT_MS + 1),
            Err(InitiatorError::Timeout { transaction_id: 1 })
        );
        let len = initiator.cancel(&mut out).unwrap();
        assert!(len > 0 && initiator.is_idle());
        // The late response of the cancelled transaction is dropped.
        let late = response_bytes(transport, response::OK, 1);
        let Status::Complete((received, _)) = initiator.receive(&late, 3_500).unwrap() else {
            panic!("late response not framed")
        };
        assert_eq!(received, Received::Discarded);
        new_session_works(&mut initiator, &mut responder);
    });
}

#[test]
fn usb_container_longer_than_its_data_times_out() {
    // The container says 100 bytes, 40 come and then the response: the
    // response is taken for payload and the transaction never ends.
    let (mut initiator, mut responder) = in_session(Transport::Usb);
    begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
    let mut reply = data_start(Transport::Usb, 1, 100);
    reply.extend(payload(Transport::Usb, 1, 40, false));
    reply.extend(response_bytes(Transport::Usb, response::OK, 1));
    let Outcome::Waiting { data } = receive(&mut initiator, &reply, 0) else {
        panic!("a short container ended the transaction")
    };
    assert_eq!(data.len(), 52);
    assert_eq!(
        initiator.poll_timeout(TIMEOUT_MS + 1),
        Err(InitiatorError::Timeout { transaction_id: 1 })
    );
    new_session_works(&mut initiator, &mut responder);
}

#[test]
fn usb_container_shorter_than_its_data_is_a_decode_error() {
    // The container says 10 bytes, 20 come: the 10 extra are read as the
    // next container's header, which is refused.
    let (mut initiator, mut responder) = in_session(Transport::Usb);
    begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
    let mut reply = data_start(Transport::Usb, 1, 10);
    reply.extend([0xEE; 20]);
    reply.extend(response_bytes(Transport::Usb, response::OK, 1));
    let outcome = receive(&mut initiator, &reply, 0);
    let Outcome::Refused(InitiatorError::Decode(DecodeError { field, .. })) = outcome else {
        panic!("extra bytes after a container were not refused: {outcome:?}")
    };
    assert!(field.starts_with("Container."), "{field}");
    new_session_works(&mut initiator, &mut responder);
}

#[test]
fn ptpip_data_of_another_length_than_announced_is_refused() {
    let transport = Transport::PtpIp;
    // Less than announced: the End Data packet comes early.
    let (mut initiator, mut responder) = in_session(transport);
    begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
    let mut reply = data_start(transport, 1, 100);
    reply.extend(payload(transport, 1, 40, true));
    reply.extend(response_bytes(transport, response::OK, 1));
    assert_eq!(
        receive(&mut initiator, &reply, 0),
        Outcome::Refused(InitiatorError::DataLength {
            announced: 100,
            received: 40
        })
    );
    new_session_works(&mut initiator, &mut responder);

    // More than announced: refused as soon as it exceeds.
    let (mut initiator, mut responder) = in_session(transport);
    begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
    let mut reply = data_start(transport, 1, 10);
    reply.extend(payload(transport, 1, 20, false));
    assert_eq!(
        receive(&mut initiator, &reply, 0),
        Outcome::Refused(InitiatorError::DataLength {
            announced: 10,
            received: 20
        })
    );
    new_session_works(&mut initiator, &mut responder);
}

#[test]
fn lying_header_lengths_are_decode_errors() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        begin(&mut initiator, GET_STORAGE_IDS, &[], DataDirection::None);
        let mut reply = response_bytes(transport, response::OK, 1);
        // A response claiming 64 KiB: more parameters than a response has.
        reply[..4].copy_from_slice(&0x1_0000u32.to_le_bytes());
        match transport {
            // USB: refused from the header alone.
            Transport::Usb => assert!(matches!(
                receive(&mut initiator, &reply, 0),
                Outcome::Refused(InitiatorError::Decode(DecodeError { offset: 0, .. }))
            )),
            // PTP/IP: framed once all of it arrives (the caller's buffer
            // bounds the wait), then refused for its parameters.
            Transport::PtpIp => {
                assert_eq!(
                    receive(&mut initiator, &reply, 0),
                    Outcome::Waiting { data: vec![] }
                );
                reply.resize(0x1_0000, 0);
                let outcome = receive(&mut initiator, &reply, 0);
                let Outcome::Refused(InitiatorError::Decode(error)) = outcome else {
                    panic!("{outcome:?}")
                };
                assert_eq!(error.field, "PtpIp.Parameters");
            }
        }
        // A length shorter than the header itself.
        let mut initiator2 = Initiator::new(transport);
        begin(&mut initiator2, GET_DEVICE_INFO, &[], DataDirection::In);
        let mut short = response_bytes(transport, response::OK, 0);
        short[..4].copy_from_slice(&4u32.to_le_bytes());
        assert!(matches!(
            receive(&mut initiator2, &short, 0),
            Outcome::Refused(InitiatorError::Decode(_))
        ));
        new_session_works(&mut initiator, &mut responder);
    });
}

#[test]
fn disconnect_mid_data_phase_then_reset_and_a_new_session_works() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let mut camera = Camera::default();
        let request = begin(&mut initiator, GET_OBJECT, &[1], DataDirection::In);
        responder.receive(&request, &mut camera).unwrap();
        // Two chunks go out, then the connection drops.
        let mut sent = Vec::new();
        let mut out = [0u8; 512];
        for _ in 0..2 {
            let transmit = responder
                .poll_transmit(&mut out, &mut camera)
                .unwrap()
                .unwrap();
            sent.extend_from_slice(&out[..transmit.len]);
        }
        let Outcome::Waiting { data } = receive(&mut initiator, &sent, 0) else {
            panic!("a partial data phase ended the transaction")
        };
        assert!(!data.is_empty() && data.len() < OBJECT_LEN);
        assert!(!initiator.is_idle() && !responder.is_idle());
        new_session_works(&mut initiator, &mut responder);
    });
}

// ---------------------------------------------------------------------------
// The responder against misbehaving initiators.
// ---------------------------------------------------------------------------

/// The responder answers a fresh initiator's whole session.
fn keeps_serving(responder: &mut Responder, transport: Transport) {
    let mut initiator = Initiator::new(transport);
    new_session_works(&mut initiator, responder);
}

#[test]
fn garbage_is_refused_and_the_responder_serves_after_reset() {
    both(|transport| {
        let mut responder = Responder::new(transport);
        let mut camera = Camera::default();
        let garbage = [0xEE; 40];
        assert!(matches!(
            responder.receive(&garbage, &mut camera),
            Err(ResponderError::Decode(_))
        ));
        keeps_serving(&mut responder, transport);
    });
}

#[test]
fn a_request_in_the_middle_of_an_upload_is_refused() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let mut camera = Camera::default();
        let request = begin(&mut initiator, SEND_OBJECT, &[], DataDirection::Out);
        let mut out = [0u8; 64];
        let len = initiator.data_out_start(100, &mut out).unwrap();
        let mut bytes = request;
        bytes.extend_from_slice(&out[..len]);
        let (used, reply) = serve(&mut responder, &mut camera, &bytes).unwrap();
        assert_eq!((used, reply.len()), (bytes.len(), 0));
        // Instead of the data, another request. PTP/IP packets say what
        // they are: refused. USB data has no framing of its own: the bytes
        // are taken as the upload's payload, as the container announced.
        let mut rogue = Initiator::new(transport);
        let other = begin(&mut rogue, GET_STORAGE_IDS, &[], DataDirection::None);
        let result = responder.receive(&other, &mut camera);
        match transport {
            Transport::PtpIp => assert_eq!(result, Err(ResponderError::UnexpectedFrame)),
            Transport::Usb => {
                assert_eq!(result, Ok(Status::Complete(other.len())));
                assert_eq!(camera.uploaded, other);
            }
        }
        keeps_serving(&mut responder, transport);
    });
}

#[test]
fn data_for_another_transaction_is_refused() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let mut camera = Camera::default();
        let request = begin(&mut initiator, SEND_OBJECT, &[], DataDirection::Out);
        serve(&mut responder, &mut camera, &request).unwrap();
        let mut header = [0u8; 64];
        let len = match transport {
            Transport::Usb => Header::data(SEND_OBJECT, 77, 10).emit(&mut header),
            Transport::PtpIp => Packet::StartData {
                transaction_id: 77,
                total_length: 10,
            }
            .emit(&mut header),
        }
        .unwrap();
        assert_eq!(
            responder.receive(&header[..len], &mut camera),
            Err(ResponderError::WrongTransaction {
                expected: 1,
                got: 77
            })
        );
        keeps_serving(&mut responder, transport);
    });
}

#[test]
fn a_request_cut_off_by_a_disconnect_leaves_nothing_behind() {
    both(|transport| {
        let (mut initiator, mut responder) = in_session(transport);
        let mut camera = Camera::default();
        let request = begin(&mut initiator, GET_STORAGE_IDS, &[], DataDirection::None);
        let cut = &request[..request.len() - 3];
        assert!(matches!(
            responder.receive(cut, &mut camera),
            Ok(Status::Incomplete { .. })
        ));
        assert!(responder.is_idle());
        keeps_serving(&mut responder, transport);
    });
}

#[test]
fn refusals_by_response_code_keep_the_session() {
    both(|transport| {
        let mut responder = Responder::new(transport);
        let mut camera = Camera::default();
        let mut rogue = Initiator::new(transport);
        // Outside a session.
        let request = begin(&mut rogue, GET_STORAGE_IDS, &[], DataDirection::None);
        let (_, reply) = serve(&mut responder, &mut camera, &request).unwrap();
        assert_eq!(
            receive(&mut rogue, &reply, 0),
            Outcome::Done {
                data: vec![],
                response: response::SESSION_NOT_OPEN
            }
        );
        let (mut initiator, mut responder) = in_session(transport);
        // A transaction id out of sequence (the rogue has no session: 0).
        let request = begin(&mut rogue, GET_STORAGE_IDS, &[], DataDirection::None);
        let (_, reply) = serve(&mut responder, &mut camera, &request).unwrap();
        assert_eq!(
            receive(&mut rogue, &reply, 0),
            Outcome::Done {
                data: vec![],
                response: response::INVALID_TRANSACTION_ID
            }
        );
        // Too many parameters for a standard operation.
        let extra = transact(
            &mut initiator,
            &mut responder,
            &mut camera,
            GET_STORAGE_IDS,
            &[1, 2, 3],
            DataDirection::None,
        );
        assert_eq!(
            extra,
            Outcome::Done {
                data: vec![],
                response: response::PARAMETER_NOT_SUPPORTED
            }
        );
        // The session goes on without a reset.
        let Outcome::Done { data, response } = transact(
            &mut initiator,
            &mut responder,
            &mut camera,
            GET_OBJECT,
            &[1],
            DataDirection::In,
        ) else {
            panic!("the session did not go on")
        };
        assert_eq!((data.len(), response), (OBJECT_LEN, response::OK));
    });
}

/// A handler whose GetDeviceInfo has an empty data phase.
struct EmptyData;

impl Handler for EmptyData {
    fn request(&mut self, _request: &Request) -> Reply {
        Reply::DataIn { total: 0 }
    }

    fn read_data(&mut self, _: &Request, _: u64, _: &mut [u8]) -> Result<usize, u16> {
        Ok(0)
    }

    fn write_data(&mut self, _: &Request, _: u64, _: &[u8]) -> Result<(), u16> {
        Ok(())
    }

    fn data_out_done(&mut self, _request: &Request) -> Response {
        Response::OK
    }
}

/// An output buffer that holds the data phase's first header but not the
/// next (PTP/IP: Start Data, then End Data) is an error, and the next call
/// with room sends the whole data phase again from its start: no data
/// outside a data phase. (Found by the `responder` fuzz target.)
#[test]
fn an_output_buffer_too_small_for_the_data_headers_loses_nothing() {
    both(|transport| {
        let mut initiator = Initiator::new(transport);
        let mut responder = Responder::new(transport);
        let mut handler = EmptyData;
        let request = begin(&mut initiator, GET_DEVICE_INFO, &[], DataDirection::In);
        assert_eq!(
            responder.receive(&request, &mut handler),
            Ok(Status::Complete(request.len()))
        );
        let first_header = data_start(transport, 0, 0).len();
        let mut small = vec![0u8; first_header + 5];
        if transport == Transport::PtpIp {
            assert!(matches!(
                responder.poll_transmit(&mut small, &mut handler),
                Err(ResponderError::Encode(_))
            ));
        }
        let mut reply = Vec::new();
        let mut out = [0u8; 512];
        while let Some(transmit) = responder.poll_transmit(&mut out, &mut handler).unwrap() {
            reply.extend_from_slice(&out[..transmit.len]);
        }
        let header = match transport {
            Transport::Usb => {
                let mut header = [0u8; 12];
                Header::data(GET_DEVICE_INFO, 0, 0)
                    .emit(&mut header)
                    .unwrap();
                header.to_vec()
            }
            Transport::PtpIp => data_start(transport, 0, 0),
        };
        assert!(
            reply.starts_with(&header),
            "{transport:?}: the data phase must start with its header: {reply:02X?}"
        );
        assert_eq!(
            receive(&mut initiator, &reply, 0),
            Outcome::Done {
                data: Vec::new(),
                response: response::OK
            }
        );
    });
}
