//! The initiator and responder engines, in opaque states, with a handler
//! whose every answer is opaque.

use crate::opaque::{any, bytes, keep, out, words};
use ptp_core::codes::DataDirection;
use ptp_core::framer::Transport;
use ptp_core::initiator::Initiator;
use ptp_core::message::Message;
use ptp_core::responder::{Handler, Reply, Request, Responder, Response, emit_event};

/// Every public entry point of `initiator` and `responder`.
pub fn exercise() {
    let mut storage = [0u8; 256];

    let mut initiator: Initiator = any(Initiator::new(any(Transport::PtpIp)));
    initiator.set_timeout_ms(any(10_000));
    keep((
        initiator.session_id(),
        initiator.next_transaction_id(),
        initiator.current_transaction(),
        initiator.is_idle(),
        initiator.cancel_pending(),
    ));
    keep(initiator.begin(
        any(0x1009),
        words(),
        any(DataDirection::In),
        out(&mut storage),
        any(5),
    ));
    keep(initiator.data_out_start(any(u64::MAX), out(&mut storage)));
    keep(initiator.data_out_chunk(any(usize::MAX), out(&mut storage)));
    keep(initiator.receive(bytes(), any(6)));
    initiator.end_of_transfer();
    keep(initiator.receive(bytes(), any(7)));
    keep(initiator.poll_timeout(any(u64::MAX)));
    keep(initiator.cancel(out(&mut storage)));
    initiator.reset_framing();
    keep(initiator.receive(bytes(), any(8)));
    initiator.reset();
    keep(initiator.receive(bytes(), any(9)));

    let mut handler = OpaqueHandler;
    let mut responder: Responder = any(Responder::new(any(Transport::Usb)));
    keep((
        responder.session_id(),
        responder.is_idle(),
        responder.current_transaction(),
    ));
    keep(responder.receive(bytes(), &mut handler));
    keep(responder.poll_transmit(out(&mut storage), &mut handler));
    responder.end_of_transfer();
    keep(responder.receive(bytes(), &mut handler));
    keep(responder.cancel(any(3), &mut handler));
    keep(responder.poll_transmit(out(&mut storage), &mut handler));
    responder.reset(&mut handler);
    keep(responder.receive(bytes(), &mut handler));

    let event = Message::new(any(0x4002), any(0), words());
    keep(emit_event(any(Transport::PtpIp), event, out(&mut storage)));
}

/// A handler the optimiser knows nothing about: any reply, any count, any
/// error.
struct OpaqueHandler;

impl Handler for OpaqueHandler {
    fn request(&mut self, request: &Request) -> Reply {
        keep(request);
        any(Reply::DataIn { total: any(0) })
    }

    fn read_data(
        &mut self,
        request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        keep((request, offset, buffer));
        any(Ok(0))
    }

    fn data_in_done(&mut self, request: &Request) -> Response {
        keep(request);
        any(Response::OK)
    }

    fn write_data(&mut self, request: &Request, offset: u64, chunk: &[u8]) -> Result<(), u16> {
        keep((request, offset, chunk));
        any(Ok(()))
    }

    fn data_out_done(&mut self, request: &Request) -> Response {
        keep(request);
        any(Response::OK)
    }

    fn cancelled(&mut self, request: &Request) {
        keep(request);
    }

    fn session_changed(&mut self, session_id: Option<u32>) {
        keep(session_id);
    }
}
