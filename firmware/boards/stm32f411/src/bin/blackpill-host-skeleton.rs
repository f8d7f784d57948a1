//! The baseline the USB-host trigger is measured against: the same board,
//! host driver glue, executor and logging, and bare embassy-usb-host that
//! waits for a device and enumerates it, but speaks no PTP.
#![no_std]
#![no_main]

use board_stm32f411::blackpill_clocks;
use board_stm32f411::otg_host::{HostInterrupt, usb_host};
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_stm32::bind_interrupts;
use embassy_usb_host::{BusRoute, BusState};
use panic_probe as _;
use static_cell::StaticCell;

bind_interrupts!(struct Irqs {
    OTG_FS => HostInterrupt;
});

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_stm32::init(blackpill_clocks());
    let host = usb_host(p.USB_OTG_FS, Irqs, p.PA12, p.PA11);
    static BUS: StaticCell<BusState> = StaticCell::new();
    let (mut controller, bus) = embassy_usb_host::bus(host, BUS.init(BusState::new()));
    static CONFIG: StaticCell<[u8; 256]> = StaticCell::new();
    let config = CONFIG.init([0; 256]);
    loop {
        let speed = controller.wait_for_connection().await;
        match bus.enumerate(BusRoute::Direct(speed), config).await {
            Ok((info, len)) => {
                defmt::info!(
                    "device {} enumerated, {} bytes of configuration",
                    info.device_address,
                    len
                );
                bus.free_address(info.device_address);
            }
            Err(error) => defmt::warn!("enumeration failed: {}", error),
        }
    }
}
