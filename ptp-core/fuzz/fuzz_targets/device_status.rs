//! Get Device Status (USB class request 0x67): arbitrary bytes parse or
//! fail cleanly; a parsed value keeps the dataset contract
//! (`ptp_core_fuzz::dataset::check`) and its wLength matches its parameters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::DeviceStatus;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(status) = check::<DeviceStatus<'_>>(data, &mut scratch) else {
        return;
    };
    let length = u16::from_le_bytes([data[0], data[1]]);
    assert_eq!(usize::from(length), 4 + 4 * status.params.len());
});
