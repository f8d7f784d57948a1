//! The Black Pill as a PTP camera over USB: the Still Image class serving
//! the example object set; InitiateCapture adds a picture and sends
//! ObjectAdded and CaptureComplete on the interrupt endpoint.
#![no_std]
#![no_main]

use board_stm32f411::{blackpill_clocks, usb_driver};
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_stm32::peripherals::USB_OTG_FS;
use embassy_stm32::usb::{self, Driver};
use embassy_stm32::{bind_interrupts, peripherals};
use embassy_usb::UsbDevice;
use panic_probe as _;
use ptp_embassy::Identity;
use ptp_embassy::example;
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB_OTG_FS>;

bind_interrupts!(struct Irqs {
    OTG_FS => usb::InterruptHandler<peripherals::USB_OTG_FS>;
});

const IDENTITY: Identity = Identity {
    manufacturer: example::MANUFACTURER,
    model: "Black Pill PTP camera",
    version: env!("CARGO_PKG_VERSION"),
    serial: "F411-0001",
};

#[embassy_executor::task]
async fn usb_task(mut usb: UsbDevice<'static, UsbDriver>) -> ! {
    usb.run().await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let p = embassy_stm32::init(blackpill_clocks());
    static EP_OUT: StaticCell<[u8; 256]> = StaticCell::new();
    let driver = usb_driver(p.USB_OTG_FS, Irqs, p.PA12, p.PA11, EP_OUT.init([0; 256]));

    static PARTS: StaticCell<example::Parts> = StaticCell::new();
    let parts = PARTS.init(example::Parts::new());
    let (usb, mut device, server) = defmt::unwrap!(example::device(driver, IDENTITY, parts));
    spawner.spawn(defmt::unwrap!(usb_task(usb)));
    defmt::info!("PTP device ready: {}", IDENTITY.model);
    device.run(server).await
}
