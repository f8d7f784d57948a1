//! The control of the panic check: it keeps a panic on purpose (an index
//! the optimiser cannot prove in bounds), so it must FAIL to link with the
//! panic handler's undefined symbol. If it links, the check is broken.
#![no_std]
#![no_main]
// The entry symbol must keep its name: `#[unsafe(no_mangle)]`.
#![allow(unsafe_code)]

use core::hint::black_box;
use panic_check as _;

/// The entry point the linker roots the program at.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let bytes: &[u8] = black_box(&[1, 2, 3]);
    // Deliberate: indexing with an unknown index keeps a bounds-check panic.
    #[allow(clippy::indexing_slicing)]
    black_box(bytes[black_box(7)]);
    loop {
        core::hint::spin_loop();
    }
}
