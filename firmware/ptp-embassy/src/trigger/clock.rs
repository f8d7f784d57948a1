//! The trigger's clock on embassy-time.

use ptp_core::client::Clock;

/// Milliseconds since boot, from embassy-time.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmbassyClock;

impl Clock for EmbassyClock {
    // Out of line: the client reads the clock in many places, and each
    // inlined copy carries a 64-bit division (ticks to milliseconds).
    #[inline(never)]
    fn now_ms(&self) -> u64 {
        embassy_time::Instant::now().as_millis()
    }
}
