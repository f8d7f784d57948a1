//! What the STM32F411 firmware shares: clocks for USB and the OTG_FS
//! device driver.
#![no_std]

use embassy_stm32::peripherals::USB_OTG_FS;
use embassy_stm32::time::Hertz;
use embassy_stm32::{Peri, bind_interrupts, peripherals, usb};

bind_interrupts!(
    /// The OTG_FS interrupt, bound to embassy-stm32's USB driver.
    pub struct Irqs {
        OTG_FS => usb::InterruptHandler<peripherals::USB_OTG_FS>;
    }
);

/// The Black Pill's clocks: 25 MHz crystal, 96 MHz system clock, 48 MHz
/// for USB.
pub fn blackpill_clocks() -> embassy_stm32::Config {
    use embassy_stm32::rcc::*;
    let mut config = embassy_stm32::Config::default();
    config.rcc.hse = Some(Hse {
        freq: Hertz::mhz(25),
        mode: HseMode::Oscillator,
    });
    config.rcc.pll_src = PllSource::HSE;
    config.rcc.pll = Some(Pll {
        prediv: PllPreDiv::DIV25,
        mul: PllMul::MUL192,
        divp: Some(PllPDiv::DIV2),
        divq: Some(PllQDiv::DIV4),
        divr: None,
    });
    config.rcc.ahb_pre = AHBPrescaler::DIV1;
    config.rcc.apb1_pre = APBPrescaler::DIV2;
    config.rcc.apb2_pre = APBPrescaler::DIV1;
    config.rcc.sys = Sysclk::PLL1_P;
    config
}

/// The full-speed USB device driver on PA12 (D+) / PA11 (D-), without VBUS
/// sensing (the Black Pill does not wire it).
pub fn usb_driver<'d>(
    otg: Peri<'d, USB_OTG_FS>,
    dp: Peri<'d, embassy_stm32::peripherals::PA12>,
    dm: Peri<'d, embassy_stm32::peripherals::PA11>,
    ep_out_buffer: &'d mut [u8],
) -> usb::Driver<'d, USB_OTG_FS> {
    let mut config = usb::Config::default();
    config.vbus_detection = false;
    usb::Driver::new_fs(otg, Irqs, dp, dm, ep_out_buffer, config)
}
