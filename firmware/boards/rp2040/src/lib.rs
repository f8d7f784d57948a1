//! What the RP2040 firmware shares: the USB device driver.
#![no_std]

use embassy_rp::peripherals::USB;
use embassy_rp::usb::{Driver, InterruptHandler};
use embassy_rp::{Peri, bind_interrupts};

bind_interrupts!(
    /// The USB controller interrupt, bound to embassy-rp's USB driver.
    pub struct Irqs {
        USBCTRL_IRQ => InterruptHandler<USB>;
    }
);

/// The full-speed USB device driver.
pub fn usb_driver<'d>(usb: Peri<'d, USB>) -> Driver<'d, USB> {
    Driver::new(usb, Irqs)
}
