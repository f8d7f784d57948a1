//! StreamInfo: arbitrary bytes parse or fail cleanly; a parsed value keeps
//! the dataset contract (`ptp_core_fuzz::dataset::check`) and is always
//! `StreamInfo::LEN` bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::StreamInfo;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    if let Some(info) = check::<StreamInfo>(data, &mut scratch) {
        assert_eq!(info.buffer_len(), StreamInfo::LEN);
    }
    assert_eq!(
        StreamInfo::parse(data).is_ok(),
        data.len() >= StreamInfo::LEN
    );
});
