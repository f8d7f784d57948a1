//! Canon EOS GetEvent data (the records libgphoto2's
//! `ptp_unpack_CANON_changes` walks): the first byte seeds how the rest is
//! split into chunks. `EosEvents::parse` never panics; when it succeeds,
//! its records lie within the input, read their words only from their own
//! data, and the streaming `EosScanner`, fed the data in chunks, finds the
//! same records (type, size, first word) and sees the end record exactly
//! when there is one. A record size below 8 is refused by both.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::DecodeErrorKind;
use ptp_core::dataset::{EosEvents, EosRecordStart, EosScanner};
use ptp_core_fuzz::chunks::Chunks;

fuzz_target!(|data: &[u8]| {
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    let mut scanner = EosScanner::new();
    let mut found = Vec::new();
    let mut scan_error = None;
    for chunk in Chunks::new(u64::from(seed)).split(bytes) {
        if let Err(error) = scanner.push(chunk, |start| found.push(start)) {
            scan_error = Some(error);
            break;
        }
    }
    let events = match EosEvents::parse(bytes) {
        Ok(events) => events,
        Err(error) => {
            if let DecodeErrorKind::BadLength(size) = error.kind
                && size < 8
            {
                assert!(scan_error.is_some(), "size {size} refused by parse only");
            }
            return;
        }
    };
    assert_eq!(scan_error, None);
    let mut covered = 0;
    let mut expected = Vec::new();
    for record in events.iter() {
        covered += 8 + record.data.len();
        for index in 0..=record.data.len() / 4 {
            assert_eq!(
                record.u32_at(index).is_some(),
                4 * index + 4 <= record.data.len()
            );
        }
        expected.push(EosRecordStart {
            kind: record.kind,
            size: u32::try_from(8 + record.data.len()).unwrap(),
            first_word: record.u32_at(0),
        });
    }
    assert!(covered <= bytes.len());
    assert_eq!(found, expected, "the scanner and the parser disagree");
    // Parsing stops early only at an end record.
    assert_eq!(scanner.ended(), covered < bytes.len());
});
