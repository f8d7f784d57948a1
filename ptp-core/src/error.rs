//! Error types. Each is a small `Copy + Eq` value that says what was wrong.

use core::fmt;

/// Why bytes could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DecodeErrorKind {
    /// The field needs more bytes than are left.
    Truncated {
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the input.
        available: usize,
    },
    /// An unknown data type code (DevicePropDesc, ObjectPropDesc, ...).
    UnknownDataType(u16),
    /// A form flag that is not none/range/enumeration (or a valid MTP form).
    UnknownForm(u8),
    /// A length or count field that contradicts the rest of the input.
    BadLength(u32),
    /// A value outside what the field allows.
    BadValue(u32),
    /// A date-time string not in `YYYYMMDDThhmmss[.s][Z|±hhmm]` form.
    BadDateTime,
}

/// A decoding failure: which field, at which byte offset, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DecodeError {
    /// The field being read (`"DeviceInfo.Manufacturer"`).
    pub field: &'static str,
    /// Offset of the field in the input.
    pub offset: usize,
    /// What was wrong.
    pub kind: DecodeErrorKind,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}: ", self.field, self.offset)?;
        match self.kind {
            DecodeErrorKind::Truncated { needed, available } => {
                write!(f, "needs {needed} bytes, only {available} left")
            }
            DecodeErrorKind::UnknownDataType(code) => write!(f, "unknown data type 0x{code:04X}"),
            DecodeErrorKind::UnknownForm(form) => write!(f, "unknown form flag {form}"),
            DecodeErrorKind::BadLength(length) => {
                write!(f, "length {length} does not fit the input")
            }
            DecodeErrorKind::BadValue(value) => write!(f, "invalid value {value} (0x{value:X})"),
            DecodeErrorKind::BadDateTime => f.write_str("not a PTP date-time (YYYYMMDDThhmmss)"),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Why a value could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EncodeError {
    /// The output buffer is too small.
    BufferTooSmall {
        /// Bytes needed (at least).
        needed: usize,
        /// Size of the buffer given.
        available: usize,
    },
    /// A string longer than the 254 UTF-16 units a PTP string can hold.
    StringTooLong {
        /// UTF-16 units of the string seen when it overflowed (the writer
        /// stops at the first unit over the limit: 255).
        units: usize,
    },
    /// An array or list with more elements than its `u32` count can say.
    TooManyElements,
    /// More parameters than the container allows.
    TooManyParams {
        /// Parameters given.
        given: usize,
        /// The most the container holds.
        max: usize,
    },
    /// A value whose data type does not match the declared one.
    TypeMismatch,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EncodeError::BufferTooSmall { needed, available } => {
                write!(
                    f,
                    "buffer too small: {needed} bytes needed, {available} given"
                )
            }
            EncodeError::StringTooLong { units } => {
                write!(
                    f,
                    "string of at least {units} UTF-16 units exceeds the PTP limit of 254"
                )
            }
            EncodeError::TooManyElements => f.write_str("more elements than a u32 count can hold"),
            EncodeError::TooManyParams { given, max } => {
                write!(f, "{given} parameters given, at most {max} allowed")
            }
            EncodeError::TypeMismatch => f.write_str("value does not match the declared data type"),
        }
    }
}

impl core::error::Error for EncodeError {}
