//! A self-check of the rig, not a test of ptp-core: loads a `u32` from an
//! address one past a word boundary, with an explicit `ldr`.
//!
//! On the Cortex-M0 (ARMv6-M) every unaligned load faults, so this binary must
//! end in the HardFault handler with a failure status; that is what makes the
//! M0 run a test of misaligned parsing. On the Cortex-M4 an unaligned `ldr` is
//! allowed and the binary exits with success after printing `no fault`.
//! `cargo xtask test mcu` checks both outcomes.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use ptp_core_mcu_tests::{Aligned, exit_success};

#[cortex_m_rt::entry]
fn main() -> ! {
    let buffer = Aligned::<8>([1, 2, 3, 4, 5, 6, 7, 8]);
    let address = buffer.0.as_ptr().addr() + 1;
    let value: u32;
    // Inline assembly, so the unaligned load is the hardware's business and
    // not undefined behaviour in Rust.
    #[allow(unsafe_code)]
    unsafe {
        core::arch::asm!("ldr {value}, [{address}]", value = out(reg) value, address = in(reg) address);
    }
    defmt::println!("no fault: unaligned ldr read {=u32:#010x}", value);
    exit_success()
}
