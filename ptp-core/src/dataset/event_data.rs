//! The data of the USB Still Image class requests (PIMA 15740 USB SIC 1.0):
//! the control-transfer payloads that travel beside the bulk pipes.
//!
//! | request | data |
//! |---|---|
//! | 0x64 Cancel | [`CancelRequest`]: `u16` 0x4001, `u32` transaction id |
//! | 0x65 Get Extended Event Data | [`ExtendedEventData`]: `u16` event code, `u32` transaction id, `u16` NumberOfParameters, then per parameter `u16` size and that many bytes |
//! | 0x67 Get Device Status | [`DeviceStatus`]: `u16` wLength, `u16` code, then `(wLength - 4) / 4` `u32` parameters |
//!
//! Device Reset (0x66) has no data.

use super::check_buffer;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::wire::{Array, Reader, Writer};
use core::fmt;

/// The code that opens Cancel request data: the CancelTransaction event.
pub const CANCELLATION_CODE: u16 = 0x4001;

/// The data of a Cancel class request (0x64): the transaction to cancel.
///
/// Bytes after the transaction id are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CancelRequest {
    /// The transaction to cancel.
    pub transaction_id: u32,
}

impl CancelRequest {
    /// Bytes of Cancel request data.
    pub const LEN: usize = 6;

    /// Parses Cancel request data. A CancellationCode other than
    /// [`CANCELLATION_CODE`] is [`DecodeErrorKind::BadValue`].
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let code = r.u16("CancelRequest.CancellationCode")?;
        if code != CANCELLATION_CODE {
            return Err(DecodeError {
                field: "CancelRequest.CancellationCode",
                offset: 0,
                kind: DecodeErrorKind::BadValue(u32::from(code)),
            });
        }
        Ok(CancelRequest {
            transaction_id: r.u32("CancelRequest.TransactionID")?,
        })
    }

    /// Bytes `emit` writes: always [`Self::LEN`].
    pub const fn buffer_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the request data into `buffer`, returning the length written.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(CANCELLATION_CODE)?;
        w.u32(self.transaction_id)?;
        Ok(w.position())
    }
}

impl fmt::Display for CancelRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cancel transaction {}", self.transaction_id)
    }
}

/// The data of a Get Extended Event Data class request (0x65): an event
/// whose parameters do not fit an interrupt event container, or are not
/// `u32`s.
///
/// Bytes after the last parameter are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ExtendedEventData<'a> {
    /// The event code.
    pub event_code: u16,
    /// The transaction the event belongs to.
    pub transaction_id: u32,
    /// The parameters, each as its bytes.
    pub params: EventParams<'a>,
}

impl<'a> ExtendedEventData<'a> {
    /// Parses Get Extended Event Data, borrowing `bytes`. Every parameter's
    /// size is checked here, so iterating the result cannot fail.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let event_code = r.u16("ExtendedEventData.EventCode")?;
        let transaction_id = r.u32("ExtendedEventData.TransactionID")?;
        let count = r.u16("ExtendedEventData.NumberOfParameters")?;
        let start = r.position();
        let before = r.rest();
        for _ in 0..count {
            let size = r.u16("ExtendedEventData.ParameterSize")?;
            r.bytes("ExtendedEventData.Parameter", usize::from(size))?;
        }
        let params = super::consumed(before, start, r.position(), "ExtendedEventData.Parameter")?;
        Ok(ExtendedEventData {
            event_code,
            transaction_id,
            params: EventParams::Wire {
                bytes: params,
                count,
            },
        })
    }

    /// Bytes `emit` writes.
    pub fn buffer_len(&self) -> usize {
        2 + 4 + self.params.encoded_len()
    }

    /// Writes the request data into `buffer`, returning the length written.
    /// More than 65535 parameters, or a parameter of more than 65535 bytes,
    /// is [`EncodeError::TooManyElements`].
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(self.event_code)?;
        w.u32(self.transaction_id)?;
        self.params.write(&mut w)?;
        Ok(w.position())
    }

    /// Writes the request data for an event whose parameters are `u32`s
    /// (what an interrupt event container carries), without building a
    /// parameter list first: the same bytes as [`emit`](Self::emit) with
    /// each parameter 4 bytes long. Returns the length written.
    pub fn emit_u32(
        event_code: u16,
        transaction_id: u32,
        params: &[u32],
        buffer: &mut [u8],
    ) -> Result<usize, EncodeError> {
        let count = u16::try_from(params.len()).map_err(|_| EncodeError::TooManyElements)?;
        check_buffer(buffer, 2 + 4 + 2 + 6 * params.len())?;
        let mut w = Writer::new(buffer);
        w.u16(event_code)?;
        w.u32(transaction_id)?;
        w.u16(count)?;
        for param in params {
            w.u16(4)?;
            w.u32(*param)?;
        }
        Ok(w.position())
    }

    /// Parameter `index` as a `u32`, when it is 4 bytes long.
    pub fn param_u32(&self, index: usize) -> Option<u32> {
        let bytes: [u8; 4] = self.params.get(index)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes))
    }
}

impl fmt::Display for ExtendedEventData<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "event 0x{:04X} transaction {}",
            self.event_code, self.transaction_id
        )?;
        for param in self.params.iter() {
            f.write_str(" [")?;
            for (index, byte) in param.iter().enumerate() {
                if index > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{byte:02X}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

/// The parameters of [`ExtendedEventData`]: borrowed wire bytes (parsed) or
/// a slice of byte slices (to emit). Both compare equal when their
/// parameters are equal.
///
/// A parsed `Wire` has been checked: it holds exactly `count` parameters. A
/// `Wire` built by hand from bad bytes iterates until the first parameter
/// that does not fit.
#[derive(Clone, Copy)]
pub enum EventParams<'a> {
    /// Parameters as read from the wire: `count` times a `u16` size and
    /// that many bytes.
    Wire {
        /// The encoded parameters, without the count.
        bytes: &'a [u8],
        /// NumberOfParameters.
        count: u16,
    },
    /// Parameters to be written.
    Slice(&'a [&'a [u8]]),
}

impl<'a> EventParams<'a> {
    /// Number of parameters.
    pub fn len(&self) -> usize {
        match self {
            EventParams::Wire { count, .. } => usize::from(*count),
            EventParams::Slice(params) => params.len(),
        }
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parameters, in order, each as its bytes.
    pub fn iter(&self) -> EventParamsIter<'a> {
        EventParamsIter {
            inner: match *self {
                EventParams::Wire { bytes, count } => Inner::Wire {
                    reader: Reader::new(bytes),
                    remaining: count,
                },
                EventParams::Slice(params) => Inner::Slice(params.iter()),
            },
        }
    }

    /// Parameter `index`.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        self.iter().nth(index)
    }

    /// Bytes these parameters take on the wire, count included.
    pub fn encoded_len(&self) -> usize {
        2 + match self {
            EventParams::Wire { bytes, .. } => bytes.len(),
            EventParams::Slice(params) => params.iter().map(|param| 2 + param.len()).sum(),
        }
    }

    fn write(&self, writer: &mut Writer<'_>) -> Result<(), EncodeError> {
        match *self {
            EventParams::Wire { bytes, count } => {
                writer.u16(count)?;
                writer.bytes(bytes)
            }
            EventParams::Slice(params) => {
                let count =
                    u16::try_from(params.len()).map_err(|_| EncodeError::TooManyElements)?;
                writer.u16(count)?;
                for param in params {
                    let size =
                        u16::try_from(param.len()).map_err(|_| EncodeError::TooManyElements)?;
                    writer.u16(size)?;
                    writer.bytes(param)?;
                }
                Ok(())
            }
        }
    }
}

impl<'a> From<&'a [&'a [u8]]> for EventParams<'a> {
    fn from(params: &'a [&'a [u8]]) -> Self {
        EventParams::Slice(params)
    }
}

impl<'a> IntoIterator for &EventParams<'a> {
    type Item = &'a [u8];
    type IntoIter = EventParamsIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for EventParams<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for EventParams<'_> {}

impl fmt::Debug for EventParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for EventParams<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "[");
        for (index, param) in self.iter().enumerate() {
            if index > 0 {
                defmt::write!(f, ", ");
            }
            defmt::write!(f, "{=[u8]:x}", param);
        }
        defmt::write!(f, "]");
    }
}

/// Iterator over [`EventParams`].
#[derive(Clone, Debug)]
pub struct EventParamsIter<'a> {
    inner: Inner<'a>,
}

#[derive(Clone, Debug)]
enum Inner<'a> {
    Wire { reader: Reader<'a>, remaining: u16 },
    Slice(core::slice::Iter<'a, &'a [u8]>),
}

impl<'a> Iterator for EventParamsIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        match &mut self.inner {
            Inner::Wire { reader, remaining } => {
                *remaining = remaining.checked_sub(1)?;
                let param = reader
                    .u16("ExtendedEventData.ParameterSize")
                    .and_then(|size| reader.bytes("ExtendedEventData.Parameter", size.into()))
                    .ok();
                if param.is_none() {
                    *remaining = 0;
                }
                param
            }
            Inner::Slice(params) => params.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            // A hand-built `Wire` may end early.
            Inner::Wire { remaining, .. } => (0, Some(usize::from(*remaining))),
            Inner::Slice(params) => params.size_hint(),
        }
    }
}

/// The data of a Get Device Status class request (0x67): a response code
/// and, e.g. after a stall, the numbers of the stalled endpoints.
///
/// On the wire a `u16` wLength counts the whole data (itself and the code
/// included), so it is 4 plus 4 per parameter. A wLength below 4, not 4
/// more than a multiple of 4, or longer than the data given is
/// [`DecodeErrorKind::BadLength`] on `DeviceStatus.wLength`. Bytes after
/// wLength are accepted and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DeviceStatus<'a> {
    /// The status, a response code ([`Self::OK`], [`Self::DEVICE_BUSY`],
    /// [`Self::TRANSACTION_CANCELLED`], ...).
    pub code: u16,
    /// The parameters (stalled endpoint numbers, for example).
    pub params: Array<'a, u32>,
}

impl<'a> DeviceStatus<'a> {
    /// Response code OK: the device is ready.
    pub const OK: u16 = 0x2001;
    /// Response code Device_Busy: still cancelling or resetting.
    pub const DEVICE_BUSY: u16 = 0x2019;
    /// Response code Transaction_Cancelled.
    pub const TRANSACTION_CANCELLED: u16 = 0x201F;

    /// Parses Get Device Status data, borrowing `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let length = r.u16("DeviceStatus.wLength")?;
        let total = usize::from(length);
        let params_len = total.checked_sub(4).filter(|len| len % 4 == 0);
        let params_len = match params_len {
            Some(len) if total <= bytes.len() => len,
            _ => {
                return Err(DecodeError {
                    field: "DeviceStatus.wLength",
                    offset: 0,
                    kind: DecodeErrorKind::BadLength(u32::from(length)),
                });
            }
        };
        Ok(DeviceStatus {
            code: r.u16("DeviceStatus.Code")?,
            params: Array::from_wire(r.bytes("DeviceStatus.Parameter", params_len)?),
        })
    }

    /// Bytes `emit` writes (the wLength written).
    pub fn buffer_len(&self) -> usize {
        2 + 2 + 4 * self.params.len()
    }

    /// Writes the request data into `buffer`, returning the length written.
    /// More parameters than a `u16` wLength can count (16382) is
    /// [`EncodeError::TooManyElements`].
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, EncodeError> {
        let length = u16::try_from(self.buffer_len()).map_err(|_| EncodeError::TooManyElements)?;
        check_buffer(buffer, self.buffer_len())?;
        let mut w = Writer::new(buffer);
        w.u16(length)?;
        w.u16(self.code)?;
        for param in self.params.iter() {
            w.u32(param)?;
        }
        Ok(w.position())
    }
}

impl fmt::Display for DeviceStatus<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status 0x{:04X}", self.code)?;
        for param in self.params.iter() {
            write!(f, " 0x{param:X}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    static CANCEL: [u8; 6] = [0x01, 0x40, 0x2A, 0x00, 0x00, 0x00];

    /// ObjectAdded (0x4002) in transaction 7 with a 4-byte handle and a
    /// 3-byte vendor parameter.
    static EXTENDED: [u8; 20] = [
        0x02, 0x40, // EventCode
        0x07, 0x00, 0x00, 0x00, // TransactionID
        0x02, 0x00, // NumberOfParameters
        0x04, 0x00, 0x10, 0x00, 0x00, 0x00, // 4 bytes: handle 0x10
        0x03, 0x00, 0xAA, 0xBB, 0xCC, // 3 bytes
        0x00, // not a parameter: padding after the data
    ];

    /// Transaction_Cancelled, with endpoints 0x81 and 0x02 stalled.
    static STATUS: [u8; 12] = [
        0x0C, 0x00, // wLength 12
        0x1F, 0x20, // Transaction_Cancelled
        0x81, 0x00, 0x00, 0x00, //
        0x02, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn cancel_parse_and_emit() {
        let cancel = CancelRequest::parse(&CANCEL).unwrap();
        assert_eq!(cancel, CancelRequest { transaction_id: 42 });
        let mut buffer = [0u8; 6];
        assert_eq!(cancel.emit(&mut buffer), Ok(6));
        assert_eq!(buffer, CANCEL);
        assert_eq!(cancel.to_string(), "cancel transaction 42");
        for len in 0..CANCEL.len() {
            assert!(CancelRequest::parse(&CANCEL[..len]).is_err(), "{len}");
        }
        assert_eq!(
            cancel.emit(&mut buffer[..5]),
            Err(EncodeError::BufferTooSmall {
                needed: 6,
                available: 5
            })
        );
    }

    #[test]
    fn cancel_with_wrong_code() {
        let err = CancelRequest::parse(&[0x02, 0x40, 1, 0, 0, 0]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "CancelRequest.CancellationCode",
                0,
                DecodeErrorKind::BadValue(0x4002)
            )
        );
    }

    #[test]
    fn extended_deconstruct() {
        let data = ExtendedEventData::parse(&EXTENDED).unwrap();
        assert_eq!(data.event_code, 0x4002);
        assert_eq!(data.transaction_id, 7);
        assert_eq!(data.params.len(), 2);
        assert_eq!(data.params.get(0), Some(&[0x10, 0, 0, 0][..]));
        assert_eq!(data.params.get(1), Some(&[0xAA, 0xBB, 0xCC][..]));
        assert_eq!(data.params.get(2), None);
        assert_eq!(data.param_u32(0), Some(0x10));
        assert_eq!(data.param_u32(1), None);
        assert_eq!(
            data.to_string(),
            "event 0x4002 transaction 7 [10 00 00 00] [AA BB CC]"
        );
    }

    #[test]
    fn extended_parse_and_emit() {
        let params: [&[u8]; 2] = [&[0x10, 0, 0, 0], &[0xAA, 0xBB, 0xCC]];
        let data = ExtendedEventData {
            event_code: 0x4002,
            transaction_id: 7,
            params: EventParams::Slice(&params),
        };
        assert_eq!(ExtendedEventData::parse(&EXTENDED), Ok(data));
        assert_eq!(data.buffer_len(), 19);
        let mut buffer = [0u8; 19];
        assert_eq!(data.emit(&mut buffer), Ok(19));
        assert_eq!(buffer, EXTENDED[..19]);
        let parsed = ExtendedEventData::parse(&EXTENDED).unwrap();
        assert_eq!(parsed.buffer_len(), 19);
        let mut again = [0u8; 19];
        assert_eq!(parsed.emit(&mut again), Ok(19));
        assert_eq!(again, buffer);
    }

    #[test]
    fn extended_u32_params_match_the_general_emit() {
        let values = [0x0001_0203u32, 0xFFFF_FFFE];
        let bytes = values.map(u32::to_le_bytes);
        let slices: [&[u8]; 2] = [&bytes[0], &bytes[1]];
        let general = ExtendedEventData {
            event_code: 0x400D,
            transaction_id: 9,
            params: EventParams::Slice(&slices),
        };
        let mut expected = [0u8; 32];
        let len = general.emit(&mut expected).unwrap();
        let mut out = [0u8; 32];
        assert_eq!(
            ExtendedEventData::emit_u32(0x400D, 9, &values, &mut out),
            Ok(len)
        );
        assert_eq!(out[..len], expected[..len]);
        let parsed = ExtendedEventData::parse(&out[..len]).unwrap();
        assert_eq!(parsed.param_u32(1), Some(0xFFFF_FFFE));
        assert_eq!(
            ExtendedEventData::emit_u32(0x400D, 9, &values, &mut out[..len - 1]),
            Err(EncodeError::BufferTooSmall {
                needed: len,
                available: len - 1
            })
        );
        assert_eq!(ExtendedEventData::emit_u32(0x4002, 1, &[], &mut out), Ok(8));
    }

    #[test]
    fn extended_every_prefix_is_an_error() {
        for len in 0..19 {
            assert!(ExtendedEventData::parse(&EXTENDED[..len]).is_err(), "{len}");
        }
        let err = ExtendedEventData::parse(&EXTENDED[..18]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            (
                "ExtendedEventData.Parameter",
                16,
                DecodeErrorKind::Truncated {
                    needed: 3,
                    available: 2
                }
            )
        );
    }

    #[test]
    fn extended_oversized_param_is_refused() {
        let big = [0u8; 0x1_0000];
        let params: [&[u8]; 1] = [&big];
        let data = ExtendedEventData {
            event_code: 0xC001,
            transaction_id: 0,
            params: EventParams::Slice(&params),
        };
        let mut buffer = [0u8; 0x1_0010];
        assert_eq!(data.emit(&mut buffer), Err(EncodeError::TooManyElements));
    }

    #[test]
    fn status_deconstruct() {
        let status = DeviceStatus::parse(&STATUS).unwrap();
        assert_eq!(status.code, DeviceStatus::TRANSACTION_CANCELLED);
        assert_eq!(status.params.len(), 2);
        assert!(status.params.iter().eq([0x81, 0x02]));
        assert_eq!(status.to_string(), "status 0x201F 0x81 0x2");
    }

    #[test]
    fn status_parse_and_emit() {
        let stalled = [0x81u32, 0x02];
        let status = DeviceStatus {
            code: 0x201F,
            params: Array::Slice(&stalled),
        };
        assert_eq!(DeviceStatus::parse(&STATUS), Ok(status));
        let mut buffer = [0u8; 12];
        assert_eq!(status.emit(&mut buffer), Ok(12));
        assert_eq!(buffer, STATUS);
        let ok = DeviceStatus {
            code: DeviceStatus::OK,
            params: Array::default(),
        };
        assert_eq!(ok.emit(&mut buffer), Ok(4));
        assert_eq!(buffer[..4], [4, 0, 0x01, 0x20]);
        assert_eq!(DeviceStatus::parse(&buffer[..4]), Ok(ok));
    }

    #[test]
    fn status_length_must_match_the_data() {
        for len in 0..STATUS.len() {
            assert!(DeviceStatus::parse(&STATUS[..len]).is_err(), "{len}");
        }
        // wLength longer than the data.
        let err = DeviceStatus::parse(&STATUS[..8]).unwrap_err();
        assert_eq!(
            (err.field, err.offset, err.kind),
            ("DeviceStatus.wLength", 0, DecodeErrorKind::BadLength(12))
        );
        // wLength shorter than the code, or not a whole number of params.
        for bad in [0u16, 2, 3, 6, 10] {
            let mut bytes = STATUS;
            bytes[..2].copy_from_slice(&bad.to_le_bytes());
            let err = DeviceStatus::parse(&bytes).unwrap_err();
            assert_eq!(err.kind, DecodeErrorKind::BadLength(u32::from(bad)));
            assert_eq!(err.field, "DeviceStatus.wLength");
        }
        // Shorter wLength with whole params: the rest is ignored.
        let mut bytes = STATUS;
        bytes[..2].copy_from_slice(&8u16.to_le_bytes());
        let status = DeviceStatus::parse(&bytes).unwrap();
        assert!(status.params.iter().eq([0x81]));
    }

    #[test]
    fn status_too_many_params() {
        let params = [0u32; 16383];
        let status = DeviceStatus {
            code: DeviceStatus::OK,
            params: Array::Slice(&params),
        };
        let mut buffer = [0u8; 4 + 4 * 16383];
        assert_eq!(status.emit(&mut buffer), Err(EncodeError::TooManyElements));
        let fits = DeviceStatus {
            params: Array::Slice(&params[..16382]),
            ..status
        };
        assert_eq!(fits.emit(&mut buffer), Ok(65532));
    }
}
