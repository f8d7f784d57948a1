//! DevicePropDesc: arbitrary bytes parse or fail cleanly; a parsed value
//! keeps the dataset contract (`ptp_core_fuzz::dataset::check`), all its
//! values are of its data type, and an enumeration iterates every value it
//! counts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::{DevicePropDesc, Form};
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(desc) = check::<DevicePropDesc<'_>>(data, &mut scratch) else {
        return;
    };
    assert_eq!(desc.factory_default.data_type(), desc.data_type);
    assert_eq!(desc.current.data_type(), desc.data_type);
    match desc.form {
        Form::None => {}
        Form::Range { min, max, step } => {
            for value in [min, max, step] {
                assert_eq!(value.data_type(), desc.data_type);
            }
        }
        Form::Enumeration(values) => {
            assert_eq!(values.iter().count(), values.len());
            assert!(values.iter().all(|v| v.data_type() == desc.data_type));
        }
    }
    let _ = (desc.form.allows(&desc.current), desc.is_settable());
});
