//! Events as they arrive on the event channel.
//!
//! USB: event containers on the interrupt endpoint, at most 24 bytes, which
//! a read may split; [`UsbEventAssembler`] puts them back together. PTP/IP:
//! Event packets on the event connection, plus Probe requests to answer;
//! [`parse_ptpip_event`] frames them.

use crate::Status;
use crate::container::{self, Container, Header};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::message::OwnedParams;
use crate::ptpip::Packet;

/// An event, copied out of the bytes that carried it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Event {
    /// Event code.
    pub code: u16,
    /// The transaction it relates to (0xFFFFFFFF or 0 when none).
    pub transaction_id: u32,
    /// Up to three parameters.
    pub params: OwnedParams,
}

/// Reassembles USB event containers from interrupt reads of any size.
#[derive(Clone, Debug, Default)]
pub struct UsbEventAssembler {
    buffer: [u8; container::MAX_EVENT_LEN],
    len: usize,
}

impl UsbEventAssembler {
    /// An empty assembler.
    pub const fn new() -> Self {
        UsbEventAssembler {
            buffer: [0; container::MAX_EVENT_LEN],
            len: 0,
        }
    }

    /// Bytes held from an event not yet complete.
    pub const fn pending(&self) -> usize {
        self.len
    }

    /// Drops a partial event (after a stall or a reset).
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Takes bytes from one interrupt read; returns the event once complete
    /// and how many of `bytes` were used (the rest belongs to the next one).
    /// A malformed container is an error and the partial state is dropped.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(Option<Event>, usize), DecodeError> {
        let mut used = 0;
        loop {
            let have = self.buffer.get(..self.len).unwrap_or(&[]);
            let needed = match Header::parse(have) {
                Ok(Status::Incomplete { needed }) => needed,
                Ok(Status::Complete(header)) => {
                    let length = header.container_len().unwrap_or(usize::MAX);
                    if header.kind != container::ContainerType::Event || length > self.buffer.len()
                    {
                        self.clear();
                        return Err(DecodeError {
                            field: "Event.Type",
                            offset: 4,
                            kind: DecodeErrorKind::BadValue(u32::from(header.kind.code())),
                        });
                    }
                    length
                }
                Err(error) => {
                    self.clear();
                    return Err(error);
                }
            };
            if self.len >= needed {
                break;
            }
            // Copied element by element: no length check that could panic
            // (`copy_from_slice` keeps one the optimiser cannot remove).
            let free = self.buffer.get_mut(self.len..needed).unwrap_or(&mut []);
            let rest = bytes.get(used..).unwrap_or(&[]);
            let take = free.len().min(rest.len());
            if take == 0 {
                return Ok((None, used));
            }
            free.iter_mut()
                .zip(rest)
                .for_each(|(slot, byte)| *slot = *byte);
            self.len += take;
            used += take;
        }
        let complete = self.buffer.get(..self.len).unwrap_or(&[]);
        let event = match Container::parse(complete)? {
            Status::Complete((Container::Event(message), _)) => Some(Event {
                code: message.code,
                transaction_id: message.transaction_id,
                params: message.to_owned_params(),
            }),
            _ => None,
        };
        self.clear();
        Ok((event, used))
    }
}

/// What arrives on the PTP/IP event connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EventChannel {
    /// An event.
    Event(Event),
    /// A Probe Request: answer with a Probe Response.
    ProbeRequest,
    /// A Probe Response to our probe.
    ProbeResponse,
}

/// Frames the next unit of the PTP/IP event connection.
pub fn parse_ptpip_event(bytes: &[u8]) -> Result<Status<(EventChannel, usize)>, DecodeError> {
    let (packet, used) = match Packet::parse(bytes)? {
        Status::Complete(complete) => complete,
        Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
    };
    let item = match packet {
        Packet::Event(message) => EventChannel::Event(Event {
            code: message.code,
            transaction_id: message.transaction_id,
            params: message.to_owned_params(),
        }),
        Packet::ProbeRequest => EventChannel::ProbeRequest,
        Packet::ProbeResponse => EventChannel::ProbeResponse,
        other => {
            return Err(DecodeError {
                field: "PtpIp.Type",
                offset: 4,
                kind: DecodeErrorKind::BadValue(other.kind() as u32),
            });
        }
    };
    Ok(Status::Complete((item, used)))
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::message::Message;

    // ObjectAdded (0x4002), transaction 0xFFFFFFFF, handle 0x42.
    static OBJECT_ADDED: [u8; 16] = [
        16, 0, 0, 0, 4, 0, 0x02, 0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0x42, 0, 0, 0,
    ];

    #[test]
    fn reassembles_split_reads() {
        let expected = Event {
            code: 0x4002,
            transaction_id: 0xFFFF_FFFF,
            params: OwnedParams::from_slice(&[0x42]).unwrap(),
        };
        for split in 0..=OBJECT_ADDED.len() {
            let mut assembler = UsbEventAssembler::new();
            let (first, used) = assembler.push(&OBJECT_ADDED[..split]).unwrap();
            assert_eq!(used, split);
            let event = match first {
                Some(event) => event,
                None => {
                    let (second, used) = assembler.push(&OBJECT_ADDED[split..]).unwrap();
                    assert_eq!(used, OBJECT_ADDED.len() - split);
                    second.unwrap()
                }
            };
            assert_eq!(event, expected, "split at {split}");
            assert_eq!(assembler.pending(), 0);
        }
    }

    #[test]
    fn two_events_in_one_read() {
        let mut both = [0u8; 32];
        both[..16].copy_from_slice(&OBJECT_ADDED);
        both[16..].copy_from_slice(&OBJECT_ADDED);
        both[22] = 0x03; // ObjectRemoved
        let mut assembler = UsbEventAssembler::new();
        let (first, used) = assembler.push(&both).unwrap();
        assert_eq!((first.unwrap().code, used), (0x4002, 16));
        let (second, used) = assembler.push(&both[16..]).unwrap();
        assert_eq!((second.unwrap().code, used), (0x4003, 16));
    }

    #[test]
    fn rejects_non_events_and_oversized_lengths() {
        let mut response = OBJECT_ADDED;
        response[4] = 3;
        assert!(UsbEventAssembler::new().push(&response).is_err());
        let mut huge = OBJECT_ADDED;
        huge[0] = 200;
        let mut assembler = UsbEventAssembler::new();
        assert!(assembler.push(&huge).is_err());
        assert_eq!(assembler.pending(), 0);
    }

    #[test]
    fn ptpip_event_channel() {
        let mut buffer = [0u8; 64];
        let len = Packet::Event(Message::new(0x400D, 5, &[]))
            .emit(&mut buffer)
            .unwrap();
        let probe = Packet::ProbeRequest.emit(&mut buffer[len..]).unwrap();
        let Status::Complete((EventChannel::Event(event), used)) =
            parse_ptpip_event(&buffer).unwrap()
        else {
            panic!()
        };
        assert_eq!((event.code, event.transaction_id, used), (0x400D, 5, len));
        assert_eq!(
            parse_ptpip_event(&buffer[len..len + probe]).unwrap(),
            Status::Complete((EventChannel::ProbeRequest, probe))
        );
        let mut request = [0u8; 32];
        let len = Packet::Cancel { transaction_id: 1 }
            .emit(&mut request)
            .unwrap();
        assert!(parse_ptpip_event(&request[..len]).is_err());
    }
}
