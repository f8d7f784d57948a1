//! Property tests of the framing layer: emit -> parse round trips of every
//! container and packet, and arbitrary bytes (in arbitrary splits) never
//! panic or stall a parser, the framer, the event assembler or the engines.

use proptest::prelude::*;
use ptp_core::Status;
use ptp_core::codes::DataDirection;
use ptp_core::container::{Container, Header};
use ptp_core::event::{UsbEventAssembler, parse_ptpip_event};
use ptp_core::framer::{Framer, Transport};
use ptp_core::initiator::Initiator;
use ptp_core::message::Message;
use ptp_core::ptpip::{DataPhase, FailReason, Packet, PacketHeader};
use ptp_core::responder::{Handler, Reply, Request, Responder, Response};
use ptp_core::wire::PtpString;

fn transport() -> impl Strategy<Value = Transport> {
    prop_oneof![Just(Transport::Usb), Just(Transport::PtpIp)]
}

/// A name of up to 254 UTF-16 units.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no NUL", |c| *c != '\0'), 0..100)
        .prop_map(|chars| chars.into_iter().collect::<String>())
        .prop_filter("fits 254 units", |s| s.encode_utf16().count() <= 254)
}

proptest! {
    #[test]
    fn containers_round_trip(kind in 0u8..4, code: u16, tid: u32, params in proptest::collection::vec(any::<u32>(), 0..=5), payload in proptest::collection::vec(any::<u8>(), 0..300)) {
        let message = Message::new(code, tid, if kind == 3 { &params[..params.len().min(3)] } else { &params });
        let container = match kind {
            0 => Container::Command(message),
            1 => Container::Response(message),
            2 => Container::Data { code, transaction_id: tid, payload: &payload },
            _ => Container::Event(message),
        };
        let mut buffer = vec![0u8; container.buffer_len() + 1];
        // Emit at an odd offset: parsing must not care about alignment.
        let len = container.emit(&mut buffer[1..]).unwrap();
        prop_assert_eq!(len, container.buffer_len());
        prop_assert_eq!(Container::parse(&buffer[1..1 + len]).unwrap(), Status::Complete((container, len)));
    }

    #[test]
    fn packets_round_trip(code: u16, tid: u32, number: u32, total: u64, guid: [u8; 16], name in name(), params in proptest::collection::vec(any::<u32>(), 0..=5), payload in proptest::collection::vec(any::<u8>(), 0..300), which in 0usize..14) {
        let message = Message::new(code, tid, &params);
        let event = Message::new(code, tid, &params[..params.len().min(3)]);
        let packets = [
            Packet::InitCommandRequest { guid, name: PtpString::Str(&name), version: number },
            Packet::InitCommandAck { connection_number: number, guid, name: PtpString::Str(&name), version: 0x0001_0000 },
            Packet::InitEventRequest { connection_number: number },
            Packet::InitEventAck,
            Packet::InitFail { reason: FailReason::from_code(number) },
            Packet::OperationRequest { data_phase: if number % 2 == 0 { DataPhase::Out } else { DataPhase::NoneOrIn }, message },
            Packet::OperationResponse(message),
            Packet::Event(event),
            Packet::StartData { transaction_id: tid, total_length: total },
            Packet::Data { transaction_id: tid, payload: &payload },
            Packet::Cancel { transaction_id: tid },
            Packet::EndData { transaction_id: tid, payload: &payload },
            Packet::ProbeRequest,
            Packet::ProbeResponse,
        ];
        let packet = packets[which];
        let mut buffer = vec![0u8; packet.buffer_len() + 1];
        let len = packet.emit(&mut buffer[1..]).unwrap();
        prop_assert_eq!(Packet::parse(&buffer[1..1 + len]).unwrap(), Status::Complete((packet, len)));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parsers(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Header::parse(&bytes);
        let _ = Container::parse(&bytes);
        let _ = PacketHeader::parse(&bytes);
        let _ = Packet::parse(&bytes);
        let _ = parse_ptpip_event(&bytes);
        if let Ok(Status::Complete((packet, _))) = Packet::parse(&bytes) {
            let mut out = vec![0u8; packet.buffer_len()];
            let len = packet.emit(&mut out).unwrap();
            prop_assert_eq!(Packet::parse(&out[..len]).unwrap(), Status::Complete((packet, len)));
        }
    }

    #[test]
    fn framer_always_progresses(transport in transport(), bytes in proptest::collection::vec(any::<u8>(), 0..400), split in 1usize..64) {
        let mut framer = Framer::new(transport);
        let mut pending: Vec<u8> = Vec::new();
        let mut fed = 0;
        let mut steps = 0;
        loop {
            steps += 1;
            prop_assert!(steps < 10_000, "framer stalled");
            match framer.next(&pending) {
                Ok(Status::Complete((_, used))) => {
                    prop_assert!(used <= pending.len());
                    pending.drain(..used);
                }
                Ok(Status::Incomplete { needed }) if fed < bytes.len() => {
                    prop_assert!(needed > 0);
                    let end = (fed + split).min(bytes.len());
                    pending.extend_from_slice(&bytes[fed..end]);
                    fed = end;
                }
                Ok(Status::Incomplete { .. }) | Err(_) => break,
            }
        }
    }

    #[test]
    fn event_assembler_survives_any_reads(bytes in proptest::collection::vec(any::<u8>(), 0..200), split in 1usize..30) {
        let mut assembler = UsbEventAssembler::new();
        for read in bytes.chunks(split) {
            let mut rest = read;
            while !rest.is_empty() {
                match assembler.push(rest) {
                    Ok((_, used)) if used > 0 => rest = &rest[used..],
                    Ok(_) | Err(_) => break,
                }
            }
        }
    }

    #[test]
    fn engines_survive_arbitrary_peers(transport in transport(), bytes in proptest::collection::vec(any::<u8>(), 0..400), split in 1usize..64) {
        let mut responder = Responder::new(transport);
        let mut handler = Echo;
        let mut initiator = Initiator::new(transport);
        let mut out = [0u8; 64];
        initiator.begin(0x1009, &[1], DataDirection::In, &mut out, 0).unwrap();
        let (mut to_responder, mut to_initiator) = (Vec::new(), Vec::new());
        for chunk in bytes.chunks(split) {
            to_responder.extend_from_slice(chunk);
            to_initiator.extend_from_slice(chunk);
            while let Ok(Status::Complete(used)) = responder.receive(&to_responder, &mut handler) {
                to_responder.drain(..used);
                let mut transmit = [0u8; 64];
                let mut sends = 0;
                while let Ok(Some(_)) = responder.poll_transmit(&mut transmit, &mut handler) {
                    sends += 1;
                    prop_assert!(sends < 100_000, "responder stalled");
                }
            }
            let mut steps = 0;
            while let Ok(Status::Complete((_, used))) = initiator.receive(&to_initiator, 0) {
                to_initiator.drain(..used);
                steps += 1;
                prop_assert!(steps < 10_000, "initiator stalled");
            }
        }
    }
}

/// A handler double that answers everything and serves 100 bytes.
struct Echo;

impl Handler for Echo {
    fn request(&mut self, request: &Request) -> Reply {
        match request.code % 3 {
            0 => Reply::DataIn { total: 100 },
            1 => Reply::DataOut,
            _ => Reply::Respond(Response::OK),
        }
    }
    fn read_data(&mut self, _: &Request, _: u64, buffer: &mut [u8]) -> Result<usize, u16> {
        Ok(buffer.len())
    }
    fn write_data(&mut self, _: &Request, _: u64, _: &[u8]) -> Result<(), u16> {
        Ok(())
    }
    fn data_out_done(&mut self, _: &Request) -> Response {
        Response::OK
    }
}
