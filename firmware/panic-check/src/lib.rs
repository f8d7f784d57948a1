//! Link-time proof that no panic path of ptp-core survives optimisation.
//!
//! [`exercise_all`] calls every public parse, emit and engine entry point of
//! ptp-core with arguments and engine states hidden from the optimiser by
//! [`core::hint::black_box`], and keeps every result alive the same way, so
//! nothing is proven by constant folding or removed as unused. The
//! `#[panic_handler]` below calls [`PANIC_SYMBOL`], which no object
//! defines: if any call can still reach a panic after LTO, the handler is
//! linked in and the link fails naming that symbol. A clean link of the
//! `panic_check` binary is the proof; `keeps_panic` is the control that
//! shows the check can fail.
//!
//! Only ptp-core is judged: formatting (`Display`, `Debug`, defmt) is left
//! out, as core's formatting machinery is not ptp-core's to prove. So is the
//! async driver `ptp_core::client`: every `async fn` state machine that is
//! not inlined keeps the compiler's "resumed after completion" panic, which
//! no source change removes; the engine it drives is checked here.
#![no_std]
// The panic handler must call a function that exists only as a declaration,
// which takes an `unsafe extern` block; nothing else here is unsafe.
#![allow(unsafe_code)]

mod codec;
mod codes;
mod datasets;
mod engines;
mod opaque;
mod wire;

/// The undefined symbol a surviving panic path makes the linker look for.
pub const PANIC_SYMBOL: &str = "ptp_core_panic_path_survived_optimisation";

#[cfg(not(feature = "locate"))]
unsafe extern "C" {
    /// Defined nowhere: referencing it fails the link. Keep the name in
    /// step with [`PANIC_SYMBOL`].
    fn ptp_core_panic_path_survived_optimisation() -> !;
}

#[cfg(not(feature = "locate"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: never runs; a reachable call fails the link instead.
    unsafe { ptp_core_panic_path_survived_optimisation() }
}

/// With `locate`, a handler that links, so the panic calls that survived
/// can be found in the binary.
#[cfg(feature = "locate")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// Calls every public parse, emit and engine entry point of ptp-core on
/// opaque inputs.
pub fn exercise_all() {
    wire::exercise();
    codec::exercise();
    datasets::exercise();
    engines::exercise();
    codes::exercise();
}
