//! The panic check: links only if no panic path of ptp-core survives
//! optimisation (see the library's docs). It is never run.
#![no_std]
#![no_main]
// The entry symbol must keep its name: `#[unsafe(no_mangle)]`.
#![allow(unsafe_code)]

use panic_check as _;

/// The entry point the linker roots the program at.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    panic_check::exercise_all();
    loop {
        core::hint::spin_loop();
    }
}
