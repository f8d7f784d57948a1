//! The sans-IO engines on the MCU: an initiator and a responder joined by two
//! fixed-size in-memory pipes, over USB and PTP/IP framing. The responder
//! serves the captured EOS R6 DeviceInfo in 64-byte pieces, so the initiator
//! parses frames that start at every kind of offset.
#![no_std]
#![no_main]

use ptp_core_mcu_tests as _;

#[defmt_test::tests]
mod tests {
    use ptp_core::Status;
    use ptp_core::codes::DataDirection;
    use ptp_core::dataset::DeviceInfo;
    use ptp_core::framer::Transport;
    use ptp_core::initiator::{Initiator, Received};
    use ptp_core::message::OwnedParams;
    use ptp_core::responder::{Handler, Reply, Request, Responder, Response, response};
    use ptp_core_mcu_tests::fixtures::EOS_R6_DEVICE_INFO;

    const GET_DEVICE_INFO: u16 = 0x1001;
    const OPEN_SESSION: u16 = 0x1002;
    const CLOSE_SESSION: u16 = 0x1003;
    const GET_STORAGE_IDS: u16 = 0x1004;
    const SEND_OBJECT: u16 = 0x100D;
    const TRANSPORTS: [Transport; 2] = [Transport::Usb, Transport::PtpIp];

    /// A byte queue of fixed capacity (no allocator here).
    struct Pipe<const N: usize> {
        bytes: [u8; N],
        len: usize,
    }

    impl<const N: usize> Pipe<N> {
        const fn new() -> Self {
            Pipe {
                bytes: [0; N],
                len: 0,
            }
        }

        fn push(&mut self, data: &[u8]) {
            defmt::assert!(self.len + data.len() <= N, "pipe of {=usize} full", N);
            self.bytes[self.len..self.len + data.len()].copy_from_slice(data);
            self.len += data.len();
        }

        fn contents(&self) -> &[u8] {
            &self.bytes[..self.len]
        }

        fn drain(&mut self, count: usize) {
            self.bytes.copy_within(count..self.len, 0);
            self.len -= count;
        }
    }

    /// The device side: serves DeviceInfo, one storage, and takes uploads.
    struct Camera {
        uploaded: usize,
        upload_sum: u32,
        session_changes: usize,
        last_session: Option<u32>,
    }

    impl Handler for Camera {
        fn request(&mut self, request: &Request) -> Reply {
            match request.code {
                GET_DEVICE_INFO => Reply::DataIn {
                    total: EOS_R6_DEVICE_INFO.len() as u64,
                },
                GET_STORAGE_IDS => Reply::Respond(Response {
                    code: response::OK,
                    params: OwnedParams::from_slice(&[0x0001_0001]).unwrap(),
                }),
                SEND_OBJECT => Reply::DataOut,
                _ => Reply::Respond(Response::code(response::OPERATION_NOT_SUPPORTED)),
            }
        }

        fn read_data(
            &mut self,
            _request: &Request,
            offset: u64,
            buffer: &mut [u8],
        ) -> Result<usize, u16> {
            let rest = &EOS_R6_DEVICE_INFO[offset as usize..];
            let count = rest.len().min(buffer.len());
            buffer[..count].copy_from_slice(&rest[..count]);
            Ok(count)
        }

        fn write_data(&mut self, _request: &Request, offset: u64, chunk: &[u8]) -> Result<(), u16> {
            defmt::assert_eq!(offset as usize, self.uploaded);
            self.uploaded += chunk.len();
            self.upload_sum = chunk.iter().fold(self.upload_sum, |sum, byte| {
                sum.wrapping_add(u32::from(*byte))
            });
            Ok(())
        }

        fn data_out_done(&mut self, _request: &Request) -> Response {
            Response::OK
        }

        fn session_changed(&mut self, session_id: Option<u32>) {
            self.session_changes += 1;
            self.last_session = session_id;
        }
    }

    /// What one transaction brought back.
    struct Outcome {
        data: [u8; 600],
        data_len: usize,
        announced: Option<u64>,
        response: u16,
        first_param: u32,
    }

    struct Pair {
        initiator: Initiator,
        responder: Responder,
        camera: Camera,
        to_responder: Pipe<128>,
        to_initiator: Pipe<1024>,
    }

    impl Pair {
        fn new(transport: Transport) -> Self {
            Pair {
                initiator: Initiator::new(transport),
                responder: Responder::new(transport),
                camera: Camera {
                    uploaded: 0,
                    upload_sum: 0,
                    session_changes: 0,
                    last_session: None,
                },
                to_responder: Pipe::new(),
                to_initiator: Pipe::new(),
            }
        }

        /// The responder consumes what it has and sends in 64-byte pieces.
        fn run_responder(&mut self) {
            while let Status::Complete(used) = self
                .responder
                .receive(self.to_responder.contents(), &mut self.camera)
                .unwrap()
            {
                self.to_responder.drain(used);
            }
            let mut out = [0u8; 64];
            while let Some(transmit) = self
                .responder
                .poll_transmit(&mut out, &mut self.camera)
                .unwrap()
            {
                self.to_initiator.push(&out[..transmit.len]);
            }
        }

        fn transact(&mut self, code: u16, params: &[u32], upload: &[u8]) -> Outcome {
            let direction = if code == SEND_OBJECT {
                DataDirection::Out
            } else if code == GET_DEVICE_INFO {
                DataDirection::In
            } else {
                DataDirection::None
            };
            let mut out = [0u8; 64];
            let len = self
                .initiator
                .begin(code, params, direction, &mut out, 0)
                .unwrap();
            self.to_responder.push(&out[..len]);
            if direction == DataDirection::Out {
                let len = self
                    .initiator
                    .data_out_start(upload.len() as u64, &mut out)
                    .unwrap();
                self.to_responder.push(&out[..len]);
                for piece in upload.chunks(7) {
                    let len = self
                        .initiator
                        .data_out_chunk(piece.len(), &mut out)
                        .unwrap();
                    self.to_responder.push(&out[..len]);
                    self.to_responder.push(piece);
                    self.run_responder();
                }
            }
            self.run_responder();
            self.collect()
        }

        /// Feeds the initiator what the responder sent, up to the response.
        fn collect(&mut self) -> Outcome {
            let mut outcome = Outcome {
                data: [0; 600],
                data_len: 0,
                announced: None,
                response: 0,
                first_param: 0,
            };
            loop {
                let status = self
                    .initiator
                    .receive(self.to_initiator.contents(), 1)
                    .unwrap();
                let Status::Complete((received, used)) = status else {
                    defmt::panic!("initiator starved: no response arrived");
                };
                let done = match received {
                    Received::DataStart { total } => {
                        outcome.announced = total;
                        false
                    }
                    Received::Data(bytes) => {
                        let end = outcome.data_len + bytes.len();
                        outcome.data[outcome.data_len..end].copy_from_slice(bytes);
                        outcome.data_len = end;
                        false
                    }
                    Received::Response(message) => {
                        outcome.response = message.code;
                        outcome.first_param = message.param(0);
                        true
                    }
                    Received::DataEnd | Received::Discarded => false,
                };
                self.to_initiator.drain(used);
                if done {
                    return outcome;
                }
            }
        }
    }

    #[test]
    fn device_info_streams_in_pieces_and_parses() {
        for transport in TRANSPORTS {
            let mut pair = Pair::new(transport);
            let outcome = pair.transact(GET_DEVICE_INFO, &[], &[]);
            defmt::assert_eq!(outcome.response, response::OK, "{}", transport);
            defmt::assert_eq!(outcome.announced, Some(511));
            defmt::assert_eq!(outcome.data_len, 511);
            let data = &outcome.data[..outcome.data_len];
            defmt::assert!(data == EOS_R6_DEVICE_INFO);
            let info = DeviceInfo::parse(data).unwrap();
            defmt::assert!(info.model.eq_str("Canon EOS R6"));
            defmt::assert!(pair.initiator.is_idle() && pair.responder.is_idle());
        }
    }

    #[test]
    fn session_lifecycle() {
        for transport in TRANSPORTS {
            let mut pair = Pair::new(transport);
            let refused = pair.transact(GET_STORAGE_IDS, &[], &[]);
            defmt::assert_eq!(refused.response, response::SESSION_NOT_OPEN);

            defmt::assert_eq!(
                pair.transact(OPEN_SESSION, &[7], &[]).response,
                response::OK
            );
            defmt::assert_eq!(pair.initiator.session_id(), Some(7));
            defmt::assert_eq!(pair.responder.session_id(), Some(7));
            let again = pair.transact(OPEN_SESSION, &[8], &[]);
            defmt::assert_eq!(again.response, response::SESSION_ALREADY_OPEN);

            let ids = pair.transact(GET_STORAGE_IDS, &[], &[]);
            defmt::assert_eq!((ids.response, ids.first_param), (response::OK, 0x0001_0001));
            let unknown = pair.transact(0x9999, &[], &[]);
            defmt::assert_eq!(unknown.response, response::OPERATION_NOT_SUPPORTED);

            defmt::assert_eq!(
                pair.transact(CLOSE_SESSION, &[], &[]).response,
                response::OK
            );
            defmt::assert_eq!(pair.initiator.session_id(), None);
            defmt::assert_eq!(pair.responder.session_id(), None);
            defmt::assert_eq!(pair.camera.session_changes, 2);
            defmt::assert_eq!(pair.camera.last_session, None);
        }
    }

    #[test]
    fn upload_in_odd_sized_chunks() {
        let mut object = [0u8; 301];
        for (index, byte) in object.iter_mut().enumerate() {
            *byte = (index * 7 % 251) as u8;
        }
        let expected_sum = object
            .iter()
            .fold(0u32, |sum, byte| sum.wrapping_add(u32::from(*byte)));
        for transport in TRANSPORTS {
            let mut pair = Pair::new(transport);
            defmt::assert_eq!(
                pair.transact(OPEN_SESSION, &[1], &[]).response,
                response::OK
            );
            let sent = pair.transact(SEND_OBJECT, &[], &object);
            defmt::assert_eq!(sent.response, response::OK, "{}", transport);
            defmt::assert_eq!(pair.camera.uploaded, object.len());
            defmt::assert_eq!(pair.camera.upload_sum, expected_sum);
        }
    }
}
