//! PTP date-time strings: `YYYYMMDDThhmmss[.s][Z|±hhmm]` (ISO 8601 basic form).

use super::PtpString;
use core::fmt;

/// A time zone: UTC (`Z`) or an offset from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum UtcOffset {
    /// `Z`.
    Utc,
    /// `±hhmm`, in minutes east of UTC.
    Minutes(i16),
}

/// A parsed PTP date-time. Without an offset it is local time on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DateTime {
    /// Year, 0..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=60 (leap second).
    pub second: u8,
    /// Tenths of a second, if given.
    pub tenths: Option<u8>,
    /// Time zone, if given.
    pub offset: Option<UtcOffset>,
}

/// The longest form: `YYYYMMDDThhmmss.s+hhmm`.
const MAX_LEN: usize = 22;

impl DateTime {
    /// Parses a date-time string; `None` if it is not in PTP form or out of range.
    pub fn parse(text: &PtpString<'_>) -> Option<DateTime> {
        let mut ascii = [0u8; MAX_LEN];
        let mut len = 0;
        for c in text.chars() {
            let slot = ascii.get_mut(len)?;
            *slot = u8::try_from(c).ok().filter(u8::is_ascii)?;
            len += 1;
        }
        Self::parse_ascii(ascii.get(..len)?)
    }

    /// Parses the ASCII form.
    pub fn parse_ascii(s: &[u8]) -> Option<DateTime> {
        let digits = |range: core::ops::Range<usize>| -> Option<u16> {
            let part = s.get(range)?;
            part.iter().try_fold(0u16, |acc, b| {
                b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0'))
            })
        };
        let small = |range| digits(range).and_then(|v| u8::try_from(v).ok());
        if s.get(8) != Some(&b'T') {
            return None;
        }
        let date_time = DateTime {
            year: digits(0..4)?,
            month: small(4..6)?,
            day: small(6..8)?,
            hour: small(9..11)?,
            minute: small(11..13)?,
            second: small(13..15)?,
            tenths: None,
            offset: None,
        };
        let mut rest = s.get(15..)?;
        let mut out = date_time;
        if let [b'.', tenth, tail @ ..] = rest {
            out.tenths = Some(tenth.is_ascii_digit().then(|| tenth - b'0')?);
            rest = tail;
        }
        out.offset = match rest {
            [] => None,
            [b'Z'] => Some(UtcOffset::Utc),
            [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 4 => {
                let value = |pair: &[u8]| -> Option<i16> {
                    pair.iter().try_fold(0i16, |acc, b| {
                        b.is_ascii_digit().then(|| acc * 10 + i16::from(b - b'0'))
                    })
                };
                let hours = value(hh.get(..2)?)?;
                let minutes = value(hh.get(2..)?)?;
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let total = hours * 60 + minutes;
                Some(UtcOffset::Minutes(if *sign == b'-' {
                    -total
                } else {
                    total
                }))
            }
            _ => return None,
        };
        out.is_valid().then_some(out)
    }

    /// Whether every field is in range.
    pub fn is_valid(&self) -> bool {
        self.year <= 9999
            && (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60
            && self.tenths.is_none_or(|t| t <= 9)
    }

    /// Writes the PTP form into `buffer`, returning the text.
    pub fn format_into<'b>(&self, buffer: &'b mut [u8; MAX_LEN]) -> &'b str {
        let mut cursor = Cursor { buffer, len: 0 };
        // Writing to a fixed buffer of the maximum length cannot fail.
        let _ = fmt::Write::write_fmt(&mut cursor, format_args!("{self}"));
        let len = cursor.len;
        core::str::from_utf8(buffer.get(..len).unwrap_or(&[])).unwrap_or("")
    }
}

struct Cursor<'b> {
    buffer: &'b mut [u8; MAX_LEN],
    len: usize,
}

impl fmt::Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.buffer
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}T{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if let Some(tenths) = self.tenths {
            write!(f, ".{tenths}")?;
        }
        match self.offset {
            None => Ok(()),
            Some(UtcOffset::Utc) => f.write_str("Z"),
            Some(UtcOffset::Minutes(minutes)) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let minutes = minutes.unsigned_abs();
                write!(f, "{sign}{:02}{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn parse_forms() {
        let plain = DateTime::parse(&PtpString::Str("20261121T134502")).unwrap();
        assert_eq!((plain.year, plain.month, plain.day), (2026, 11, 21));
        assert_eq!((plain.hour, plain.minute, plain.second), (13, 45, 2));
        assert_eq!((plain.tenths, plain.offset), (None, None));
        let full = DateTime::parse(&PtpString::Str("20261121T134502.7-0130")).unwrap();
        assert_eq!(full.tenths, Some(7));
        assert_eq!(full.offset, Some(UtcOffset::Minutes(-90)));
        let utc = DateTime::parse(&PtpString::Str("20261121T134502Z")).unwrap();
        assert_eq!(utc.offset, Some(UtcOffset::Utc));
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in [
            "",
            "2026",
            "20261121 134502",
            "20261321T134502",
            "20261121T246000",
            "20261121T134502.",
            "20261121T134502+01",
            "20261121T134502X",
            "2026112xT134502",
            "20261121T134502.7-0130 trailing",
        ] {
            assert_eq!(DateTime::parse(&PtpString::Str(bad)), None, "{bad}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for text in [
            "20261121T134502",
            "20261121T134502.7-0130",
            "19990101T000000Z",
            "20000229T235960+1400",
        ] {
            let parsed = DateTime::parse(&PtpString::Str(text)).unwrap();
            let mut buffer = [0u8; MAX_LEN];
            assert_eq!(parsed.format_into(&mut buffer), text);
        }
    }
}
