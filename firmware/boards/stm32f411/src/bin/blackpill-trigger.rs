//! The Black Pill as a camera trigger over USB: the camera plugs into the
//! board's USB-C port (OTG_FS in host mode, powered from the board's 5 V),
//! the KEY button (PA0, to ground) releases the shutter. Each capture and
//! each disconnect is reported on defmt; after a disconnect the trigger
//! waits for the camera and opens it again.
#![no_std]
#![no_main]

use board_stm32f411::blackpill_clocks;
use board_stm32f411::otg_host::{HostInterrupt, usb_host};
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_stm32::exti::{self, ExtiInput};
use embassy_stm32::gpio::Pull;
use embassy_stm32::{bind_interrupts, interrupt};
use embassy_usb_host::BusState;
use panic_probe as _;
use ptp_embassy::trigger::usb_host::UsbHostConnector;
use ptp_embassy::trigger::{Buffers, EmbassyClock, FallingEdge, Settings, run};
use static_cell::StaticCell;

bind_interrupts!(struct Irqs {
    OTG_FS => HostInterrupt;
    EXTI0 => exti::InterruptHandler<interrupt::typelevel::EXTI0>;
});

/// Button bounce to ignore after a press, in milliseconds.
const DEBOUNCE_MS: u64 = 50;

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_stm32::init(blackpill_clocks());
    let host = usb_host(p.USB_OTG_FS, Irqs, p.PA12, p.PA11);
    static BUS: StaticCell<BusState> = StaticCell::new();
    let (controller, bus) = embassy_usb_host::bus(host, BUS.init(BusState::new()));
    static CONFIG: StaticCell<[u8; 256]> = StaticCell::new();
    let mut connector = UsbHostConnector::new(controller, bus, CONFIG.init([0; 256]));
    let button = ExtiInput::new(p.PA0, p.EXTI0, Pull::Up, Irqs);
    let mut source = FallingEdge::new(button, DEBOUNCE_MS);
    // 512 bytes, the client's least: the trigger moves little data.
    static RECEIVE: StaticCell<[u8; 512]> = StaticCell::new();
    let buffers = Buffers {
        receive: RECEIVE.init([0; 512]),
    };
    defmt::info!("trigger ready: plug in a camera, press KEY");
    run(
        &mut connector,
        &mut source,
        &EmbassyClock,
        buffers,
        &Settings::DEFAULT,
        |report| defmt::info!("trigger: {}", report),
    )
    .await
}
