//! PTP strings: a u8 count of UTF-16LE code units including the NUL
//! terminator (0 for the empty string), read lazily without copying.

use core::fmt;

/// The most UTF-16 units a PTP string holds, without its terminator.
pub const MAX_STRING_UNITS: usize = 254;

/// A PTP string: either borrowed wire bytes (parsed) or a `&str` (to emit).
/// Both compare equal when their characters are equal.
#[derive(Clone, Copy)]
pub enum PtpString<'a> {
    /// UTF-16LE units as read from the wire, terminator included if present.
    Wire(&'a [u8]),
    /// Text to be written.
    Str(&'a str),
}

/// The units of a [`PtpString`]: wire pairs, then the text's UTF-16 (one
/// of the two is empty), up to the first NUL. One plain loop body, which
/// keeps the many string writers in firmware small.
#[derive(Clone)]
struct Units<'a> {
    wire: &'a [u8],
    text: core::str::EncodeUtf16<'a>,
}

impl Iterator for Units<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        let unit = match self.wire {
            [low, high, rest @ ..] => {
                self.wire = rest;
                u16::from_le_bytes([*low, *high])
            }
            _ => self.text.next()?,
        };
        if unit == 0 {
            self.wire = &[];
            self.text = "".encode_utf16();
            return None;
        }
        Some(unit)
    }
}

impl<'a> PtpString<'a> {
    /// The empty string.
    pub const EMPTY: PtpString<'static> = PtpString::Str("");

    /// A string over wire bytes (UTF-16LE units; an odd last byte is ignored).
    pub const fn from_wire(bytes: &'a [u8]) -> Self {
        PtpString::Wire(bytes)
    }

    /// The UTF-16 units up to (not including) the first NUL.
    pub fn units(&self) -> impl Iterator<Item = u16> + Clone + 'a {
        match *self {
            PtpString::Wire(bytes) => Units {
                wire: bytes,
                text: "".encode_utf16(),
            },
            PtpString::Str(text) => Units {
                wire: &[],
                text: text.encode_utf16(),
            },
        }
    }

    /// The characters; invalid UTF-16 becomes U+FFFD.
    pub fn chars(&self) -> impl Iterator<Item = char> + Clone + 'a {
        char::decode_utf16(self.units()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    /// Whether the string has no characters.
    pub fn is_empty(&self) -> bool {
        self.units().next().is_none()
    }

    /// Number of UTF-16 units, without the terminator.
    pub fn unit_count(&self) -> usize {
        self.units().count()
    }

    /// Bytes this string takes on the wire (count byte, units, terminator).
    pub fn encoded_len(&self) -> usize {
        match self.unit_count() {
            0 => 1,
            units => 1 + 2 * (units + 1),
        }
    }

    /// Compares with a `&str`.
    pub fn eq_str(&self, text: &str) -> bool {
        self.chars().eq(text.chars())
    }

    /// Copies into a fixed-capacity string; `None` if it does not fit.
    pub fn to_heapless<const N: usize>(&self) -> Option<heapless::String<N>> {
        let mut out = heapless::String::new();
        for c in self.chars() {
            out.push(c).ok()?;
        }
        Some(out)
    }
}

impl PartialEq for PtpString<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.units().eq(other.units())
    }
}

impl Eq for PtpString<'_> {}

impl Default for PtpString<'_> {
    fn default() -> Self {
        PtpString::Str("")
    }
}

impl<'a> From<&'a str> for PtpString<'a> {
    fn from(text: &'a str) -> Self {
        PtpString::Str(text)
    }
}

impl fmt::Display for PtpString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.chars().try_for_each(|c| f.write_char(c))
    }
}

impl fmt::Debug for PtpString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        f.write_char('"')?;
        for c in self.chars() {
            for escaped in c.escape_debug() {
                f.write_char(escaped)?;
            }
        }
        f.write_char('"')
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for PtpString<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        for c in self.chars() {
            defmt::write!(f, "{=char}", c);
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::wire::{Reader, Writer};

    // "Hi" with terminator: count 3, 'H' 'i' NUL.
    static HI: [u8; 7] = [3, b'H', 0, b'i', 0, 0, 0];

    #[test]
    fn parse() {
        let mut reader = Reader::new(&HI);
        let text = reader.string("s").unwrap();
        assert!(reader.is_empty());
        assert!(text.eq_str("Hi"));
        assert_eq!(text, PtpString::from("Hi"));
        assert_eq!(text.unit_count(), 2);
        assert_eq!(text.encoded_len(), 7);
    }

    #[test]
    fn emit() {
        let mut buffer = [0u8; 7];
        let mut writer = Writer::new(&mut buffer);
        writer.str("Hi").unwrap();
        assert_eq!(writer.position(), 7);
        assert_eq!(buffer, HI);
    }

    #[test]
    fn empty_is_a_single_zero() {
        let mut buffer = [0xFFu8; 1];
        Writer::new(&mut buffer).str("").unwrap();
        assert_eq!(buffer, [0]);
        assert!(Reader::new(&buffer).string("s").unwrap().is_empty());
    }

    #[test]
    fn non_bmp_and_invalid_utf16() {
        let mut buffer = [0u8; 16];
        let mut writer = Writer::new(&mut buffer);
        writer.str("a😀").unwrap();
        let written = writer.position();
        assert_eq!(written, 1 + 2 * 4);
        let text = Reader::new(&buffer[..written]).string("s").unwrap();
        assert!(text.eq_str("a😀"));
        // A lone high surrogate decodes to U+FFFD instead of failing.
        let lone = [2u8, 0x00, 0xD8, 0, 0];
        let text = Reader::new(&lone).string("s").unwrap();
        assert!(text.eq_str("\u{FFFD}"));
    }

    #[test]
    fn truncated_string_is_an_error() {
        let err = Reader::new(&HI[..5]).string("Model").unwrap_err();
        assert_eq!(err.field, "Model");
        assert_eq!(err.offset, 1);
    }

    #[test]
    fn too_long_string_is_refused() {
        let long = "x".repeat(255);
        let mut buffer = [0u8; 600];
        let err = Writer::new(&mut buffer).str(&long).unwrap_err();
        assert_eq!(err, crate::error::EncodeError::StringTooLong { units: 255 });
        assert!(Writer::new(&mut buffer).str(&long[..254]).is_ok());
    }
}
