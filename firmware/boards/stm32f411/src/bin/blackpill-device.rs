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
use embassy_usb::{Builder, Config, UsbDevice};
use panic_probe as _;
use ptp_embassy::example::{self, CAPTURES};
use ptp_embassy::{Device, FlashStore, Identity, ObjectServer, State, StillImageClass};
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB_OTG_FS>;

bind_interrupts!(struct Irqs {
    OTG_FS => usb::InterruptHandler<peripherals::USB_OTG_FS>;
});
type Server = ObjectServer<FlashStore<CAPTURES>>;

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
