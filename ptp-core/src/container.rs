//! USB still-image class generic containers (PIMA 15740 USB SIC 1.0).
//!
//! ```text
//! u32 length (whole container) | u16 type | u16 code | u32 transaction id | payload
//! ```
//! Command and response payloads are 0..=5 `u32` parameters, events 0..=3;
//! data payloads are the dataset or object bytes. A data container may be far
//! larger than any buffer: [`Header::parse`] frames it from its first 12
//! bytes and the payload is then streamed; [`Container::parse`] parses whole
//! small containers. Length `0xFFFF_FFFF` on a data container means "over
//! 4 GiB, read until the short packet".

use crate::Status;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::message::{MAX_EVENT_PARAMS, MAX_PARAMS, Message};
use crate::wire::{Array, Writer};
use zerocopy::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// Size of the generic container header.
pub const HEADER_LEN: usize = 12;
/// The largest command or response container (header and five parameters).
pub const MAX_OPERATION_LEN: usize = HEADER_LEN + 4 * MAX_PARAMS;
/// The largest event container (header and three parameters).
pub const MAX_EVENT_LEN: usize = HEADER_LEN + 4 * MAX_EVENT_PARAMS;
/// The length a data container gives when its payload exceeds 4 GiB.
pub const UNKNOWN_LENGTH: u32 = 0xFFFF_FFFF;

/// The container header as it lies on the wire (unaligned, little-endian).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy, Debug)]
#[repr(C)]
struct RawHeader {
    length: U32,
    kind: U16,
    code: U16,
    transaction_id: U32,
}

/// The container type field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ContainerType {
    /// 1: an operation request.
    Command,
    /// 2: a data phase.
    Data,
    /// 3: a response.
    Response,
    /// 4: an event (interrupt endpoint).
    Event,
}

impl ContainerType {
    /// The type for a wire value.
    pub const fn from_code(code: u16) -> Option<Self> {
        match code {
            1 => Some(ContainerType::Command),
            2 => Some(ContainerType::Data),
            3 => Some(ContainerType::Response),
            4 => Some(ContainerType::Event),
            _ => None,
        }
    }

    /// The wire value.
    pub const fn code(self) -> u16 {
        match self {
            ContainerType::Command => 1,
            ContainerType::Data => 2,
            ContainerType::Response => 3,
            ContainerType::Event => 4,
        }
    }

    const fn max_params(self) -> usize {
        match self {
            ContainerType::Event => MAX_EVENT_PARAMS,
            _ => MAX_PARAMS,
        }
    }
}

/// A validated container header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Header {
    /// Container type.
    pub kind: ContainerType,
    /// Operation, response or event code.
    pub code: u16,
    /// Transaction id.
    pub transaction_id: u32,
    /// Payload length in bytes; `None` for a data container of unknown
    /// (over 4 GiB) length.
    pub payload_len: Option<u32>,
}

impl Header {
    /// Parses and checks the first 12 bytes of a container.
    ///
    /// Command, response and event containers must carry a whole number of
    /// parameters, no more than their type allows.
    pub fn parse(bytes: &[u8]) -> Result<Status<Header>, DecodeError> {
        let Ok((raw, _)) = RawHeader::ref_from_prefix(bytes) else {
            return Ok(Status::Incomplete { needed: HEADER_LEN });
        };
        let error = |field, offset, kind| DecodeError {
            field,
            offset,
            kind,
        };
        let kind = ContainerType::from_code(raw.kind.get()).ok_or(error(
            "Container.Type",
            4,
            DecodeErrorKind::BadValue(u32::from(raw.kind.get())),
        ))?;
        let length = raw.length.get();
        let payload_len = match (kind, length) {
            (ContainerType::Data, UNKNOWN_LENGTH) => None,
            (_, length) if (length as usize) < HEADER_LEN => {
                return Err(error(
                    "Container.Length",
                    0,
                    DecodeErrorKind::BadLength(length),
                ));
            }
            (ContainerType::Data, length) => Some(length - HEADER_LEN as u32),
            (kind, length) => {
                let payload = length - HEADER_LEN as u32;
                if !payload.is_multiple_of(4) || payload as usize > 4 * kind.max_params() {
                    return Err(error(
                        "Container.Length",
                        0,
                        DecodeErrorKind::BadLength(length),
                    ));
                }
                Some(payload)
            }
        };
        Ok(Status::Complete(Header {
            kind,
            code: raw.code.get(),
            transaction_id: raw.transaction_id.get(),
            payload_len,
        }))
    }

    /// Writes the 12-byte header. A data payload of `None` or over
    /// `u32::MAX - 12` bytes is written as length `0xFFFF_FFFF`.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        let length = match self
            .payload_len
            .and_then(|len| len.checked_add(HEADER_LEN as u32))
        {
            Some(length) if length != UNKNOWN_LENGTH => length,
            _ => UNKNOWN_LENGTH,
        };
        let raw = RawHeader {
            length: U32::new(length),
            kind: U16::new(self.kind.code()),
            code: U16::new(self.code),
            transaction_id: U32::new(self.transaction_id),
        };
        let mut writer = Writer::new(buffer);
        writer.bytes(raw.as_bytes())?;
        Ok(HEADER_LEN)
    }

    /// The header of a data container for a payload of `total` bytes.
    pub fn data(code: u16, transaction_id: u32, total: u64) -> Header {
        let payload_len = u32::try_from(total)
            .ok()
            .filter(|len| *len <= UNKNOWN_LENGTH - HEADER_LEN as u32);
        Header {
            kind: ContainerType::Data,
            code,
            transaction_id,
            payload_len,
        }
    }

    /// The whole container length, when known.
    pub fn container_len(&self) -> Option<usize> {
        self.payload_len.map(|len| len as usize + HEADER_LEN)
    }
}

/// A whole container, borrowing its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container<'a> {
    /// An operation request.
    Command(Message<'a>),
    /// A data phase carried whole in one container.
    Data {
        /// The operation code of the transaction.
        code: u16,
        /// The transaction id.
        transaction_id: u32,
        /// The payload.
        payload: &'a [u8],
    },
    /// A response.
    Response(Message<'a>),
    /// An event.
    Event(Message<'a>),
}

impl<'a> Container<'a> {
    /// Parses one whole container from the start of `bytes`, returning it and
    /// the bytes it took. A data container of unknown length cannot be parsed
    /// whole: stream it with [`Header::parse`].
    pub fn parse(bytes: &'a [u8]) -> Result<Status<(Container<'a>, usize)>, DecodeError> {
        match Header::parse(bytes)? {
            Status::Complete(header) => Container::with_header(header, bytes),
            Status::Incomplete { needed } => Ok(Status::Incomplete { needed }),
        }
    }

    /// [`Container::parse`] for a header already parsed from the start of
    /// `bytes` (the framer reads the header first to stream data).
    pub fn with_header(
        header: Header,
        bytes: &'a [u8],
    ) -> Result<Status<(Container<'a>, usize)>, DecodeError> {
        let Some(len) = header.container_len() else {
            return Err(DecodeError {
                field: "Container.Length",
                offset: 0,
                kind: DecodeErrorKind::BadLength(UNKNOWN_LENGTH),
            });
        };
        let Some(payload) = bytes.get(HEADER_LEN..len) else {
            return Ok(Status::Incomplete { needed: len });
        };
        let message = Message {
            code: header.code,
            transaction_id: header.transaction_id,
            params: Array::from_wire(payload),
        };
        let container = match header.kind {
            ContainerType::Command => Container::Command(message),
            ContainerType::Response => Container::Response(message),
            ContainerType::Event => Container::Event(message),
            ContainerType::Data => Container::Data {
                code: header.code,
                transaction_id: header.transaction_id,
                payload,
            },
        };
        Ok(Status::Complete((container, len)))
    }

    /// Bytes this container takes on the wire.
    pub fn buffer_len(&self) -> usize {
        match self {
            Container::Command(m) | Container::Response(m) | Container::Event(m) => {
                HEADER_LEN + 4 * m.params.len()
            }
            Container::Data { payload, .. } => HEADER_LEN + payload.len(),
        }
    }

    /// Writes the container, returning its length.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        let (kind, message) = match self {
            Container::Command(m) => (ContainerType::Command, m),
            Container::Response(m) => (ContainerType::Response, m),
            Container::Event(m) => (ContainerType::Event, m),
            Container::Data {
                code,
                transaction_id,
                payload,
            } => {
                let len = HEADER_LEN + payload.len();
                if buffer.len() < len {
                    return Err(EncodeError::BufferTooSmall {
                        needed: len,
                        available: buffer.len(),
                    });
                }
                let header = Header::data(*code, *transaction_id, payload.len() as u64);
                let mut writer = Writer::new(buffer);
                let mut head = [0u8; HEADER_LEN];
                header.emit(&mut head)?;
                writer.bytes(&head)?;
                writer.bytes(payload)?;
                return Ok(writer.position());
            }
        };
        emit_message(kind, message, buffer)
    }
}

/// Writes a command, response or event container for `message` (what
/// [`Container::emit`] does for those kinds, without its data branch, for
/// engines that only send messages). `kind` must not be
/// [`ContainerType::Data`]. Returns the length.
pub fn emit_message(
    kind: ContainerType,
    message: &Message<'_>,
    buffer: &mut [u8],
) -> Result<usize, EncodeError> {
    let max = match kind {
        ContainerType::Event => MAX_EVENT_PARAMS,
        _ => MAX_PARAMS,
    };
    message.check_params(max)?;
    let len = HEADER_LEN + 4 * message.params.len();
    if buffer.len() < len {
        return Err(EncodeError::BufferTooSmall {
            needed: len,
            available: buffer.len(),
        });
    }
    let header = Header {
        kind,
        code: message.code,
        transaction_id: message.transaction_id,
        payload_len: Some(4 * message.params.len() as u32),
    };
    let mut writer = Writer::new(buffer);
    let mut head = [0u8; HEADER_LEN];
    header.emit(&mut head)?;
    writer.bytes(&head)?;
    message.write_params(&mut writer)?;
    Ok(writer.position())
}

#[cfg(test)]
mod test {
    use super::*;

    // OpenSession(session 1), transaction 0: length 16, type 1, code 0x1002.
    static OPEN_SESSION: [u8; 16] = [
        0x10, 0, 0, 0, 0x01, 0, 0x02, 0x10, 0, 0, 0, 0, 0x01, 0, 0, 0,
    ];
    // Response OK, transaction 7, no parameters.
    static RESPONSE_OK: [u8; 12] = [0x0C, 0, 0, 0, 0x03, 0, 0x01, 0x20, 7, 0, 0, 0];

    #[test]
    fn deconstruct() {
        let Status::Complete(header) = Header::parse(&OPEN_SESSION).unwrap() else {
            panic!()
        };
        assert_eq!(header.kind, ContainerType::Command);
        assert_eq!(header.code, 0x1002);
        assert_eq!(header.transaction_id, 0);
        assert_eq!(header.payload_len, Some(4));
    }

    #[test]
    fn parse() {
        let Status::Complete((container, used)) = Container::parse(&OPEN_SESSION).unwrap() else {
            panic!()
        };
        assert_eq!(used, 16);
        assert_eq!(container, Container::Command(Message::new(0x1002, 0, &[1])));
        let Status::Complete((response, _)) = Container::parse(&RESPONSE_OK).unwrap() else {
            panic!()
        };
        assert_eq!(response, Container::Response(Message::new(0x2001, 7, &[])));
    }

    #[test]
    fn emit() {
        let mut buffer = [0u8; 32];
        let len = Container::Command(Message::new(0x1002, 0, &[1]))
            .emit(&mut buffer)
            .unwrap();
        assert_eq!(&buffer[..len], &OPEN_SESSION);
        let too_small = Container::Command(Message::new(0x1002, 0, &[1])).emit(&mut buffer[..15]);
        assert_eq!(
            too_small,
            Err(EncodeError::BufferTooSmall {
                needed: 16,
                available: 15
            })
        );
        let six =
            Container::Command(Message::new(0x1002, 0, &[1, 2, 3, 4, 5, 6])).emit(&mut buffer);
        assert_eq!(six, Err(EncodeError::TooManyParams { given: 6, max: 5 }));
    }

    #[test]
    fn short_input_is_incomplete() {
        for len in 0..OPEN_SESSION.len() {
            let status = Container::parse(&OPEN_SESSION[..len]).unwrap();
            let needed = if len < HEADER_LEN { HEADER_LEN } else { 16 };
            assert_eq!(status, Status::Incomplete { needed }, "prefix {len}");
        }
    }

    #[test]
    fn lying_lengths_are_errors() {
        let mut bad = OPEN_SESSION;
        bad[0] = 11; // shorter than a header
        assert!(Container::parse(&bad).is_err());
        bad[0] = 14; // half a parameter
        assert!(Container::parse(&bad).is_err());
        bad[0] = 36; // six parameters
        assert!(Container::parse(&bad).is_err());
        let mut event = RESPONSE_OK;
        event[4] = 4;
        event[0] = 28; // an event with four parameters
        assert!(Container::parse(&event).is_err());
        let mut kind = RESPONSE_OK;
        kind[4] = 9;
        let err = Container::parse(&kind).unwrap_err();
        assert_eq!(
            (err.field, err.kind),
            ("Container.Type", DecodeErrorKind::BadValue(9))
        );
    }

    #[test]
    fn data_over_4_gib_has_unknown_length() {
        let header = Header::data(0x1009, 3, 5 << 30);
        assert_eq!(header.payload_len, None);
        let mut buffer = [0u8; HEADER_LEN];
        header.emit(&mut buffer).unwrap();
        assert_eq!(&buffer[..4], &[0xFF; 4]);
        let Status::Complete(parsed) = Header::parse(&buffer).unwrap() else {
            panic!()
        };
        assert_eq!(parsed, header);
        assert!(Container::parse(&buffer).is_err());
    }

    #[test]
    fn data_round_trip_at_odd_offset() {
        let mut buffer = [0u8; 40];
        let data = Container::Data {
            code: 0x1001,
            transaction_id: 9,
            payload: b"payload",
        };
        let len = data.emit(&mut buffer[1..]).unwrap();
        let Status::Complete((parsed, used)) = Container::parse(&buffer[1..1 + len]).unwrap()
        else {
            panic!()
        };
        assert_eq!((parsed, used), (data, 19));
    }
}
