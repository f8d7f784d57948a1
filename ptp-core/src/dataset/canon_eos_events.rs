//! The data of Canon EOS GetEvent (0x9116): the events and property
//! changes an EOS body queued since the last call (EOS bodies report them
//! here, not on the interrupt endpoint).
//!
//! The data is a list of records, each a `u32` size (of the whole record,
//! at least 8), a `u32` type (an event code such as ObjectAddedEx 0xC181,
//! or a property change) and `size - 8` bytes of record data. A record of
//! type 0 ends the list; bytes after it are ignored. Record layouts are
//! from libgphoto2's `ptp_unpack_CANON_changes`; this module frames the
//! records and leaves their data to the caller, who reads `u32` fields
//! with [`EosRecord::u32_at`].
//!
//! [`EosEvents::parse`] checks every record's size up front, so iterating
//! the result cannot fail. The first GetEvent of a session lists every
//! property and can run to kilobytes: [`EosScanner`] finds the records in
//! the data as it streams, chunk by chunk, holding 12 bytes.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::wire::Reader;

/// The type of the record that ends the list.
pub const END_OF_LIST: u32 = 0;
/// Bytes of a record's size and type fields.
pub const RECORD_HEADER_LEN: usize = 8;

/// One record: its type and its data (after the size and type fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EosRecord<'a> {
    /// The record type (an event code, e.g. ObjectAddedEx 0xC181).
    pub kind: u32,
    /// The record data.
    pub data: &'a [u8],
}

impl EosRecord<'_> {
    /// The little-endian `u32` at word `index` of the data (ObjectAddedEx:
    /// word 0 is the object handle, word 1 its StorageID), if it is there.
    pub fn u32_at(&self, index: usize) -> Option<u32> {
        let start = index.checked_mul(4)?;
        let bytes = self.data.get(start..start.checked_add(4)?)?;
        let mut reader = Reader::new(bytes);
        reader.u32("EosRecord.Data").ok()
    }
}

/// The records of one GetEvent reply, borrowed from its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EosEvents<'a> {
    /// The records, up to (not including) the end record.
    records: &'a [u8],
}

impl<'a> EosEvents<'a> {
    /// Frames GetEvent data. A record whose size is below 8 or runs past
    /// the data is [`DecodeErrorKind::BadLength`] on `EosRecord.Size`;
    /// data that ends without an end record is accepted (some bodies omit
    /// it when nothing is queued).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut offset = 0;
        while let Some(rest) = bytes.get(offset..).filter(|rest| !rest.is_empty()) {
            let mut reader = Reader::new(rest);
            let size = reader.u32("EosRecord.Size").map_err(|error| DecodeError {
                offset: offset + error.offset,
                ..error
            })?;
            let kind = reader.u32("EosRecord.Type").map_err(|error| DecodeError {
                offset: offset + error.offset,
                ..error
            })?;
            if kind == END_OF_LIST {
                break;
            }
            let len = usize::try_from(size).unwrap_or(usize::MAX);
            if len < RECORD_HEADER_LEN || len > rest.len() {
                return Err(DecodeError {
                    field: "EosRecord.Size",
                    offset,
                    kind: DecodeErrorKind::BadLength(size),
                });
            }
            offset += len;
        }
        Ok(EosEvents {
            records: bytes.get(..offset).unwrap_or(&[]),
        })
    }

    /// The records in order.
    pub fn iter(&self) -> EosRecords<'a> {
        EosRecords { rest: self.records }
    }
}

/// Iterator over the records of [`EosEvents`].
#[derive(Clone, Debug)]
pub struct EosRecords<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for EosRecords<'a> {
    type Item = EosRecord<'a>;

    fn next(&mut self) -> Option<EosRecord<'a>> {
        let mut reader = Reader::new(self.rest);
        let size = usize::try_from(reader.u32("EosRecord.Size").ok()?).ok()?;
        let kind = reader.u32("EosRecord.Type").ok()?;
        let data = self.rest.get(RECORD_HEADER_LEN..size)?;
        self.rest = self.rest.get(size..).unwrap_or(&[]);
        Some(EosRecord { kind, data })
    }
}

/// The start of a record, as [`EosScanner`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EosRecordStart {
    /// The record type.
    pub kind: u32,
    /// The record's size field (header included).
    pub size: u32,
    /// The first `u32` of its data, when it has one.
    pub first_word: Option<u32>,
}

/// Finds the records of GetEvent data in chunks of any size: reports each
/// record's type, size and first data word, skips the rest of its data.
#[derive(Clone, Debug, Default)]
pub struct EosScanner {
    /// Bytes of the current record's size, type and first word.
    head: [u8; 12],
    have: usize,
    /// Bytes of the current record still to skip.
    skip: u64,
    /// The end record was seen.
    ended: bool,
    /// Bytes consumed so far (for error offsets).
    offset: usize,
}

impl EosScanner {
    /// A scanner at the start of the data.
    pub const fn new() -> Self {
        EosScanner {
            head: [0; 12],
            have: 0,
            skip: 0,
            ended: false,
            offset: 0,
        }
    }

    /// Whether the end record has been seen (later bytes are ignored).
    pub const fn ended(&self) -> bool {
        self.ended
    }

    /// Takes the next `chunk`, calling `found` for each record that starts
    /// in it. A size below 8 is [`DecodeErrorKind::BadLength`] on
    /// `EosRecord.Size`, and the rest of the data is ignored.
    pub fn push(
        &mut self,
        chunk: &[u8],
        mut found: impl FnMut(EosRecordStart),
    ) -> Result<(), DecodeError> {
        let mut rest = chunk;
        while !rest.is_empty() && !self.ended {
            if self.skip > 0 {
                let take = usize::try_from(self.skip)
                    .unwrap_or(usize::MAX)
                    .min(rest.len());
                rest = rest.get(take..).unwrap_or(&[]);
                self.skip -= take as u64;
                self.offset += take;
                continue;
            }
            let want = match self.have {
                have if have < RECORD_HEADER_LEN => RECORD_HEADER_LEN,
                _ => self.head.len(),
            };
            let take = (want - self.have).min(rest.len());
            if let (Some(target), Some(source)) = (
                self.head.get_mut(self.have..self.have + take),
                rest.get(..take),
            ) {
                target.copy_from_slice(source);
            }
            self.have += take;
            rest = rest.get(take..).unwrap_or(&[]);
            if self.have < want {
                break;
            }
            let mut reader = Reader::new(&self.head);
            let size = reader.u32("EosRecord.Size")?;
            let kind = reader.u32("EosRecord.Type")?;
            if kind == END_OF_LIST {
                self.ended = true;
                break;
            }
            if (size as usize) < RECORD_HEADER_LEN {
                self.ended = true;
                return Err(DecodeError {
                    field: "EosRecord.Size",
                    offset: self.offset,
                    kind: DecodeErrorKind::BadLength(size),
                });
            }
            if self.have == RECORD_HEADER_LEN && size as usize >= self.head.len() {
                // Read the first data word too.
                continue;
            }
            let first_word = match self.have {
                12 => reader.u32("EosRecord.Data").ok(),
                _ => None,
            };
            found(EosRecordStart {
                kind,
                size,
                first_word,
            });
            self.skip = u64::from(size) - self.have as u64;
            self.offset += self.have;
            self.have = 0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    /// ObjectAddedEx for handle 0x90000001 in store 0x00020001 (with more
    /// data after), a property change, the end record, and padding.
    static EVENTS: [u8; 48] = [
        24, 0, 0, 0, 0x81, 0xC1, 0, 0, // size 24, ObjectAddedEx
        0x01, 0, 0, 0x90, 0x01, 0, 0x02, 0, // handle, storage
        0x01, 0x38, 0, 0, 0, 0, 0, 0, // format and more
        12, 0, 0, 0, 0x89, 0xC1, 0, 0, // size 12, PropValueChanged
        0x05, 0xD1, 0, 0, // property 0xD105
        8, 0, 0, 0, 0, 0, 0, 0, // end of list
        0xEE, 0xEE, 0xEE, 0xEE,
    ];

    #[test]
    fn scanner_finds_records_in_any_split() {
        let expected = [
            EosRecordStart {
                kind: 0xC181,
                size: 24,
                first_word: Some(0x9000_0001),
            },
            EosRecordStart {
                kind: 0xC189,
                size: 12,
                first_word: Some(0xD105),
            },
        ];
        for step in 1..=EVENTS.len() {
            let mut scanner = EosScanner::new();
            let mut seen = Vec::new();
            for chunk in EVENTS.chunks(step) {
                scanner.push(chunk, |record| seen.push(record)).unwrap();
            }
            assert_eq!(seen, expected, "chunks of {step}");
            assert!(scanner.ended());
        }
        // A record of only a header has no first word.
        let mut scanner = EosScanner::new();
        let mut seen = Vec::new();
        let bare = [8, 0, 0, 0, 0x0E, 0xC1, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 7];
        scanner.push(&bare, |record| seen.push(record)).unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!((seen[0].kind, seen[0].first_word), (0xC10E, None));
        assert_eq!((seen[1].size, seen[1].first_word), (9, None));
        let mut bad = EosScanner::new();
        let error = bad.push(&[4, 0, 0, 0, 1, 0, 0, 0], |_| {}).unwrap_err();
        assert_eq!(error.kind, DecodeErrorKind::BadLength(4));
    }

    #[test]
    fn deconstruct() {
        let events = EosEvents::parse(&EVENTS).unwrap();
        let records: Vec<_> = events.iter().collect();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].kind, 0xC181);
        assert_eq!(records[0].u32_at(0), Some(0x9000_0001));
        assert_eq!(records[0].u32_at(1), Some(0x0002_0001));
        assert_eq!(records[0].u32_at(4), None);
        assert_eq!(records[1].kind, 0xC189);
        assert_eq!(records[1].u32_at(0), Some(0xD105));
    }

    #[test]
    fn empty_and_unterminated_lists() {
        assert_eq!(EosEvents::parse(&[]).unwrap().iter().count(), 0);
        assert_eq!(EosEvents::parse(&EVENTS[36..44]).unwrap().iter().count(), 0);
        assert_eq!(EosEvents::parse(&EVENTS[..36]).unwrap().iter().count(), 2);
    }

    #[test]
    fn bad_sizes_are_errors_naming_the_record() {
        let mut short = EVENTS;
        short[24] = 4; // second record claims 4 bytes
        let error = EosEvents::parse(&short).unwrap_err();
        assert_eq!(
            (error.field, error.offset, error.kind),
            ("EosRecord.Size", 24, DecodeErrorKind::BadLength(4))
        );
        let mut long = EVENTS;
        long[0] = 200;
        assert_eq!(
            EosEvents::parse(&long).unwrap_err().kind,
            DecodeErrorKind::BadLength(200)
        );
        // Every prefix either parses or fails; none panics.
        for len in 0..EVENTS.len() {
            let _ = EosEvents::parse(&EVENTS[..len]);
        }
        let error = EosEvents::parse(&EVENTS[..30]).unwrap_err();
        assert_eq!((error.field, error.offset), ("EosRecord.Type", 28));
        let error = EosEvents::parse(&EVENTS[..26]).unwrap_err();
        assert_eq!((error.field, error.offset), ("EosRecord.Size", 24));
    }
}
