//! What makes the trigger fire: a GPIO edge (a button or a remote release
//! cable pulling a pin low) or an interval timer.

use embassy_time::{Duration, Ticker, Timer};
use embedded_hal_async::digital::Wait;

/// Something that says when to take a picture.
#[allow(async_fn_in_trait)]
pub trait TriggerSource {
    /// Waits for the next trigger.
    async fn wait(&mut self);
}

/// Fires every `period`.
pub struct Interval {
    ticker: Ticker,
}

impl Interval {
    /// Fires every `period_ms` milliseconds, first after one period.
    pub fn new(period_ms: u64) -> Self {
        Interval {
            ticker: Ticker::every(Duration::from_millis(period_ms)),
        }
    }
}

impl TriggerSource for Interval {
    async fn wait(&mut self) {
        self.ticker.next().await;
    }
}

/// Fires on a falling edge of a pin (active low, with a pull-up), then
/// ignores the pin for `debounce_ms`.
pub struct FallingEdge<P> {
    pin: P,
    debounce_ms: u64,
}

impl<P: Wait> FallingEdge<P> {
    /// A trigger on `pin`.
    pub const fn new(pin: P, debounce_ms: u64) -> Self {
        FallingEdge { pin, debounce_ms }
    }
}

impl<P: Wait> TriggerSource for FallingEdge<P> {
    async fn wait(&mut self) {
        loop {
            match self.pin.wait_for_falling_edge().await {
                Ok(()) => break,
                // A pin that cannot wait: do not spin on it.
                Err(_) => Timer::after_millis(self.debounce_ms.max(1)).await,
            }
        }
        Timer::after_millis(self.debounce_ms).await;
    }
}
