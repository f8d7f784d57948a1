//! ObjectPropList: arbitrary bytes parse or fail cleanly; a parsed value
//! keeps the dataset contract (`ptp_core_fuzz::dataset::check`), iterates
//! every element it counts, and finds each listed (handle, property).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_core::dataset::ObjectPropList;
use ptp_core_fuzz::dataset::{Scratch, check};

fuzz_target!(|data: &[u8]| {
    let mut scratch = Scratch::default();
    let Some(list) = check::<ObjectPropList<'_>>(data, &mut scratch) else {
        return;
    };
    assert_eq!(list.iter().count(), list.len());
    assert_eq!(list.is_empty(), list.iter().next().is_none());
    for element in list.iter().take(16) {
        assert_eq!(element.data_type(), element.value.data_type());
        assert!(
            list.get(element.object_handle, element.property_code)
                .is_some()
        );
    }
});
