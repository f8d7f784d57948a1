//! A bounds-checked little-endian cursor over a caller's buffer.

use super::{Element, MAX_STRING_UNITS};
use crate::error::EncodeError;

/// Writes PTP fields into a caller-owned buffer; never writes past its end.
#[derive(Debug)]
pub struct Writer<'a> {
    buffer: &'a mut [u8],
    position: usize,
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buffer`.
    pub fn new(buffer: &'a mut [u8]) -> Self {
        Writer {
            buffer,
            position: 0,
        }
    }

    /// Bytes written so far.
    pub const fn position(&self) -> usize {
        self.position
    }

    /// Writes raw bytes.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        let available = self.buffer.len();
        let end = self.position.checked_add(bytes.len());
        match end.and_then(|end| self.buffer.get_mut(self.position..end)) {
            Some(target) => {
                target.copy_from_slice(bytes);
                self.position += bytes.len();
                Ok(())
            }
            None => Err(EncodeError::BufferTooSmall {
                needed: self.position.saturating_add(bytes.len()),
                available,
            }),
        }
    }

    /// Writes a `u8`.
    pub fn u8(&mut self, value: u8) -> Result<(), EncodeError> {
        self.bytes(&[value])
    }

    /// Writes a little-endian `u16`.
    pub fn u16(&mut self, value: u16) -> Result<(), EncodeError> {
        self.bytes(&value.to_le_bytes())
    }

    /// Writes a little-endian `u32`.
    pub fn u32(&mut self, value: u32) -> Result<(), EncodeError> {
        self.bytes(&value.to_le_bytes())
    }

    /// Writes a little-endian `u64`.
    pub fn u64(&mut self, value: u64) -> Result<(), EncodeError> {
        self.bytes(&value.to_le_bytes())
    }

    /// Writes a little-endian `u128`.
    pub fn u128(&mut self, value: u128) -> Result<(), EncodeError> {
        self.bytes(&value.to_le_bytes())
    }

    /// Writes a PTP string from UTF-16 units (no terminator in `units`).
    /// One pass: the count byte is written first and filled in at the end,
    /// so the units are produced (and UTF-8 decoded) only once.
    pub fn string_units(&mut self, units: impl Iterator<Item = u16>) -> Result<(), EncodeError> {
        let count_at = self.position;
        self.u8(0)?;
        let mut count = 0;
        for unit in units {
            count += 1;
            if count > MAX_STRING_UNITS {
                return Err(EncodeError::StringTooLong { units: count });
            }
            self.u16(unit)?;
        }
        if count == 0 {
            return Ok(());
        }
        self.u16(0)?;
        // count <= 254, so count + 1 fits a u8; the byte exists (written above).
        if let Some(byte) = self.buffer.get_mut(count_at) {
            *byte = u8::try_from(count + 1).unwrap_or(u8::MAX);
        }
        Ok(())
    }

    /// Writes a PTP string from `&str`.
    pub fn str(&mut self, text: &str) -> Result<(), EncodeError> {
        self.string_units(text.encode_utf16())
    }

    /// Writes a PTP array: the u32 count, then the elements.
    pub fn array<T: Element>(
        &mut self,
        elements: impl ExactSizeIterator<Item = T>,
    ) -> Result<(), EncodeError> {
        let count = u32::try_from(elements.len()).map_err(|_| EncodeError::TooManyElements)?;
        self.u32(count)?;
        for element in elements {
            element.write(self)?;
        }
        Ok(())
    }
}
