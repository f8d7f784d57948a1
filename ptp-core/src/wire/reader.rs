//! A bounds-checked little-endian cursor over borrowed bytes.

use super::{Array, DataType, Element, MAX_STRING_UNITS, PtpString, Value};
use crate::error::{DecodeError, DecodeErrorKind};

/// Reads PTP fields from borrowed bytes. Every read is bounds-checked and
/// names the field it reads, so a failure says what was wrong and where.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    /// Bytes consumed so far.
    pub const fn position(&self) -> usize {
        self.position
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.position..).unwrap_or(&[])
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.rest().is_empty()
    }

    /// An error for `field` at the current position.
    pub const fn error(&self, field: &'static str, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            field,
            offset: self.position,
            kind,
        }
    }

    /// Takes the next `count` bytes.
    pub fn bytes(&mut self, field: &'static str, count: usize) -> Result<&'a [u8], DecodeError> {
        let rest = self.rest();
        match rest.get(..count) {
            Some(taken) => {
                self.position += count;
                Ok(taken)
            }
            None => Err(self.error(
                field,
                DecodeErrorKind::Truncated {
                    needed: count,
                    available: rest.len(),
                },
            )),
        }
    }

    /// Takes the next `N` bytes as an array.
    pub fn array_bytes<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        let taken = self.bytes(field, N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(taken);
        Ok(out)
    }

    /// Reads a `u8`.
    pub fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        self.array_bytes::<1>(field).map(u8::from_le_bytes)
    }

    /// Reads a little-endian `u16`.
    pub fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        self.array_bytes(field).map(u16::from_le_bytes)
    }

    /// Reads a little-endian `u32`.
    pub fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        self.array_bytes(field).map(u32::from_le_bytes)
    }

    /// Reads a little-endian `u64`.
    pub fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        self.array_bytes(field).map(u64::from_le_bytes)
    }

    /// Reads a little-endian `u128`.
    pub fn u128(&mut self, field: &'static str) -> Result<u128, DecodeError> {
        self.array_bytes(field).map(u128::from_le_bytes)
    }

    /// Reads a PTP string (u8 unit count incl. NUL, then UTF-16LE units).
    /// A count of 255 whose last unit is not the terminator would be 255
    /// characters, more than a PTP string holds (and than could be written
    /// back): it is refused with `BadLength(255)`.
    pub fn string(&mut self, field: &'static str) -> Result<PtpString<'a>, DecodeError> {
        let offset = self.position;
        let units = usize::from(self.u8(field)?);
        let bytes = self.bytes(field, units * 2)?;
        let text = PtpString::from_wire(bytes);
        if text.unit_count() > MAX_STRING_UNITS {
            return Err(DecodeError {
                field,
                offset,
                kind: DecodeErrorKind::BadLength(255),
            });
        }
        Ok(text)
    }

    /// Reads a PTP array (u32 element count, then elements).
    pub fn array<T: Element>(&mut self, field: &'static str) -> Result<Array<'a, T>, DecodeError> {
        let start = self.position;
        let count = self.u32(field)?;
        let available = self.rest().len();
        let size = usize::try_from(count)
            .ok()
            .and_then(|count| count.checked_mul(T::SIZE));
        match size {
            Some(size) if size <= available => {
                let bytes = self.bytes(field, size)?;
                Ok(Array::from_wire(bytes))
            }
            _ => Err(DecodeError {
                field,
                offset: start,
                kind: DecodeErrorKind::BadLength(count),
            }),
        }
    }

    /// Reads a value of the given data type.
    pub fn value(
        &mut self,
        field: &'static str,
        data_type: DataType,
    ) -> Result<Value<'a>, DecodeError> {
        Value::read(self, field, data_type)
    }

    /// Reads a data type code, refusing `Undefined` (0) and unknown codes:
    /// a value of such a type has no known size.
    pub fn data_type(&mut self, field: &'static str) -> Result<DataType, DecodeError> {
        let offset = self.position;
        let code = self.u16(field)?;
        match DataType::from_code(code) {
            DataType::Undefined | DataType::Unknown(_) => Err(DecodeError {
                field,
                offset,
                kind: DecodeErrorKind::UnknownDataType(code),
            }),
            data_type => Ok(data_type),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn unterminated_255_unit_string_is_refused() {
        let mut bytes = [0x41u8; 1 + 510];
        bytes[0] = 255;
        let err = Reader::new(&bytes).string("X.Name").unwrap_err();
        assert_eq!((err.kind, err.offset), (DecodeErrorKind::BadLength(255), 0));
        // The same count with a terminator in the last unit is 254 characters.
        bytes[509] = 0;
        bytes[510] = 0;
        assert_eq!(
            Reader::new(&bytes).string("X.Name").unwrap().unit_count(),
            254
        );
    }

    #[test]
    fn undefined_and_unknown_data_types_are_refused() {
        for (bytes, code) in [([0, 0], 0), ([0x34, 0x12], 0x1234)] {
            let err = Reader::new(&bytes).data_type("X.DataType").unwrap_err();
            assert_eq!(err.kind, DecodeErrorKind::UnknownDataType(code));
        }
        assert_eq!(
            Reader::new(&[0xFF, 0xFF]).data_type("X.DataType"),
            Ok(DataType::Str)
        );
    }
}
