//! Support for ptp-core's tests on emulated microcontrollers.
//!
//! Every test binary in `tests/` links this crate (`use ptp_core_mcu_tests as _;`)
//! for what a bare-metal test needs besides defmt-test itself:
//! - the defmt logger, over semihosting (QEMU writes it to its stdout, where
//!   `defmt-print` decodes it);
//! - a panic handler and a HardFault handler that log and then end QEMU with
//!   a failure status, so a failed assertion or a fault (an unaligned access
//!   on the Cortex-M0) fails the run instead of hanging it;
//! - [`Aligned`] buffers, [`place`] and [`window`], which put test bytes (or
//!   an output window) at a chosen distance from a 16-byte boundary, so
//!   parsers and emitters run on misaligned memory;
//! - [`fixtures`]: captured device data.
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod fixtures;

use cortex_m_rt::{ExceptionFrame, exception};
use defmt_semihosting as _;

/// Ends the QEMU run with a failure status (semihosting `SYS_EXIT`).
pub fn exit_failure() -> ! {
    loop {
        cortex_m_semihosting::debug::exit(cortex_m_semihosting::debug::EXIT_FAILURE);
    }
}

/// Ends the QEMU run with a success status (semihosting `SYS_EXIT`).
pub fn exit_success() -> ! {
    loop {
        cortex_m_semihosting::debug::exit(cortex_m_semihosting::debug::EXIT_SUCCESS);
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    defmt::error!("{}", defmt::Display2Format(info));
    exit_failure()
}

// `defmt::panic!` and the failed `defmt::assert*!`s come here, already logged.
#[defmt::panic_handler]
fn defmt_panic() -> ! {
    exit_failure()
}

// cortex-m-rt requires the HardFault handler to be an `unsafe fn`.
#[allow(unsafe_code)]
#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    defmt::error!(
        "HardFault at pc={=u32:#010x} lr={=u32:#010x} (an unaligned access on Cortex-M0?)",
        frame.pc(),
        frame.lr()
    );
    exit_failure()
}

/// A buffer that starts on a 16-byte boundary, so an offset into it has a
/// known alignment.
#[repr(C, align(16))]
pub struct Aligned<const N: usize>(pub [u8; N]);

impl<const N: usize> Aligned<N> {
    /// A zeroed buffer.
    pub const fn new() -> Self {
        Aligned([0; N])
    }
}

impl<const N: usize> Default for Aligned<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Copies `bytes` into `buffer` at `offset` bytes past its 16-byte aligned
/// start and returns the copy. Fails the test if it does not fit.
pub fn place<'b, const N: usize>(
    buffer: &'b mut Aligned<N>,
    offset: usize,
    bytes: &[u8],
) -> &'b [u8] {
    let end = offset + bytes.len();
    defmt::assert!(
        end <= N,
        "fixture of {=usize} bytes at offset {=usize} does not fit",
        bytes.len(),
        offset
    );
    let target = &mut buffer.0[offset..end];
    target.copy_from_slice(bytes);
    defmt::assert_eq!(target.as_ptr().addr() % 16, offset % 16);
    target
}

/// A writable window of `len` bytes at `offset` past `buffer`'s aligned start.
pub fn window<const N: usize>(buffer: &mut Aligned<N>, offset: usize, len: usize) -> &mut [u8] {
    defmt::assert!(offset + len <= N);
    &mut buffer.0[offset..offset + len]
}
