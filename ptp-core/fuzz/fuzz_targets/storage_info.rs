//! StorageInfo: arbitrary bytes parse or fail cleanly; a parsed value keeps
//! the dataset contract (`ptp_core_fuzz::dataset::check`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::StorageInfo;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    check::<StorageInfo<'_>>(data, &mut scratch);
});
