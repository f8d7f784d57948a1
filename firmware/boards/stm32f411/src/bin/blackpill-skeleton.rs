//! The baseline the PTP firmware is measured against: the same board, USB
//! driver, executor and logging, and a bare embassy-usb device with an
//! empty Still Image (06/01/01) interface: the three endpoints exist and
//! bulk OUT packets are read and dropped, but nothing speaks PTP.
#![no_std]
#![no_main]

use board_stm32f411::{blackpill_clocks, usb_driver};
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_stm32::peripherals::USB_OTG_FS;
use embassy_stm32::usb::{self, Driver};
use embassy_stm32::{bind_interrupts, peripherals};
use embassy_usb::driver::{Endpoint, EndpointOut};
use embassy_usb::{Builder, Config, UsbDevice};
use panic_probe as _;
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB_OTG_FS>;

bind_interrupts!(struct Irqs {
    OTG_FS => usb::InterruptHandler<peripherals::USB_OTG_FS>;
});

#[embassy_executor::task]
async fn usb_task(mut usb: UsbDevice<'static, UsbDriver>) -> ! {
    usb.run().await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let p = embassy_stm32::init(blackpill_clocks());
    static EP_OUT: StaticCell<[u8; 256]> = StaticCell::new();
    let driver = usb_driver(p.USB_OTG_FS, Irqs, p.PA12, p.PA11, EP_OUT.init([0; 256]));

    let mut config = Config::new(0x1209, 0x0001);
    config.manufacturer = Some("ptp-rs");
    config.product = Some("Black Pill skeleton");
    config.serial_number = Some("F411-0001");
    static CONFIG_DESCRIPTOR: StaticCell<[u8; 128]> = StaticCell::new();
    static BOS_DESCRIPTOR: StaticCell<[u8; 16]> = StaticCell::new();
    static CONTROL_BUF: StaticCell<[u8; 64]> = StaticCell::new();
    let mut builder = Builder::new(
        driver,
        config,
        CONFIG_DESCRIPTOR.init([0; 128]),
        BOS_DESCRIPTOR.init([0; 16]),
        &mut [],
        CONTROL_BUF.init([0; 64]),
    );
    let mut function = builder.function(6, 1, 1);
    let mut interface = function.interface();
    let mut alt = interface.alt_setting(6, 1, 1, None);
    let _bulk_in = alt.endpoint_bulk_in(None, 64);
    let mut bulk_out = alt.endpoint_bulk_out(None, 64);
    let _interrupt_in = alt.endpoint_interrupt_in(None, 32, 10);
    drop(function);
    spawner.spawn(defmt::unwrap!(usb_task(builder.build())));

    let mut packet = [0u8; 64];
    loop {
        bulk_out.wait_enabled().await;
        while let Ok(len) = bulk_out.read(&mut packet).await {
            defmt::trace!("dropped {} bytes", len);
        }
    }
}
