//! ObjectPropDesc: arbitrary bytes parse or fail cleanly; a parsed value
//! keeps the dataset contract (`ptp_core_fuzz::dataset::check`), its values
//! are of its data type, and an enumeration iterates every value it counts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::{ObjectPropDesc, ObjectPropForm};
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(desc) = check::<ObjectPropDesc<'_>>(data, &mut scratch) else {
        return;
    };
    assert_eq!(desc.default_value.data_type(), desc.data_type);
    match desc.form {
        ObjectPropForm::Range { min, max, step } => {
            for value in [min, max, step] {
                assert_eq!(value.data_type(), desc.data_type);
            }
        }
        ObjectPropForm::Enumeration(values) => {
            assert_eq!(values.iter().count(), values.len());
            assert!(values.iter().all(|v| v.data_type() == desc.data_type));
        }
        _ => {}
    }
    if let Some(form) = desc.form.as_form() {
        assert_eq!(ObjectPropForm::from(form), desc.form);
        let _ = form.allows(&desc.default_value);
    }
    let _ = desc.is_settable();
});
