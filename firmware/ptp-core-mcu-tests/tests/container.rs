//! USB containers on the MCU: headers framed from every misalignment through
//! zerocopy's unaligned views, partial input, bad headers, emit/parse round
//! trips, and a DeviceInfo carried in a data container at an odd address.
#![no_std]
#![no_main]

use ptp_core_mcu_tests as _;

#[defmt_test::tests]
mod tests {
    use ptp_core::container::{Container, ContainerType, HEADER_LEN, Header, UNKNOWN_LENGTH};
    use ptp_core::dataset::DeviceInfo;
    use ptp_core::message::Message;
    use ptp_core::{DecodeErrorKind, EncodeError, Status};
    use ptp_core_mcu_tests::fixtures::EOS_R6_DEVICE_INFO;
    use ptp_core_mcu_tests::{Aligned, place, window};

    /// OpenSession (0x1002), transaction 1, SessionID 1.
    const OPEN_SESSION: [u8; 16] = [
        0x10, 0, 0, 0, 0x01, 0x00, 0x02, 0x10, 0x01, 0, 0, 0, 0x01, 0, 0, 0,
    ];

    #[test]
    fn command_parses_at_every_misalignment() {
        let mut buffer = Aligned::<48>::new();
        for offset in 0..16 {
            let bytes = place(&mut buffer, offset, &OPEN_SESSION);
            defmt::assert_eq!(
                Header::parse(bytes),
                Ok(Status::Complete(Header {
                    kind: ContainerType::Command,
                    code: 0x1002,
                    transaction_id: 1,
                    payload_len: Some(4),
                }))
            );
            let Ok(Status::Complete((container, used))) = Container::parse(bytes) else {
                defmt::panic!("OpenSession at offset {=usize} did not parse", offset);
            };
            defmt::assert_eq!(used, 16);
            defmt::assert!(container == Container::Command(Message::new(0x1002, 1, &[1])));
            if let Container::Command(message) = container {
                defmt::assert_eq!(message.param(0), 1);
                defmt::assert_eq!(message.param(4), 0);
            }
        }
    }

    #[test]
    fn partial_input_is_incomplete_not_an_error() {
        let mut buffer = Aligned::<48>::new();
        for len in 0..OPEN_SESSION.len() {
            let bytes = place(&mut buffer, 3, &OPEN_SESSION[..len]);
            let needed = if len < HEADER_LEN { HEADER_LEN } else { 16 };
            let status = Container::parse(bytes).map(|status| match status {
                Status::Incomplete { needed } => Some(needed),
                Status::Complete(_) => None,
            });
            defmt::assert_eq!(status, Ok(Some(needed)), "{=usize} bytes", len);
        }
    }

    #[test]
    fn bad_headers_are_errors() {
        let mut buffer = Aligned::<48>::new();
        let mut bad_type = OPEN_SESSION;
        bad_type[4] = 9;
        let err = Header::parse(place(&mut buffer, 1, &bad_type)).unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::BadValue(9));
        defmt::assert_eq!(err.offset, 4);
        // A command with a parameter and a half.
        let mut odd_length = OPEN_SESSION;
        odd_length[0] = 0x12;
        let err = Header::parse(place(&mut buffer, 2, &odd_length)).unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::BadLength(0x12));
        // Shorter than its own header.
        let mut short = OPEN_SESSION;
        short[0] = 8;
        let err = Header::parse(place(&mut buffer, 5, &short)).unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::BadLength(8));
    }

    #[test]
    fn every_kind_round_trips_through_misaligned_buffers() {
        let payload = [0xAB; 7];
        let containers = [
            Container::Command(Message::new(0x1002, 1, &[1])),
            Container::Command(Message::new(0x1009, 0xFFFF_FFFE, &[1, 2, 3, 4, 5])),
            Container::Response(Message::new(0x2001, 7, &[])),
            Container::Event(Message::new(0x4002, 0, &[0x0001_0001, 2, 3])),
            Container::Data {
                code: 0x1009,
                transaction_id: 9,
                payload: &payload,
            },
        ];
        for (index, container) in containers.iter().enumerate() {
            let len = container.buffer_len();
            let mut encoded = Aligned::<64>::new();
            let target = window(&mut encoded, 1 + index, len);
            defmt::assert_eq!(container.emit(target), Ok(len));
            let mut buffer = Aligned::<64>::new();
            let bytes = place(
                &mut buffer,
                3 + index,
                &encoded.0[1 + index..1 + index + len],
            );
            let parsed = Container::parse(bytes);
            defmt::assert!(
                parsed == Ok(Status::Complete((*container, len))),
                "container {=usize} did not round-trip",
                index
            );
        }
        let too_many = Container::Event(Message::new(0x4002, 0, &[1, 2, 3, 4]));
        let mut buffer = [0u8; 64];
        defmt::assert_eq!(
            too_many.emit(&mut buffer),
            Err(EncodeError::TooManyParams { given: 4, max: 3 })
        );
    }

    #[test]
    fn data_over_4_gib_has_unknown_length() {
        let header = Header::data(0x1009, 3, 5_000_000_000);
        defmt::assert_eq!(header.payload_len, None);
        let mut buffer = Aligned::<32>::new();
        defmt::assert_eq!(
            header.emit(window(&mut buffer, 1, HEADER_LEN)),
            Ok(HEADER_LEN)
        );
        defmt::assert_eq!(buffer.0[1..5], UNKNOWN_LENGTH.to_le_bytes());
        let bytes = &buffer.0[1..1 + HEADER_LEN];
        defmt::assert_eq!(Header::parse(bytes), Ok(Status::Complete(header)));
        // Such a container can only be streamed, not parsed whole.
        let err = Container::parse(bytes).unwrap_err();
        defmt::assert_eq!(err.kind, DecodeErrorKind::BadLength(UNKNOWN_LENGTH));
    }

    #[test]
    fn device_info_in_a_data_container_at_an_odd_address() {
        let container = Container::Data {
            code: 0x1001,
            transaction_id: 0,
            payload: EOS_R6_DEVICE_INFO,
        };
        let len = container.buffer_len();
        defmt::assert_eq!(len, HEADER_LEN + 511);
        let mut buffer = Aligned::<544>::new();
        defmt::assert_eq!(container.emit(window(&mut buffer, 5, len)), Ok(len));
        let bytes = &buffer.0[5..5 + len];
        let Ok(Status::Complete((Container::Data { code, payload, .. }, used))) =
            Container::parse(bytes)
        else {
            defmt::panic!("the data container did not parse");
        };
        defmt::assert_eq!((code, used), (0x1001, len));
        // The payload starts at an odd address (5 + 12).
        defmt::assert_eq!(payload.as_ptr().addr() % 2, 1);
        let info = DeviceInfo::parse(payload).unwrap();
        defmt::assert!(info.model.eq_str("Canon EOS R6"));
        defmt::assert_eq!(info.operations_supported.len(), 159);
    }
}
