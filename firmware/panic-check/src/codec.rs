//! USB containers, PTP/IP packets, messages, the framer and the event
//! channel.

use crate::opaque::{any, bytes, keep, out, words};
use ptp_core::container::{Container, ContainerType, Header};
use ptp_core::event::{UsbEventAssembler, parse_ptpip_event};
use ptp_core::framer::{Framer, Transport};
use ptp_core::message::{Message, OwnedParams};
use ptp_core::ptpip::{self, DataPhase, FailReason, Packet, PacketHeader, PacketType};
use ptp_core::wire::{Array, PtpString};

/// Every public entry point of `container`, `ptpip`, `message`, `framer`
/// and `event`.
pub fn exercise() {
    let mut storage = [0u8; 128];

    keep(Header::parse(bytes()));
    let header: Header = any(Header::data(any(0x1009), any(1), any(1 << 33)));
    keep((header.emit(out(&mut storage)), header.container_len()));
    keep(ContainerType::from_code(any(2)).map(ContainerType::code));
    if let Ok(ptp_core::Status::Complete((container, used))) = Container::parse(bytes()) {
        keep((
            container.buffer_len(),
            container.emit(out(&mut storage)),
            used,
        ));
    }
    let message = Message::new(any(0x1001), any(1), words());
    let container: Container<'_> = any(Container::Command(message));
    keep((container.buffer_len(), container.emit(out(&mut storage))));
    let data: Container<'_> = any(Container::Data {
        code: 0x1009,
        transaction_id: 1,
        payload: bytes(),
    });
    keep(data.emit(out(&mut storage)));

    let wire: Message<'_> = any(Message {
        code: 1,
        transaction_id: 2,
        params: Array::from_wire(bytes()),
    });
    keep((wire.param(any(4)), wire.to_owned_params()));
    let params = OwnedParams::from_slice(words());
    keep(params);
    let params: OwnedParams = any(OwnedParams::EMPTY);
    keep((params.as_slice(), params.get(any(2))));

    keep(PacketHeader::parse(bytes()));
    keep(PacketType::from_code(any(9)));
    let reason = FailReason::from_code(any(2));
    keep(reason.code());
    if let Ok(ptp_core::Status::Complete((packet, _))) = Packet::parse(bytes()) {
        keep((
            packet.kind(),
            packet.buffer_len(),
            packet.emit(out(&mut storage)),
        ));
    }
    let packet: Packet<'_> = any(Packet::InitCommandRequest {
        guid: [0; 16],
        name: any(PtpString::from_wire(bytes())),
        version: ptpip::VERSION,
    });
    keep(packet.emit(out(&mut storage)));
    let packet: Packet<'_> = any(Packet::OperationRequest {
        data_phase: any(DataPhase::Out),
        message,
    });
    keep(packet.emit(out(&mut storage)));
    keep(ptpip::emit_data_header(
        out(&mut storage),
        any(true),
        any(3),
        any(usize::MAX),
    ));

    let mut framer: Framer = any(Framer::new(any(Transport::Usb)));
    keep(framer.next(bytes()));
    framer.end_of_transfer();
    keep((framer.in_data(), framer.transport()));
    framer.reset();
    keep(framer.next(bytes()));

    let mut assembler: UsbEventAssembler = any(UsbEventAssembler::new());
    keep(assembler.push(bytes()));
    keep(assembler.pending());
    assembler.clear();
    keep(assembler.push(bytes()));
    keep(parse_ptpip_event(bytes()));
}
