//! PTP/IP packets (CIPA DC-X005): an 8-byte header (`u32 length`, `u32
//! type`) and a payload. Operation requests, responses and events carry the
//! same [`Message`] as USB containers; data packets carry payload slices.
//!
//! Data packets can be larger than any buffer: [`PacketHeader::parse`] frames
//! a packet from its first bytes so the payload can be streamed, and
//! [`Packet::parse`] parses whole packets.

use crate::Status;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::message::{MAX_EVENT_PARAMS, MAX_PARAMS, Message};
use crate::wire::{Array, PtpString, Reader, Writer};

/// Size of the packet header.
pub const HEADER_LEN: usize = 8;
/// Header plus the transaction id that starts Data and End Data packets.
pub const DATA_HEADER_LEN: usize = 12;
/// The TCP port of PTP/IP.
pub const PORT: u16 = 15740;
/// The protocol version sent in the init packets (1.0).
pub const VERSION: u32 = 0x0001_0000;
/// The longest friendly name accepted, in UTF-16 units (terminator excluded).
pub const MAX_NAME_UNITS: usize = 254;

/// The packet type field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
pub enum PacketType {
    InitCommandRequest = 1,
    InitCommandAck = 2,
    InitEventRequest = 3,
    InitEventAck = 4,
    InitFail = 5,
    OperationRequest = 6,
    OperationResponse = 7,
    Event = 8,
    StartData = 9,
    Data = 10,
    Cancel = 11,
    EndData = 12,
    ProbeRequest = 13,
    ProbeResponse = 14,
}

impl PacketType {
    /// The type for a wire value.
    pub const fn from_code(code: u32) -> Option<Self> {
        use PacketType::*;
        Some(match code {
            1 => InitCommandRequest,
            2 => InitCommandAck,
            3 => InitEventRequest,
            4 => InitEventAck,
            5 => InitFail,
            6 => OperationRequest,
            7 => OperationResponse,
            8 => Event,
            9 => StartData,
            10 => Data,
            11 => Cancel,
            12 => EndData,
            13 => ProbeRequest,
            14 => ProbeResponse,
            _ => return None,
        })
    }
}

/// Why a responder refused an initiator (Init Fail reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FailReason {
    /// 1: the initiator is not allowed.
    RejectedInitiator,
    /// 2: the responder is busy with another initiator.
    Busy,
    /// 3: unspecified.
    Unspecified,
    /// Any other value.
    Unknown(u32),
}

impl FailReason {
    /// The reason for a wire value.
    pub const fn from_code(code: u32) -> Self {
        match code {
            1 => FailReason::RejectedInitiator,
            2 => FailReason::Busy,
            3 => FailReason::Unspecified,
            other => FailReason::Unknown(other),
        }
    }

    /// The wire value.
    pub const fn code(self) -> u32 {
        match self {
            FailReason::RejectedInitiator => 1,
            FailReason::Busy => 2,
            FailReason::Unspecified => 3,
            FailReason::Unknown(code) => code,
        }
    }
}

impl core::fmt::Display for FailReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FailReason::RejectedInitiator => f.write_str("initiator rejected"),
            FailReason::Busy => f.write_str("responder busy with another initiator"),
            FailReason::Unspecified => f.write_str("unspecified failure"),
            FailReason::Unknown(code) => write!(f, "unknown reason {code}"),
        }
    }
}

/// The data-phase field of an Operation Request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DataPhase {
    /// 1: no data phase, or data from the responder.
    NoneOrIn,
    /// 2: data from the initiator.
    Out,
}

impl DataPhase {
    const fn code(self) -> u32 {
        match self {
            DataPhase::NoneOrIn => 1,
            DataPhase::Out => 2,
        }
    }
}

/// A friendly name on the wire: UTF-16LE units ending with a NUL, no count.
fn read_name<'a>(
    reader: &mut Reader<'a>,
    field: &'static str,
    after: usize,
) -> Result<PtpString<'a>, DecodeError> {
    let rest = reader.rest();
    let usable = rest.len().saturating_sub(after);
    let terminator = rest
        .get(..usable)
        .unwrap_or(&[])
        .chunks_exact(2)
        .position(|pair| pair == [0, 0])
        .ok_or(reader.error(field, DecodeErrorKind::BadLength(usable as u32)))?;
    if terminator > MAX_NAME_UNITS {
        return Err(reader.error(field, DecodeErrorKind::BadLength(terminator as u32)));
    }
    let bytes = reader.bytes(field, terminator * 2 + 2)?;
    Ok(PtpString::from_wire(bytes))
}

fn name_len(name: &PtpString<'_>) -> usize {
    2 * (name.unit_count() + 1)
}

fn write_name(writer: &mut Writer<'_>, name: &PtpString<'_>) -> Result<(), EncodeError> {
    let units = name.unit_count();
    if units > MAX_NAME_UNITS {
        return Err(EncodeError::StringTooLong { units });
    }
    name.units().try_for_each(|unit| writer.u16(unit))?;
    writer.u16(0)
}

/// A validated packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PacketHeader {
    /// The packet type.
    pub kind: PacketType,
    /// The whole packet length, header included.
    pub length: u32,
}

impl PacketHeader {
    /// Parses the 8-byte header; the length must at least cover the fixed
    /// part of the packet type.
    pub fn parse(bytes: &[u8]) -> Result<Status<PacketHeader>, DecodeError> {
        let mut reader = Reader::new(bytes);
        let (Ok(length), Ok(kind)) = (reader.u32("PtpIp.Length"), reader.u32("PtpIp.Type")) else {
            return Ok(Status::Incomplete { needed: HEADER_LEN });
        };
        let kind = PacketType::from_code(kind).ok_or(DecodeError {
            field: "PtpIp.Type",
            offset: 4,
            kind: DecodeErrorKind::BadValue(kind),
        })?;
        let minimum = HEADER_LEN
            + match kind {
                PacketType::InitCommandRequest => 16 + 2 + 4,
                PacketType::InitCommandAck => 4 + 16 + 2 + 4,
                PacketType::InitEventRequest | PacketType::InitFail | PacketType::Cancel => 4,
                PacketType::OperationRequest => 4 + 2 + 4,
                PacketType::OperationResponse | PacketType::Event => 2 + 4,
                PacketType::StartData => 4 + 8,
                PacketType::Data | PacketType::EndData => 4,
                PacketType::InitEventAck | PacketType::ProbeRequest | PacketType::ProbeResponse => {
                    0
                }
            };
        if (length as usize) < minimum {
            return Err(DecodeError {
                field: "PtpIp.Length",
                offset: 0,
                kind: DecodeErrorKind::BadLength(length),
            });
        }
        Ok(Status::Complete(PacketHeader { kind, length }))
    }
}

/// One PTP/IP packet, borrowing names, parameters and payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packet<'a> {
    /// 1: opens the command connection.
    InitCommandRequest {
        /// The initiator's GUID.
        guid: [u8; 16],
        /// The initiator's friendly name.
        name: PtpString<'a>,
        /// Protocol version (`VERSION`).
        version: u32,
    },
    /// 2: accepts the command connection.
    InitCommandAck {
        /// Number to quote on the event connection.
        connection_number: u32,
        /// The responder's GUID.
        guid: [u8; 16],
        /// The responder's friendly name.
        name: PtpString<'a>,
        /// Protocol version.
        version: u32,
    },
    /// 3: opens the event connection.
    InitEventRequest {
        /// The number from Init Command Ack.
        connection_number: u32,
    },
    /// 4: accepts the event connection.
    InitEventAck,
    /// 5: refuses a connection.
    InitFail {
        /// Why.
        reason: FailReason,
    },
    /// 6: an operation request.
    OperationRequest {
        /// Whether data will flow from the initiator.
        data_phase: DataPhase,
        /// Code, transaction id, parameters.
        message: Message<'a>,
    },
    /// 7: a response.
    OperationResponse(Message<'a>),
    /// 8: an event.
    Event(Message<'a>),
    /// 9: announces a data phase.
    StartData {
        /// The transaction id.
        transaction_id: u32,
        /// Total payload length (64-bit).
        total_length: u64,
    },
    /// 10: a chunk of a data phase.
    Data {
        /// The transaction id.
        transaction_id: u32,
        /// The chunk.
        payload: &'a [u8],
    },
    /// 11: cancels a transaction.
    Cancel {
        /// The transaction id.
        transaction_id: u32,
    },
    /// 12: the last chunk of a data phase.
    EndData {
        /// The transaction id.
        transaction_id: u32,
        /// The chunk.
        payload: &'a [u8],
    },
    /// 13: are you there?
    ProbeRequest,
    /// 14: yes.
    ProbeResponse,
}

impl<'a> Packet<'a> {
    /// Parses one whole packet from the start of `bytes`, returning it and
    /// the bytes it took.
    pub fn parse(bytes: &'a [u8]) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        let header = match PacketHeader::parse(bytes)? {
            Status::Complete(header) => header,
            Status::Incomplete { needed } => return Ok(Status::Incomplete { needed }),
        };
        let length = header.length as usize;
        let Some(body) = bytes.get(HEADER_LEN..length) else {
            return Ok(Status::Incomplete { needed: length });
        };
        Ok(Status::Complete((
            Self::parse_body(header.kind, body)?,
            length,
        )))
    }

    fn parse_body(kind: PacketType, body: &'a [u8]) -> Result<Packet<'a>, DecodeError> {
        let mut r = Reader::new(body);
        let packet = match kind {
            PacketType::InitCommandRequest => {
                let guid = r.array_bytes("PtpIp.Guid")?;
                let name = read_name(&mut r, "PtpIp.FriendlyName", 4)?;
                Packet::InitCommandRequest {
                    guid,
                    name,
                    version: r.u32("PtpIp.Version")?,
                }
            }
            PacketType::InitCommandAck => {
                let connection_number = r.u32("PtpIp.ConnectionNumber")?;
                let guid = r.array_bytes("PtpIp.Guid")?;
                let name = read_name(&mut r, "PtpIp.FriendlyName", 4)?;
                Packet::InitCommandAck {
                    connection_number,
                    guid,
                    name,
                    version: r.u32("PtpIp.Version")?,
                }
            }
            PacketType::InitEventRequest => Packet::InitEventRequest {
                connection_number: r.u32("PtpIp.ConnectionNumber")?,
            },
            PacketType::InitEventAck => Packet::InitEventAck,
            PacketType::InitFail => Packet::InitFail {
                reason: FailReason::from_code(r.u32("PtpIp.Reason")?),
            },
            PacketType::OperationRequest => {
                let phase = r.u32("PtpIp.DataPhase")?;
                let data_phase = match phase {
                    2 => DataPhase::Out,
                    // 1 per the spec; 0 and 3 (cancel) are seen in the field.
                    0 | 1 | 3 => DataPhase::NoneOrIn,
                    other => {
                        return Err(r.error("PtpIp.DataPhase", DecodeErrorKind::BadValue(other)));
                    }
                };
                let message = Self::message(&mut r, MAX_PARAMS)?;
                Packet::OperationRequest {
                    data_phase,
                    message,
                }
            }
            PacketType::OperationResponse => {
                Packet::OperationResponse(Self::message(&mut r, MAX_PARAMS)?)
            }
            PacketType::Event => Packet::Event(Self::message(&mut r, MAX_EVENT_PARAMS)?),
            PacketType::StartData => Packet::StartData {
                transaction_id: r.u32("PtpIp.TransactionId")?,
                total_length: r.u64("PtpIp.TotalDataLength")?,
            },
            PacketType::Data => Packet::Data {
                transaction_id: r.u32("PtpIp.TransactionId")?,
                payload: r.rest(),
            },
            PacketType::EndData => Packet::EndData {
                transaction_id: r.u32("PtpIp.TransactionId")?,
                payload: r.rest(),
            },
            PacketType::Cancel => Packet::Cancel {
                transaction_id: r.u32("PtpIp.TransactionId")?,
            },
            PacketType::ProbeRequest => Packet::ProbeRequest,
            PacketType::ProbeResponse => Packet::ProbeResponse,
        };
        Ok(packet)
    }

    fn message(r: &mut Reader<'a>, max: usize) -> Result<Message<'a>, DecodeError> {
        let code = r.u16("PtpIp.Code")?;
        let transaction_id = r.u32("PtpIp.TransactionId")?;
        let params = r.rest();
        if !params.len().is_multiple_of(4) || params.len() > 4 * max {
            return Err(r.error(
                "PtpIp.Parameters",
                DecodeErrorKind::BadLength(params.len() as u32),
            ));
        }
        Ok(Message {
            code,
            transaction_id,
            params: Array::from_wire(params),
        })
    }

    /// The packet type.
    pub const fn kind(&self) -> PacketType {
        match self {
            Packet::InitCommandRequest { .. } => PacketType::InitCommandRequest,
            Packet::InitCommandAck { .. } => PacketType::InitCommandAck,
            Packet::InitEventRequest { .. } => PacketType::InitEventRequest,
            Packet::InitEventAck => PacketType::InitEventAck,
            Packet::InitFail { .. } => PacketType::InitFail,
            Packet::OperationRequest { .. } => PacketType::OperationRequest,
            Packet::OperationResponse(_) => PacketType::OperationResponse,
            Packet::Event(_) => PacketType::Event,
            Packet::StartData { .. } => PacketType::StartData,
            Packet::Data { .. } => PacketType::Data,
            Packet::Cancel { .. } => PacketType::Cancel,
            Packet::EndData { .. } => PacketType::EndData,
            Packet::ProbeRequest => PacketType::ProbeRequest,
            Packet::ProbeResponse => PacketType::ProbeResponse,
        }
    }

    /// Bytes this packet takes on the wire.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN
            + match self {
                Packet::InitCommandRequest { name, .. } => 16 + name_len(name) + 4,
                Packet::InitCommandAck { name, .. } => 4 + 16 + name_len(name) + 4,
                Packet::InitEventRequest { .. }
                | Packet::InitFail { .. }
                | Packet::Cancel { .. } => 4,
                Packet::InitEventAck | Packet::ProbeRequest | Packet::ProbeResponse => 0,
                Packet::OperationRequest { message, .. } => 4 + 6 + 4 * message.params.len(),
                Packet::OperationResponse(message) | Packet::Event(message) => {
                    6 + 4 * message.params.len()
                }
                Packet::StartData { .. } => 12,
                Packet::Data { payload, .. } | Packet::EndData { payload, .. } => 4 + payload.len(),
            }
    }

    /// Writes the packet, returning its length.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        match self {
            Packet::OperationRequest { message, .. } | Packet::OperationResponse(message) => {
                message.check_params(MAX_PARAMS)?
            }
            Packet::Event(message) => message.check_params(MAX_EVENT_PARAMS)?,
            _ => {}
        }
        let len = self.buffer_len();
        if buffer.len() < len {
            return Err(EncodeError::BufferTooSmall {
                needed: len,
                available: buffer.len(),
            });
        }
        let length = u32::try_from(len).map_err(|_| EncodeError::TooManyElements)?;
        let mut w = Writer::new(buffer);
        w.u32(length)?;
        w.u32(self.kind() as u32)?;
        match self {
            Packet::InitCommandRequest {
                guid,
                name,
                version,
            } => {
                w.bytes(guid)?;
                write_name(&mut w, name)?;
                w.u32(*version)?;
            }
            Packet::InitCommandAck {
                connection_number,
                guid,
                name,
                version,
            } => {
                w.u32(*connection_number)?;
                w.bytes(guid)?;
                write_name(&mut w, name)?;
                w.u32(*version)?;
            }
            Packet::InitEventRequest { connection_number } => w.u32(*connection_number)?,
            Packet::InitFail { reason } => w.u32(reason.code())?,
            Packet::OperationRequest {
                data_phase,
                message,
            } => {
                w.u32(data_phase.code())?;
                Self::write_message(&mut w, message)?;
            }
            Packet::OperationResponse(message) | Packet::Event(message) => {
                Self::write_message(&mut w, message)?;
            }
            Packet::StartData {
                transaction_id,
                total_length,
            } => {
                w.u32(*transaction_id)?;
                w.u64(*total_length)?;
            }
            Packet::Data {
                transaction_id,
                payload,
            }
            | Packet::EndData {
                transaction_id,
                payload,
            } => {
                w.u32(*transaction_id)?;
                w.bytes(payload)?;
            }
            Packet::Cancel { transaction_id } => w.u32(*transaction_id)?,
            Packet::InitEventAck | Packet::ProbeRequest | Packet::ProbeResponse => {}
        }
        Ok(w.position())
    }

    fn write_message(w: &mut Writer<'_>, message: &Message<'_>) -> Result<(), EncodeError> {
        w.u16(message.code)?;
        w.u32(message.transaction_id)?;
        message.write_params(w)
    }
}

/// Writes only the 12-byte header of a Data or End Data packet whose payload
/// of `payload_len` bytes the caller sends straight after it (no copy).
pub fn emit_data_header(
    buffer: &mut [u8],
    last: bool,
    transaction_id: u32,
    payload_len: usize,
) -> Result<usize, EncodeError> {
    let length = payload_len
        .checked_add(DATA_HEADER_LEN)
        .and_then(|len| u32::try_from(len).ok())
        .ok_or(EncodeError::TooManyElements)?;
    let kind = if last {
        PacketType::EndData
    } else {
        PacketType::Data
    };
    let mut w = Writer::new(buffer);
    w.u32(length)?;
    w.u32(kind as u32)?;
    w.u32(transaction_id)?;
    Ok(w.position())
}

#[cfg(test)]
mod test {
    use super::*;

    // Init Command Request: GUID 00..0F, name "ab", version 1.0.
    static INIT_COMMAND_REQUEST: [u8; 34] = [
        34, 0, 0, 0, 1, 0, 0, 0, // header
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, // GUID
        b'a', 0, b'b', 0, 0, 0, // name
        0, 0, 1, 0, // version
    ];

    // Operation Request: data phase 1, GetObject (0x1009), tid 5, handle 0x42.
    static GET_OBJECT: [u8; 22] = [
        22, 0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0x09, 0x10, 5, 0, 0, 0, 0x42, 0, 0, 0,
    ];

    fn parse_whole(bytes: &[u8]) -> Packet<'_> {
        match Packet::parse(bytes).unwrap() {
            Status::Complete((packet, used)) => {
                assert_eq!(used, bytes.len());
                packet
            }
            Status::Incomplete { needed } => panic!("incomplete, needs {needed}"),
        }
    }

    #[test]
    fn parse() {
        let Packet::InitCommandRequest {
            guid,
            name,
            version,
        } = parse_whole(&INIT_COMMAND_REQUEST)
        else {
            panic!()
        };
        assert_eq!(guid[15], 15);
        assert!(name.eq_str("ab"));
        assert_eq!(version, VERSION);
        let packet = parse_whole(&GET_OBJECT);
        assert_eq!(
            packet,
            Packet::OperationRequest {
                data_phase: DataPhase::NoneOrIn,
                message: Message::new(0x1009, 5, &[0x42])
            }
        );
    }

    #[test]
    fn emit() {
        let guid: [u8; 16] = core::array::from_fn(|i| i as u8);
        let packet = Packet::InitCommandRequest {
            guid,
            name: PtpString::Str("ab"),
            version: VERSION,
        };
        let mut buffer = [0u8; 64];
        let len = packet.emit(&mut buffer).unwrap();
        assert_eq!(&buffer[..len], &INIT_COMMAND_REQUEST);
        let request = Packet::OperationRequest {
            data_phase: DataPhase::NoneOrIn,
            message: Message::new(0x1009, 5, &[0x42]),
        };
        let len = request.emit(&mut buffer).unwrap();
        assert_eq!(&buffer[..len], &GET_OBJECT);
    }

    #[test]
    fn every_type_round_trips() {
        let packets = [
            Packet::InitCommandAck {
                connection_number: 1,
                guid: [7; 16],
                name: "cam".into(),
                version: VERSION,
            },
            Packet::InitEventRequest {
                connection_number: 1,
            },
            Packet::InitEventAck,
            Packet::InitFail {
                reason: FailReason::Busy,
            },
            Packet::OperationResponse(Message::new(0x2001, 5, &[1, 2, 3, 4, 5])),
            Packet::Event(Message::new(0x4002, 0xFFFF_FFFF, &[9])),
            Packet::StartData {
                transaction_id: 5,
                total_length: 5 << 32,
            },
            Packet::Data {
                transaction_id: 5,
                payload: b"abc",
            },
            Packet::Cancel { transaction_id: 5 },
            Packet::EndData {
                transaction_id: 5,
                payload: b"",
            },
            Packet::ProbeRequest,
            Packet::ProbeResponse,
        ];
        for packet in packets {
            let mut buffer = [0u8; 64];
            let len = packet.emit(&mut buffer).unwrap();
            assert_eq!(len, packet.buffer_len());
            assert_eq!(parse_whole(&buffer[..len]), packet);
        }
    }

    #[test]
    fn short_input_is_incomplete_and_garbage_is_an_error() {
        for len in 0..GET_OBJECT.len() {
            assert!(
                matches!(
                    Packet::parse(&GET_OBJECT[..len]),
                    Ok(Status::Incomplete { .. })
                ),
                "{len}"
            );
        }
        let mut bad = GET_OBJECT;
        bad[4] = 99;
        assert_eq!(
            Packet::parse(&bad).unwrap_err().kind,
            DecodeErrorKind::BadValue(99)
        );
        let mut short = GET_OBJECT;
        short[0] = 9;
        assert_eq!(
            Packet::parse(&short).unwrap_err().kind,
            DecodeErrorKind::BadLength(9)
        );
        let mut odd = GET_OBJECT;
        odd[0] = 21;
        assert!(Packet::parse(&odd[..21]).is_err());
        // A name without terminator.
        let mut unterminated = INIT_COMMAND_REQUEST;
        unterminated[28] = b'c';
        assert_eq!(
            Packet::parse(&unterminated).unwrap_err().field,
            "PtpIp.FriendlyName"
        );
    }

    #[test]
    fn data_header_prefixes_a_payload() {
        let mut buffer = [0u8; 12];
        emit_data_header(&mut buffer, true, 5, 3).unwrap();
        let mut whole = [0u8; 15];
        whole[..12].copy_from_slice(&buffer);
        whole[12..].copy_from_slice(b"xyz");
        assert_eq!(
            parse_whole(&whole),
            Packet::EndData {
                transaction_id: 5,
                payload: b"xyz"
            }
        );
    }
}
