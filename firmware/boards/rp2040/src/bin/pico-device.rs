//! The Raspberry Pi Pico as a PTP camera over USB: the Still Image class serving
//! the example object set; InitiateCapture adds a picture and sends
//! ObjectAdded and CaptureComplete on the interrupt endpoint.
#![no_std]
#![no_main]

use board_rp2040::usb_driver;
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_rp::peripherals::USB;
use embassy_rp::usb::Driver;
use embassy_usb::UsbDevice;
use panic_probe as _;
use ptp_embassy::Identity;
use ptp_embassy::example;
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB>;

const IDENTITY: Identity = Identity {
    manufacturer: example::MANUFACTURER,
    model: "Pico PTP camera",
    version: env!("CARGO_PKG_VERSION"),
    serial: "RP2040-0001",
};

#[embassy_executor::task]
async fn usb_task(mut usb: UsbDevice<'static, UsbDriver>) -> ! {
    usb.run().await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let p = embassy_rp::init(Default::default());
    let driver = usb_driver(p.USB);

    static PARTS: StaticCell<example::Parts> = StaticCell::new();
    let parts = PARTS.init(example::Parts::new());
    let (usb, mut device, server) = defmt::unwrap!(example::device(driver, IDENTITY, parts));
    spawner.spawn(defmt::unwrap!(usb_task(usb)));
    defmt::info!("PTP device ready: {}", IDENTITY.model);
    device.run(server).await
}
