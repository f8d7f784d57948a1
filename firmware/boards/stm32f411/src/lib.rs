//! What the STM32F411 firmware shares: clocks for USB, the OTG_FS device
//! driver, and OTG_FS in host mode ([`otg_host`]).
#![no_std]

pub mod otg_host;

use embassy_stm32::interrupt::typelevel::{Binding, OTG_FS};
use embassy_stm32::peripherals::USB_OTG_FS;
use embassy_stm32::time::Hertz;
use embassy_stm32::{Peri, usb};

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
/// sensing (the Black Pill does not wire it). The binary binds OTG_FS to
/// embassy-stm32's `usb::InterruptHandler` (each binary binds it once,
/// to the device or to the host driver).
pub fn usb_driver<'d>(
    otg: Peri<'d, USB_OTG_FS>,
    irqs: impl Binding<OTG_FS, usb::InterruptHandler<USB_OTG_FS>> + 'd,
    dp: Peri<'d, embassy_stm32::peripherals::PA12>,
    dm: Peri<'d, embassy_stm32::peripherals::PA11>,
    ep_out_buffer: &'d mut [u8],
) -> usb::Driver<'d, USB_OTG_FS> {
    let mut config = usb::Config::default();
    config.vbus_detection = false;
    usb::Driver::new_fs(otg, irqs, dp, dm, ep_out_buffer, config)
}
