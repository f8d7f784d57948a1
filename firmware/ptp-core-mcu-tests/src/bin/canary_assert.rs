//! A self-check of the rig, not a test of ptp-core: a failing assertion must
//! end the QEMU run with a failure status and its message must reach
//! defmt-print. `cargo xtask test mcu` checks that it does.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use ptp_core::wire::Reader;
use ptp_core_mcu_tests::exit_success;

#[cortex_m_rt::entry]
fn main() -> ! {
    // Two bytes hold a u16 but not a u32: the read fails, and so does the assertion.
    let read = Reader::new(&[0x01, 0x02]).u32("canary");
    defmt::assert!(read.is_ok(), "canary: deliberate failure: {}", read);
    exit_success()
}
