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
use embassy_usb::{Builder, Config, UsbDevice};
use panic_probe as _;
use ptp_embassy::example::{self, CAPTURES};
use ptp_embassy::{Device, FlashStore, Identity, ObjectServer, State, StillImageClass};
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB>;
type Server = ObjectServer<FlashStore<CAPTURES>>;

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

    let mut config = Config::new(example::USB_VID, example::USB_PID);
    config.manufacturer = Some(example::MANUFACTURER);
    config.product = Some(IDENTITY.model);
    config.serial_number = Some(IDENTITY.serial);
    static CONFIG_DESCRIPTOR: StaticCell<[u8; 128]> = StaticCell::new();
    static BOS_DESCRIPTOR: StaticCell<[u8; 16]> = StaticCell::new();
    static CONTROL_BUF: StaticCell<[u8; 64]> = StaticCell::new();
    static STATE: StaticCell<State<'static>> = StaticCell::new();
    let mut builder = Builder::new(
        driver,
        config,
        CONFIG_DESCRIPTOR.init([0; 128]),
        BOS_DESCRIPTOR.init([0; 16]),
        &mut [],
        CONTROL_BUF.init([0; 64]),
    );
    let class = StillImageClass::new(&mut builder, STATE.init(State::new()), 64);
    spawner.spawn(defmt::unwrap!(usb_task(builder.build())));

    static RX: StaticCell<[u8; 128]> = StaticCell::new();
    static TX: StaticCell<[u8; 256]> = StaticCell::new();
    static SERVER: StaticCell<Server> = StaticCell::new();
    let mut device = defmt::unwrap!(Device::new(class, RX.init([0; 128]), TX.init([0; 256])));
    let server = SERVER.init(ObjectServer::new(
        FlashStore::new(&example::OBJECTS),
        IDENTITY,
    ));
    defmt::info!("PTP device ready: {}", IDENTITY.model);
    device.run(server).await
}
