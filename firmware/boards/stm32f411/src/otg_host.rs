//! USB host mode on the STM32F411's OTG_FS, for embassy-usb-host through
//! embassy-usb-synopsys-otg's `host` driver (embassy-stm32 only offers the
//! device side): clock on, PA11/PA12 to the OTG_FS alternate function,
//! the interrupt bound to the host driver's handler and unmasked.
//!
//! This is the firmware's only `unsafe` code: naming the register block,
//! the interrupt handler (which the driver requires to be unsafe) and
//! unmasking the interrupt.
#![allow(unsafe_code)]

use embassy_stm32::interrupt::typelevel::{Binding, Handler, Interrupt, OTG_FS};
use embassy_stm32::pac::gpio::vals::{Moder, Ospeedr};
use embassy_stm32::peripherals::{PA11, PA12, USB_OTG_FS};
use embassy_stm32::{Peri, pac, rcc};
use embassy_usb_synopsys_otg::PhyType;
use embassy_usb_synopsys_otg::host::{
    HostStateStorage, OtgHost, OtgHostInstance, on_host_interrupt,
};
use embassy_usb_synopsys_otg::otg_v1::Otg;

/// The OTG_FS register block (RM0383, memory map).
const OTG_FS_BASE: usize = 0x5000_0000;
/// Host channels of the OTG_FS core (RM0383 §22.1).
const HOST_CHANNELS: usize = 8;
/// OTG_FS FIFO RAM: 1.25 KiB (RM0383 §22.11).
const FIFO_DEPTH_WORDS: u16 = 320;
/// Alternate function 10: OTG_FS on PA11/PA12.
const AF_OTG_FS: u8 = 10;

/// The host driver's state, shared with its interrupt handler.
static STATE: HostStateStorage<HOST_CHANNELS> = HostStateStorage::new();

fn regs() -> Otg {
    // SAFETY: OTG_FS_BASE is the OTG_FS register block of the STM32F411;
    // only this module's driver and its interrupt handler use it.
    unsafe { Otg::from_ptr(OTG_FS_BASE as *mut ()) }
}

/// The OTG_FS interrupt, handled by the host driver.
pub struct HostInterrupt;

impl Handler<OTG_FS> for HostInterrupt {
    unsafe fn on_interrupt() {
        // SAFETY: called from the OTG_FS interrupt, with the controller
        // in host mode (only `usb_host` enables this interrupt).
        unsafe { on_host_interrupt(regs(), &STATE.as_host_state()) }
    }
}

/// The OTG_FS controller in host mode, on D+ PA12 and D- PA11; the binary
/// binds OTG_FS to [`HostInterrupt`]. The pins and the peripheral are taken
/// so nothing else can use them.
pub fn usb_host(
    _otg: Peri<'static, USB_OTG_FS>,
    _irqs: impl Binding<OTG_FS, HostInterrupt>,
    _dp: Peri<'static, PA12>,
    _dm: Peri<'static, PA11>,
) -> OtgHost<'static> {
    rcc::enable_and_reset::<USB_OTG_FS>();
    for pin in [11, 12] {
        pac::GPIOA
            .moder()
            .modify(|w| w.set_moder(pin, Moder::ALTERNATE));
        pac::GPIOA
            .ospeedr()
            .modify(|w| w.set_ospeedr(pin, Ospeedr::VERY_HIGH_SPEED));
        pac::GPIOA
            .afr(pin / 8)
            .modify(|w| w.set_afr(pin % 8, AF_OTG_FS));
    }
    OTG_FS::unpend();
    // SAFETY: the handler bound above is ready and owns the interrupt.
    unsafe { OTG_FS::enable() };
    OtgHost::new(OtgHostInstance {
        regs: regs(),
        state: STATE.as_host_state(),
        fifo_depth_words: FIFO_DEPTH_WORDS,
        phy_type: PhyType::InternalFullSpeed,
    })
}
