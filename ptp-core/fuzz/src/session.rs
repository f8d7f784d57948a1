//! The recovery contract: after `reset()`, an engine works with a real
//! counterpart engine as if new. Used at the end of both engine targets.

use crate::handler::{Decision, ReadBehaviour, ScriptedHandler};
use ptp_core::Status;
use ptp_core::codes::DataDirection;
use ptp_core::initiator::{Initiator, Received};
use ptp_core::responder::{Responder, response};

const GET_DEVICE_INFO: u16 = 0x1001;
const OPEN_SESSION: u16 = 0x1002;
const CLOSE_SESSION: u16 = 0x1003;
const SEND_OBJECT: u16 = 0x100D;
/// Bytes of the data-in phase of the check.
const DEVICE_INFO_LEN: u16 = 300;

/// Runs a whole session between `initiator` and `responder` (both just
/// reset, framing for the same transport): GetDeviceInfo, OpenSession, an
/// upload, CloseSession. Panics,
/// with the step, if any of it does not work.
pub fn fresh_session_works(initiator: &mut Initiator, responder: &mut Responder) {
    assert!(initiator.is_idle() && initiator.session_id().is_none());
    assert!(responder.is_idle() && responder.session_id().is_none());
    let mut handler = ScriptedHandler::new(vec![
        Decision::DataIn {
            total: DEVICE_INFO_LEN,
            reads: ReadBehaviour::Fill,
        },
        Decision::DataOut {
            fail: None,
            done: response::OK,
        },
    ]);
    let mut link = Link {
        initiator,
        responder,
        handler: &mut handler,
    };
    let (data, code) = link.transact(GET_DEVICE_INFO, &[], DataDirection::In, &[]);
    assert_eq!(
        (data.len(), code),
        (usize::from(DEVICE_INFO_LEN), response::OK)
    );
    let (_, code) = link.transact(OPEN_SESSION, &[5], DataDirection::None, &[]);
    assert_eq!(code, response::OK, "OpenSession after reset");
    assert_eq!(link.initiator.session_id(), Some(5));
    assert_eq!(link.responder.session_id(), Some(5));
    let (_, code) = link.transact(SEND_OBJECT, &[], DataDirection::Out, &[7; 100]);
    assert_eq!(code, response::OK, "SendObject after reset");
    let (_, code) = link.transact(CLOSE_SESSION, &[], DataDirection::None, &[]);
    assert_eq!(code, response::OK, "CloseSession after reset");
    assert_eq!(handler.sessions, vec![Some(5), None]);
}

/// Two engines joined in memory.
struct Link<'a> {
    initiator: &'a mut Initiator,
    responder: &'a mut Responder,
    handler: &'a mut ScriptedHandler,
}

impl Link<'_> {
    /// One transaction; returns the data received and the response code.
    fn transact(
        &mut self,
        code: u16,
        params: &[u32],
        direction: DataDirection,
        upload: &[u8],
    ) -> (Vec<u8>, u16) {
        let mut to_responder = Vec::new();
        let mut out = [0u8; 64];
        let len = self
            .initiator
            .begin(code, params, direction, &mut out, 0)
            .unwrap_or_else(|e| panic!("begin 0x{code:04X}: {e}"));
        to_responder.extend_from_slice(&out[..len]);
        if direction == DataDirection::Out {
            let len = self
                .initiator
                .data_out_start(upload.len() as u64, &mut out)
                .unwrap_or_else(|e| panic!("data_out_start: {e}"));
            to_responder.extend_from_slice(&out[..len]);
            for piece in upload.chunks(33) {
                let len = self
                    .initiator
                    .data_out_chunk(piece.len(), &mut out)
                    .unwrap_or_else(|e| panic!("data_out_chunk: {e}"));
                to_responder.extend_from_slice(&out[..len]);
                to_responder.extend_from_slice(piece);
            }
        }
        loop {
            match self.responder.receive(&to_responder, self.handler) {
                Ok(Status::Complete(used)) => {
                    to_responder.drain(..used);
                }
                Ok(Status::Incomplete { .. }) => break,
                Err(e) => panic!("responder refused a valid request 0x{code:04X}: {e}"),
            }
        }
        let mut to_initiator = Vec::new();
        let mut chunk = [0u8; 100];
        while let Some(transmit) = self
            .responder
            .poll_transmit(&mut chunk, self.handler)
            .unwrap_or_else(|e| panic!("poll_transmit: {e}"))
        {
            to_initiator.extend_from_slice(&chunk[..transmit.len]);
        }
        let mut data = Vec::new();
        loop {
            match self.initiator.receive(&to_initiator, 0) {
                Ok(Status::Complete((received, used))) => {
                    match received {
                        Received::Data(bytes) => data.extend_from_slice(bytes),
                        Received::Response(message) => return (data, message.code),
                        _ => {}
                    }
                    to_initiator.drain(..used);
                }
                Ok(Status::Incomplete { .. }) => panic!("no response to 0x{code:04X}"),
                Err(e) => panic!("initiator refused a valid reply to 0x{code:04X}: {e}"),
            }
        }
    }
}
