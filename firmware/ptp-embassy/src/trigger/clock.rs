//! The trigger's clock on embassy-time.

use embassy_time::{Instant, TICK_HZ};
use ptp_core::client::Clock;

/// Milliseconds since boot, from embassy-time.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmbassyClock;

impl Clock for EmbassyClock {
    // Out of line: the client reads the clock in many places.
    #[inline(never)]
    fn now_ms(&self) -> u64 {
        let now = Instant::now();
        match TICKS_PER_MS {
            Some(per_ms) => div_small(now.as_ticks(), per_ms),
            None => now.as_millis(),
        }
    }
}

/// Ticks per millisecond, when a whole number below 2^16 (1 MHz ticks:
/// 1000).
const TICKS_PER_MS: Option<u16> = match TICK_HZ % 1000 {
    0 if TICK_HZ / 1000 > 0 && TICK_HZ / 1000 <= u16::MAX as u64 => Some((TICK_HZ / 1000) as u16),
    _ => None,
};

/// `dividend / divisor` in three 32-bit divisions (the divisor is below
/// 2^16, so each remainder shifted up 16 bits still fits): the same
/// quotient as a 64-bit division without pulling in the 64-bit division
/// routine (~900 bytes of flash on a Cortex-M).
const fn div_small(dividend: u64, divisor: u16) -> u64 {
    let divisor = if divisor == 0 { 1 } else { divisor as u32 };
    let high = (dividend >> 32) as u32;
    let middle = ((dividend >> 16) & 0xFFFF) as u32;
    let low = (dividend & 0xFFFF) as u32;
    let high_quotient = high / divisor;
    let middle = ((high % divisor) << 16) | middle;
    let middle_quotient = middle / divisor;
    let low = ((middle % divisor) << 16) | low;
    let low_quotient = low / divisor;
    ((high_quotient as u64) << 32) + ((middle_quotient as u64) << 16) + low_quotient as u64
}

#[cfg(test)]
mod test {
    use super::div_small;

    #[test]
    fn div_small_matches_the_64_bit_division() {
        let dividends = [
            0,
            1,
            999,
            1000,
            1001,
            0xFFFF,
            0x1_0000,
            0xFFFF_FFFF,
            0x1_0000_0000,
            0x1234_5678_9ABC_DEF0,
            u64::MAX - 1,
            u64::MAX,
        ];
        for divisor in [1u16, 3, 32, 1000, 1024, 0xFFFF] {
            for dividend in dividends {
                assert_eq!(
                    div_small(dividend, divisor),
                    dividend / u64::from(divisor),
                    "{dividend} / {divisor}"
                );
            }
            // A spread of values through the whole range.
            let mut value = 0x9E37_79B9_7F4A_7C15u64;
            for _ in 0..10_000 {
                value = value.wrapping_mul(6364136223846793005).wrapping_add(1);
                assert_eq!(div_small(value, divisor), value / u64::from(divisor));
            }
        }
    }
}
