//! PTP/IP packets: `PacketHeader::parse` and `Packet::parse` agree on every
//! input; a parsed packet takes exactly the length its header says, emits
//! `buffer_len()` bytes (that same length, unless the packet has a fixed
//! layout and ignored bytes after it), and parses back equal. The
//! event-channel framing (`parse_ptpip_event`) agrees with both.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::Status;
use ptp_core::event::{EventChannel, parse_ptpip_event};
use ptp_core::ptpip::{HEADER_LEN, Packet, PacketHeader, PacketType};

fuzz_target!(|data: &[u8]| {
    let header = PacketHeader::parse(data);
    let packet = Packet::parse(data);
    let event = parse_ptpip_event(data);
    let header = match header {
        Ok(Status::Incomplete { needed }) => {
            assert!(data.len() < HEADER_LEN && needed == HEADER_LEN);
            assert_eq!(packet, Ok(Status::Incomplete { needed }));
            return;
        }
        Err(error) => {
            assert_eq!(packet, Err(error));
            assert!(event.is_err());
            return;
        }
        Ok(Status::Complete(header)) => header,
    };
    let length = header.length as usize;
    let (packet, used) = match packet {
        Ok(Status::Incomplete { needed }) => {
            assert!(needed == length && length > data.len());
            assert_eq!(event, Ok(Status::Incomplete { needed }));
            return;
        }
        Err(_) => {
            assert!(event.is_err());
            return;
        }
        Ok(Status::Complete(complete)) => complete,
    };
    let _ = format!("{packet:?}");
    assert_eq!(used, length);
    assert_eq!(packet.kind(), header.kind);
    // Packets of fixed layout ignore bytes after their fields (as datasets
    // do); the others take all of their length.
    let len = packet.buffer_len();
    match packet.kind() {
        PacketType::OperationRequest
        | PacketType::OperationResponse
        | PacketType::Event
        | PacketType::Data
        | PacketType::EndData => assert_eq!(len, used, "{packet:?}"),
        _ => assert!(len <= used, "{packet:?} re-emits longer than it was"),
    }
    let mut out = vec![0u8; len];
    assert_eq!(packet.emit(&mut out), Ok(len));
    assert_eq!(Packet::parse(&out), Ok(Status::Complete((packet, len))));
    if len > 0 {
        assert!(packet.emit(&mut out[..len - 1]).is_err());
    }
    match (header.kind, event) {
        (PacketType::Event, Ok(Status::Complete((EventChannel::Event(event), n)))) => {
            let Packet::Event(message) = packet else {
                unreachable!()
            };
            assert_eq!(n, used);
            assert_eq!(
                (event.code, event.transaction_id),
                (message.code, message.transaction_id)
            );
            assert!(
                event
                    .params
                    .as_slice()
                    .iter()
                    .copied()
                    .eq(message.params.iter())
            );
        }
        (PacketType::ProbeRequest, Ok(Status::Complete((EventChannel::ProbeRequest, n))))
        | (PacketType::ProbeResponse, Ok(Status::Complete((EventChannel::ProbeResponse, n)))) => {
            assert_eq!(n, used)
        }
        (PacketType::Event | PacketType::ProbeRequest | PacketType::ProbeResponse, other) => {
            panic!("{packet:?} framed on the event channel as {other:?}")
        }
        (_, other) => assert!(other.is_err(), "{packet:?} accepted as an event: {other:?}"),
    }
});
