//! Turns the bytes of either transport into the same [`Frame`]s, so the
//! initiator and responder engines never care which transport they run on.
//!
//! USB: generic containers; a data container's payload is streamed as it
//! arrives. PTP/IP: packets; Start Data, then the payloads of Data / End Data
//! packets, streamed the same way. Nothing is buffered: payload frames borrow
//! the caller's input.

use crate::Status;
use crate::container::{self, Container, ContainerType, Header};
use crate::error::DecodeError;
use crate::message::Message;
use crate::ptpip::Packet;
#[cfg(feature = "ptpip")]
use crate::ptpip::{self, DataPhase, PacketHeader, PacketType};

/// Which transport's framing the bytes use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Transport {
    /// USB still-image class generic containers.
    Usb,
    /// PTP/IP packets on the command/data connection (feature `ptpip`).
    #[cfg(feature = "ptpip")]
    PtpIp,
}

/// One unit recognised in the byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame<'a> {
    /// An operation request. `data_out` is PTP/IP's data-phase flag; USB
    /// does not say (`None`).
    Request {
        /// Code, transaction id, parameters.
        message: Message<'a>,
        /// Whether the initiator will send data (PTP/IP only).
        data_out: Option<bool>,
    },
    /// A response.
    Response(Message<'a>),
    /// An event (USB interrupt data, or a PTP/IP event packet).
    Event(Message<'a>),
    /// A data phase starts.
    DataStart {
        /// The transaction id.
        transaction_id: u32,
        /// Total payload length, when the sender gave it.
        total: Option<u64>,
    },
    /// Payload bytes of the current data phase (possibly empty).
    Data(&'a [u8]),
    /// The current data phase is complete.
    DataEnd,
    /// A PTP/IP Cancel packet.
    Cancel {
        /// The transaction to cancel.
        transaction_id: u32,
    },
    /// Any other PTP/IP packet (init, probe).
    Other(Packet<'a>),
}

/// Where the framer is in the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At a container or packet boundary.
    Boundary,
    /// Inside a USB data container: payload bytes left (`None`: until the
    /// transport reports the short packet).
    UsbData { remaining: Option<u64> },
    /// Inside a PTP/IP Data / End Data packet.
    #[cfg(feature = "ptpip")]
    PtpIpData { remaining: usize, last: bool },
    /// The data phase ended; report it at the next call.
    DataDone,
}

/// Splits a byte stream into frames. See the module docs.
#[derive(Clone, Debug)]
pub struct Framer {
    transport: Transport,
    state: State,
}

impl Framer {
    /// A framer at a boundary.
    pub const fn new(transport: Transport) -> Self {
        Framer {
            transport,
            state: State::Boundary,
        }
    }

    /// The transport.
    pub const fn transport(&self) -> Transport {
        self.transport
    }

    /// Whether the framer is inside a data phase.
    pub fn in_data(&self) -> bool {
        self.state != State::Boundary
    }

    /// USB: the transfer ended with a short packet, which ends a data
    /// container of unknown (over 4 GiB) length.
    pub fn end_of_transfer(&mut self) {
        if self.state == (State::UsbData { remaining: None }) {
            self.state = State::DataDone;
        }
    }

    /// Forgets any partial data phase (after a cancel or a reset).
    pub fn reset(&mut self) {
        self.state = State::Boundary;
    }

    /// Recognises the next frame at the start of `input`, returning it and
    /// the bytes it consumed. `Incomplete` asks for more input, keeping the
    /// unconsumed bytes in front.
    pub fn next<'a>(&mut self, input: &'a [u8]) -> Result<Status<(Frame<'a>, usize)>, DecodeError> {
        match self.state {
            State::DataDone => {
                self.state = State::Boundary;
                Ok(Status::Complete((Frame::DataEnd, 0)))
            }
            State::UsbData { remaining } => Ok(self.usb_payload(input, remaining)),
            #[cfg(feature = "ptpip")]
            State::PtpIpData { remaining, last } => {
                Ok(self.ptpip_payload(input, 0, remaining, last))
            }
            State::Boundary => match self.transport {
                Transport::Usb => self.usb_boundary(input),
                #[cfg(feature = "ptpip")]
                Transport::PtpIp => self.ptpip_boundary(input),
            },
        }
    }

    fn usb_boundary<'a>(
        &mut self,
        input: &'a [u8],
    ) -> Result<Status<(Frame<'a>, usize)>, DecodeError> {
        let header = match Header::parse(input)? {
            Status::Complete(header) => header,
            Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
        };
        if header.kind == ContainerType::Data {
            let total = header.payload_len.map(u64::from);
            self.state = match total {
                Some(0) => State::DataDone,
                remaining => State::UsbData { remaining },
            };
            let frame = Frame::DataStart {
                transaction_id: header.transaction_id,
                total,
            };
            return Ok(Status::Complete((frame, container::HEADER_LEN)));
        }
        Ok(match Container::with_header(header, input)? {
            Status::Incomplete { needed } => Status::Incomplete { needed },
            Status::Complete((container, used)) => Status::Complete((
                match container {
                    Container::Command(message) => Frame::Request {
                        message,
                        data_out: None,
                    },
                    Container::Response(message) => Frame::Response(message),
                    Container::Event(message) => Frame::Event(message),
                    // Data containers were handled above.
                    Container::Data { payload, .. } => Frame::Data(payload),
                },
                used,
            )),
        })
    }

    fn usb_payload<'a>(
        &mut self,
        input: &'a [u8],
        remaining: Option<u64>,
    ) -> Status<(Frame<'a>, usize)> {
        if input.is_empty() {
            return Status::Incomplete { needed: 1 };
        }
        let take = match remaining {
            Some(remaining) => usize::try_from(remaining)
                .unwrap_or(usize::MAX)
                .min(input.len()),
            None => input.len(),
        };
        let payload = input.get(..take).unwrap_or(&[]);
        self.state = match remaining.map(|r| r - take as u64) {
            Some(0) => State::DataDone,
            left => State::UsbData { remaining: left },
        };
        Status::Complete((Frame::Data(payload), take))
    }

    #[cfg(feature = "ptpip")]
    fn ptpip_boundary<'a>(
        &mut self,
        input: &'a [u8],
    ) -> Result<Status<(Frame<'a>, usize)>, DecodeError> {
        let header = match PacketHeader::parse(input)? {
            Status::Complete(header) => header,
            Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
        };
        if matches!(header.kind, PacketType::Data | PacketType::EndData) {
            if input.len() < ptpip::DATA_HEADER_LEN {
                return Ok(Status::Incomplete {
                    needed: ptpip::DATA_HEADER_LEN,
                });
            }
            let remaining = header.length as usize - ptpip::DATA_HEADER_LEN;
            let last = header.kind == PacketType::EndData;
            let rest = input.get(ptpip::DATA_HEADER_LEN..).unwrap_or(&[]);
            return Ok(self.ptpip_payload(rest, ptpip::DATA_HEADER_LEN, remaining, last));
        }
        Ok(match Packet::parse(input)? {
            Status::Incomplete { needed } => Status::Incomplete { needed },
            Status::Complete((packet, used)) => {
                let frame = match packet {
                    Packet::OperationRequest {
                        data_phase,
                        message,
                    } => Frame::Request {
                        message,
                        data_out: Some(data_phase == DataPhase::Out),
                    },
                    Packet::OperationResponse(message) => Frame::Response(message),
                    Packet::Event(message) => Frame::Event(message),
                    Packet::StartData {
                        transaction_id,
                        total_length,
                    } => Frame::DataStart {
                        transaction_id,
                        total: Some(total_length),
                    },
                    Packet::Cancel { transaction_id } => Frame::Cancel { transaction_id },
                    other => Frame::Other(other),
                };
                Status::Complete((frame, used))
            }
        })
    }

    /// Payload of a Data / End Data packet; `already` bytes (the packet
    /// header) were consumed in this call.
    #[cfg(feature = "ptpip")]
    fn ptpip_payload<'a>(
        &mut self,
        input: &'a [u8],
        already: usize,
        remaining: usize,
        last: bool,
    ) -> Status<(Frame<'a>, usize)> {
        let take = remaining.min(input.len());
        if take == 0 && remaining > 0 && already == 0 {
            self.state = State::PtpIpData { remaining, last };
            return Status::Incomplete { needed: 1 };
        }
        let payload = input.get(..take).unwrap_or(&[]);
        self.state = match (remaining - take, last) {
            (0, true) => State::DataDone,
            (0, false) => State::Boundary,
            (left, last) => State::PtpIpData {
                remaining: left,
                last,
            },
        };
        Status::Complete((Frame::Data(payload), already + take))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    /// Feeds `input` in pieces of `step` bytes, collecting frames as a trace.
    fn trace(
        transport: Transport,
        input: &[u8],
        step: usize,
    ) -> std::vec::Vec<std::string::String> {
        let mut framer = Framer::new(transport);
        let mut out = std::vec::Vec::new();
        let mut pending: std::vec::Vec<u8> = std::vec::Vec::new();
        let mut fed = 0;
        loop {
            match framer.next(&pending).unwrap() {
                Status::Complete((frame, used)) => {
                    let text = match frame {
                        Frame::Data(bytes) => {
                            format!("data {}", std::string::String::from_utf8_lossy(bytes))
                        }
                        other => format!("{other:?}"),
                    };
                    if text != "data " {
                        out.push(text);
                    }
                    pending.drain(..used);
                }
                Status::Incomplete { .. } if fed < input.len() => {
                    let end = (fed + step).min(input.len());
                    pending.extend_from_slice(&input[fed..end]);
                    fed = end;
                }
                Status::Incomplete { .. } => return out,
            }
        }
    }

    fn joined(frames: &[std::string::String]) -> std::string::String {
        let mut text = std::string::String::new();
        for frame in frames {
            if let Some(data) = frame.strip_prefix("data ") {
                text.push_str(data);
            }
        }
        text
    }

    #[test]
    fn usb_data_then_response_in_any_split() {
        let mut stream = [0u8; 64];
        let mut len = Container::Data {
            code: 0x1009,
            transaction_id: 3,
            payload: b"hello world",
        }
        .emit(&mut stream)
        .unwrap();
        len += Container::Response(Message::new(0x2001, 3, &[]))
            .emit(&mut stream[len..])
            .unwrap();
        for step in 1..=len {
            let frames = trace(Transport::Usb, &stream[..len], step);
            assert_eq!(
                frames.first().unwrap(),
                "DataStart { transaction_id: 3, total: Some(11) }"
            );
            assert_eq!(joined(&frames), "hello world", "step {step}");
            let tail = &frames[frames.len() - 2..];
            assert_eq!(tail[0], "DataEnd");
            assert!(tail[1].starts_with("Response(0x2001 tid 3"), "{tail:?}");
        }
    }

    #[test]
    #[cfg(feature = "ptpip")]
    fn ptpip_data_packets_in_any_split() {
        let mut stream = [0u8; 128];
        let mut len = 0;
        for packet in [
            Packet::StartData {
                transaction_id: 4,
                total_length: 8,
            },
            Packet::Data {
                transaction_id: 4,
                payload: b"abc",
            },
            Packet::Data {
                transaction_id: 4,
                payload: b"",
            },
            Packet::EndData {
                transaction_id: 4,
                payload: b"defgh",
            },
            Packet::OperationResponse(Message::new(0x2001, 4, &[7])),
        ] {
            len += packet.emit(&mut stream[len..]).unwrap();
        }
        for step in 1..=len {
            let frames = trace(Transport::PtpIp, &stream[..len], step);
            assert_eq!(
                frames.first().unwrap(),
                "DataStart { transaction_id: 4, total: Some(8) }"
            );
            assert_eq!(joined(&frames), "abcdefgh", "step {step}");
            assert_eq!(frames[frames.len() - 2], "DataEnd");
            assert!(
                frames
                    .last()
                    .unwrap()
                    .starts_with("Response(0x2001 tid 4 [7]")
            );
        }
    }

    #[test]
    fn usb_unknown_length_ends_at_short_packet() {
        let mut head = [0u8; 12];
        Header::data(0x1009, 1, 5 << 30).emit(&mut head).unwrap();
        let mut framer = Framer::new(Transport::Usb);
        assert!(matches!(
            framer.next(&head),
            Ok(Status::Complete((Frame::DataStart { total: None, .. }, 12)))
        ));
        assert_eq!(
            framer.next(b"xyz").unwrap(),
            Status::Complete((Frame::Data(b"xyz"), 3))
        );
        framer.end_of_transfer();
        assert_eq!(
            framer.next(&[]).unwrap(),
            Status::Complete((Frame::DataEnd, 0))
        );
        assert!(!framer.in_data());
    }

    #[test]
    fn empty_usb_data_phase() {
        let mut head = [0u8; 12];
        Header::data(0x100C, 1, 0).emit(&mut head).unwrap();
        let mut framer = Framer::new(Transport::Usb);
        assert!(matches!(
            framer.next(&head),
            Ok(Status::Complete((
                Frame::DataStart { total: Some(0), .. },
                12
            )))
        ));
        assert_eq!(
            framer.next(&[]).unwrap(),
            Status::Complete((Frame::DataEnd, 0))
        );
    }
}
