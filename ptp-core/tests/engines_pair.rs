//! The initiator engine against the responder engine, in memory, over both
//! transports' framing: no sockets, deterministic. The device side is a
//! test double (`Camera`) of a handler that serves one object and accepts
//! uploads.
// Test code: an unwrap or index that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use ptp_core::Status;
use ptp_core::codes::DataDirection;
use ptp_core::framer::Transport;
use ptp_core::initiator::{Initiator, InitiatorError, Received};
use ptp_core::message::OwnedParams;
use ptp_core::responder::{Handler, Reply, Request, Responder, Response, response};

const GET_DEVICE_INFO: u16 = 0x1001;
const OPEN_SESSION: u16 = 0x1002;
const CLOSE_SESSION: u16 = 0x1003;
const GET_OBJECT: u16 = 0x1009;
const SEND_OBJECT: u16 = 0x100D;
const GET_STORAGE_IDS: u16 = 0x1004;

/// Test double of a device: one object of `object` bytes, uploads kept.
struct Camera {
    object: Vec<u8>,
    uploaded: Vec<u8>,
    sessions: Vec<Option<u32>>,
    cancelled: Vec<u32>,
}

impl Camera {
    fn new(size: usize) -> Self {
        let object = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        Camera {
            object,
            uploaded: Vec::new(),
            sessions: Vec::new(),
            cancelled: Vec::new(),
        }
    }
}

impl Handler for Camera {
    fn request(&mut self, request: &Request) -> Reply {
        match request.code {
            GET_DEVICE_INFO => Reply::DataIn { total: 5 },
            GET_OBJECT if request.params.get(0) == 1 => Reply::DataIn {
                total: self.object.len() as u64,
            },
            GET_OBJECT => Reply::Respond(Response::code(0x2009)), // Invalid ObjectHandle
            SEND_OBJECT => Reply::DataOut,
            GET_STORAGE_IDS => Reply::Respond(Response {
                code: response::OK,
                params: OwnedParams::from_slice(&[0x0001_0001]).unwrap(),
            }),
            _ => Reply::Respond(Response::code(response::OPERATION_NOT_SUPPORTED)),
        }
    }

    fn read_data(
        &mut self,
        request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        let source: &[u8] = if request.code == GET_DEVICE_INFO {
            b"info!"
        } else {
            &self.object
        };
        let rest = &source[offset as usize..];
        let count = rest.len().min(buffer.len());
        buffer[..count].copy_from_slice(&rest[..count]);
        Ok(count)
    }

    fn write_data(&mut self, _request: &Request, offset: u64, chunk: &[u8]) -> Result<(), u16> {
        assert_eq!(offset as usize, self.uploaded.len());
        self.uploaded.extend_from_slice(chunk);
        Ok(())
    }

    fn data_out_done(&mut self, _request: &Request) -> Response {
        Response::OK
    }

    fn cancelled(&mut self, request: &Request) {
        self.cancelled.push(request.transaction_id);
    }

    fn session_changed(&mut self, session_id: Option<u32>) {
        self.sessions.push(session_id);
    }
}

/// An initiator and a responder joined by two in-memory pipes.
struct Pair {
    initiator: Initiator,
    responder: Responder,
    camera: Camera,
    /// Bytes on their way to the responder / to the initiator.
    to_responder: Vec<u8>,
    to_initiator: Vec<u8>,
    /// Size of the responder's transmit buffer (forces chunking).
    chunk: usize,
}

/// What one transaction brought back.
#[derive(Debug, PartialEq)]
struct Outcome {
    data: Vec<u8>,
    response: u16,
    params: Vec<u32>,
}

impl Pair {
    fn new(transport: Transport, object_size: usize, chunk: usize) -> Self {
        Pair {
            initiator: Initiator::new(transport),
            responder: Responder::new(transport),
            camera: Camera::new(object_size),
            to_responder: Vec::new(),
            to_initiator: Vec::new(),
            chunk,
        }
    }

    /// Lets the responder consume what it has and transmit what it must.
    fn run_responder(&mut self) {
        while let Status::Complete(used) = self
            .responder
            .receive(&self.to_responder, &mut self.camera)
            .unwrap()
        {
            self.to_responder.drain(..used);
        }
        let mut out = vec![0u8; self.chunk];
        while let Some(transmit) = self
            .responder
            .poll_transmit(&mut out, &mut self.camera)
            .unwrap()
        {
            self.to_initiator.extend_from_slice(&out[..transmit.len]);
        }
    }

    fn transact(
        &mut self,
        code: u16,
        params: &[u32],
        direction: DataDirection,
        upload: &[u8],
    ) -> Outcome {
        let mut out = [0u8; 64];
        let len = self
            .initiator
            .begin(code, params, direction, &mut out, 0)
            .unwrap();
        self.to_responder.extend_from_slice(&out[..len]);
        if direction == DataDirection::Out {
            let len = self
                .initiator
                .data_out_start(upload.len() as u64, &mut out)
                .unwrap();
            self.to_responder.extend_from_slice(&out[..len]);
            for piece in upload.chunks(7) {
                let len = self
                    .initiator
                    .data_out_chunk(piece.len(), &mut out)
                    .unwrap();
                self.to_responder.extend_from_slice(&out[..len]);
                self.to_responder.extend_from_slice(piece);
                self.run_responder();
            }
        }
        self.run_responder();
        self.collect()
    }

    /// Feeds the initiator what the responder sent, until the response.
    fn collect(&mut self) -> Outcome {
        let mut data = Vec::new();
        loop {
            match self.initiator.receive(&self.to_initiator, 1).unwrap() {
                Status::Complete((received, used)) => {
                    let done = match received {
                        Received::Data(bytes) => {
                            data.extend_from_slice(bytes);
                            None
                        }
                        Received::Response(message) => Some(Outcome {
                            data: std::mem::take(&mut data),
                            response: message.code,
                            params: message.params.iter().collect(),
                        }),
                        _ => None,
                    };
                    self.to_initiator.drain(..used);
                    if let Some(outcome) = done {
                        return outcome;
                    }
                }
                Status::Incomplete { .. } => panic!("initiator starved: no response arrived"),
            }
        }
    }
}

fn both(test: impl Fn(Transport)) {
    test(Transport::Usb);
    test(Transport::PtpIp);
}

#[test]
fn device_info_without_session_then_session_lifecycle() {
    both(|transport| {
        let mut pair = Pair::new(transport, 10, 64);
        let info = pair.transact(GET_DEVICE_INFO, &[], DataDirection::In, &[]);
        assert_eq!(
            info,
            Outcome {
                data: b"info!".to_vec(),
                response: response::OK,
                params: vec![]
            }
        );

        let refused = pair.transact(GET_STORAGE_IDS, &[], DataDirection::None, &[]);
        assert_eq!(refused.response, response::SESSION_NOT_OPEN);

        let opened = pair.transact(OPEN_SESSION, &[7], DataDirection::None, &[]);
        assert_eq!(opened.response, response::OK);
        assert_eq!(pair.initiator.session_id(), Some(7));
        assert_eq!(pair.responder.session_id(), Some(7));
        assert_eq!(pair.initiator.next_transaction_id(), 1);

        let again = pair.transact(OPEN_SESSION, &[8], DataDirection::None, &[]);
        assert_eq!(again.response, response::SESSION_ALREADY_OPEN);

        let ids = pair.transact(GET_STORAGE_IDS, &[], DataDirection::None, &[]);
        assert_eq!(
            (ids.response, ids.params),
            (response::OK, vec![0x0001_0001])
        );
        assert_eq!(pair.initiator.next_transaction_id(), 2);

        let closed = pair.transact(CLOSE_SESSION, &[], DataDirection::None, &[]);
        assert_eq!(closed.response, response::OK);
        assert_eq!(
            (pair.initiator.session_id(), pair.responder.session_id()),
            (None, None)
        );
        assert_eq!(pair.camera.sessions, vec![Some(7), None]);
    });
}

#[test]
fn large_object_streams_in_small_chunks() {
    both(|transport| {
        for (size, chunk) in [(0, 64), (1, 64), (1000, 64), (4096, 512), (50_000, 100)] {
            let mut pair = Pair::new(transport, size, chunk);
            pair.transact(OPEN_SESSION, &[1], DataDirection::None, &[]);
            let got = pair.transact(GET_OBJECT, &[1], DataDirection::In, &[]);
            assert_eq!(got.response, response::OK, "{transport:?} size {size}");
            assert_eq!(
                got.data, pair.camera.object,
                "{transport:?} size {size} chunk {chunk}"
            );
            let missing = pair.transact(GET_OBJECT, &[99], DataDirection::In, &[]);
            assert_eq!((missing.response, missing.data.len()), (0x2009, 0));
        }
    });
}

#[test]
fn upload_reaches_the_handler() {
    both(|transport| {
        for size in [0usize, 5, 7, 64, 1000] {
            let mut pair = Pair::new(transport, 1, 64);
            pair.transact(OPEN_SESSION, &[1], DataDirection::None, &[]);
            let upload: Vec<u8> = (0..size).map(|i| i as u8).collect();
            let sent = pair.transact(SEND_OBJECT, &[], DataDirection::Out, &upload);
            assert_eq!(sent.response, response::OK, "{transport:?} size {size}");
            assert_eq!(pair.camera.uploaded, upload);
        }
    });
}

#[test]
fn responder_checks_transaction_sequence_and_parameter_count() {
    both(|transport| {
        let mut pair = Pair::new(transport, 1, 64);
        pair.transact(OPEN_SESSION, &[1], DataDirection::None, &[]);
        // A request with a transaction id out of sequence, written by hand.
        let mut out = [0u8; 64];
        let mut rogue = Initiator::new(transport);
        let len = rogue
            .begin(GET_STORAGE_IDS, &[], DataDirection::None, &mut out, 0)
            .unwrap();
        pair.to_responder.extend_from_slice(&out[..len]); // transaction id 0
        pair.run_responder();
        let mut receiver = Initiator::new(transport);
        receiver
            .begin(GET_STORAGE_IDS, &[], DataDirection::None, &mut out, 0)
            .unwrap();
        let Status::Complete((Received::Response(message), _)) =
            receiver.receive(&pair.to_initiator, 0).unwrap()
        else {
            panic!("no response")
        };
        assert_eq!(message.code, response::INVALID_TRANSACTION_ID);
        pair.to_initiator.clear();

        // GetStorageIDs takes no parameters.
        let extra = pair.transact(GET_STORAGE_IDS, &[1, 2], DataDirection::None, &[]);
        assert_eq!(extra.response, response::PARAMETER_NOT_SUPPORTED);
    });
}

#[test]
fn initiator_rejects_replies_for_other_transactions() {
    both(|transport| {
        let mut pair = Pair::new(transport, 1, 64);
        pair.transact(OPEN_SESSION, &[1], DataDirection::None, &[]);
        let mut out = [0u8; 64];
        pair.initiator
            .begin(GET_STORAGE_IDS, &[], DataDirection::None, &mut out, 0)
            .unwrap();
        // The responder answers transaction 1; forge one for transaction 9.
        let mut forged = Responder::new(transport);
        let mut camera = Camera::new(1);
        let mut request_out = [0u8; 64];
        let mut forger = Initiator::new(transport);
        let len = forger
            .begin(OPEN_SESSION, &[1], DataDirection::None, &mut request_out, 0)
            .unwrap();
        forged.receive(&request_out[..len], &mut camera).unwrap();
        let transmit = forged
            .poll_transmit(&mut out, &mut camera)
            .unwrap()
            .unwrap();
        let err = pair.initiator.receive(&out[..transmit.len], 0).unwrap_err();
        assert_eq!(
            err,
            InitiatorError::WrongTransaction {
                expected: 1,
                got: 0
            }
        );
        assert_eq!(
            pair.initiator
                .begin(GET_STORAGE_IDS, &[], DataDirection::None, &mut out, 0),
            Err(InitiatorError::Busy)
        );
    });
}

#[test]
fn cancel_mid_download_then_session_continues() {
    both(|transport| {
        let mut pair = Pair::new(transport, 10_000, 256);
        pair.transact(OPEN_SESSION, &[1], DataDirection::None, &[]);
        let mut out = [0u8; 64];
        let len = pair
            .initiator
            .begin(GET_OBJECT, &[1], DataDirection::In, &mut out, 0)
            .unwrap();
        pair.to_responder.extend_from_slice(&out[..len]);
        pair.responder
            .receive(&pair.to_responder.clone(), &mut pair.camera)
            .unwrap();
        pair.to_responder.clear();
        // One chunk goes out, then the initiator cancels.
        let mut chunk = vec![0u8; 256];
        pair.responder
            .poll_transmit(&mut chunk, &mut pair.camera)
            .unwrap()
            .unwrap();
        let cancelled_tid = pair.initiator.current_transaction().unwrap();
        let len = pair.initiator.cancel(&mut out).unwrap();
        match transport {
            Transport::Usb => {
                assert_eq!(&out[..len], &[0x01, 0x40, 1, 0, 0, 0]);
                assert!(pair.responder.cancel(cancelled_tid, &mut pair.camera));
                pair.initiator.reset_framing();
            }
            Transport::PtpIp => {
                pair.to_responder.extend_from_slice(&out[..len]);
                pair.run_responder();
                // The late chunk and the Transaction Cancelled response are dropped.
                pair.to_initiator.splice(0..0, chunk.iter().copied());
                while let Status::Complete((received, used)) =
                    pair.initiator.receive(&pair.to_initiator, 0).unwrap()
                {
                    assert_eq!(received, Received::Discarded);
                    pair.to_initiator.drain(..used);
                }
            }
        }
        assert_eq!(pair.camera.cancelled, vec![cancelled_tid]);
        assert!(pair.initiator.is_idle() && pair.responder.is_idle());
        let ids = pair.transact(GET_STORAGE_IDS, &[], DataDirection::None, &[]);
        assert_eq!(ids.response, response::OK);
    });
}

#[test]
fn timeout_is_reported_from_the_time_passed_in() {
    let mut initiator = Initiator::new(Transport::PtpIp);
    initiator.set_timeout_ms(2_500);
    let mut out = [0u8; 64];
    initiator
        .begin(GET_DEVICE_INFO, &[], DataDirection::In, &mut out, 1_000)
        .unwrap();
    assert_eq!(initiator.poll_timeout(3_500), Ok(()));
    assert_eq!(
        initiator.poll_timeout(3_501),
        Err(InitiatorError::Timeout { transaction_id: 0 })
    );
}
