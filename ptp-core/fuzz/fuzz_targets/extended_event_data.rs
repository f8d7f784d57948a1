//! Get Extended Event Data (USB class request 0x65): arbitrary bytes parse
//! or fail cleanly; a parsed value keeps the dataset contract
//! (`ptp_core_fuzz::dataset::check`) and iterates every parameter it counts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::ExtendedEventData;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(event) = check::<ExtendedEventData<'_>>(data, &mut scratch) else {
        return;
    };
    assert_eq!(event.params.iter().count(), event.params.len());
    for (index, param) in event.params.iter().enumerate().take(8) {
        assert_eq!(event.params.get(index), Some(param));
        assert_eq!(event.param_u32(index).is_some(), param.len() == 4);
    }
});
