//! ObjectInfo: arbitrary bytes parse or fail cleanly; a parsed value keeps
//! the dataset contract (`ptp_core_fuzz::dataset::check`), and a date that
//! parses is valid and survives formatting and parsing again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::ObjectInfo;
use ptp_core::wire::DateTime;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(info) = check::<ObjectInfo<'_>>(data, &mut scratch) else {
        return;
    };
    for date in [info.capture_date(), info.modification_date()]
        .into_iter()
        .flatten()
    {
        assert!(date.is_valid(), "{date:?}");
        let mut text = [0u8; 22];
        let formatted = date.format_into(&mut text);
        assert_eq!(
            DateTime::parse_ascii(formatted.as_bytes()),
            Some(date),
            "{formatted}"
        );
    }
    let _ = (info.compressed_size(), info.is_association());
});
