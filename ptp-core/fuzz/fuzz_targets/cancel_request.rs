//! Cancel request data (USB class request 0x64): arbitrary bytes parse or
//! fail cleanly; a parsed value keeps the dataset contract
//! (`ptp_core_fuzz::dataset::check`), and parsing succeeds exactly for six
//! or more bytes starting with the cancellation code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::{CANCELLATION_CODE, CancelRequest};
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    check::<CancelRequest>(data, &mut scratch);
    let expected = data.len() >= CancelRequest::LEN && data[..2] == CANCELLATION_CODE.to_le_bytes();
    assert_eq!(CancelRequest::parse(data).is_ok(), expected);
});
