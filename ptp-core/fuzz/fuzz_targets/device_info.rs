//! DeviceInfo: arbitrary bytes parse or fail cleanly; a parsed value keeps
//! the dataset contract (`ptp_core_fuzz::dataset::check`), its arrays
//! iterate as many codes as they say, and vendor detection works on it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::DeviceInfo;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(info) = check::<DeviceInfo<'_>>(data, &mut scratch) else {
        return;
    };
    for array in [
        info.operations_supported,
        info.events_supported,
        info.device_properties_supported,
        info.capture_formats,
        info.playback_formats,
    ] {
        assert_eq!(array.iter().count(), array.len());
    }
    let code_set = info.code_set();
    for code in info.operations_supported.iter().take(8) {
        assert!(info.supports_operation(code));
        let _ = code_set.name(ptp_core::codes::Kind::Operation, u32::from(code));
    }
});
