//! What the example devices serve: a small object set in flash (a text
//! file and a 1×1 PNG), and the USB identity the boards report.

use crate::class::{State, StillImageClass};
use crate::device::{BufferTooSmall, Device};
use crate::flash_store::{FlashObject, FlashStore};
use crate::object_server::{Identity, ObjectServer};
use crate::storage::format;
use embassy_usb::driver::Driver;
use embassy_usb::{Builder, Config, UsbDevice};

/// The text file.
const README: &[u8] = b"This camera is a microcontroller running ptp-embassy.\n\
Trigger a capture (InitiateCapture) to add a picture.\n";

/// A 1x1 grey PNG (67 bytes).
const DOT_PNG: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B,
    0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x68, 0x00, 0x00, 0x00,
    0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// The example object set.
pub static OBJECTS: [FlashObject; 2] = [
    FlashObject {
        name: "README.TXT",
        format: format::TEXT,
        capture_date: "20250101T000000",
        data: README,
    },
    FlashObject {
        name: "DOT.PNG",
        format: format::PNG,
        capture_date: "20250101T000000",
        data: &DOT_PNG,
    },
];

/// Captures the example store has room for.
pub const CAPTURES: usize = 8;

/// USB vendor id of the examples (pid.codes test VID).
pub const USB_VID: u16 = 0x1209;
/// USB product id of the examples (pid.codes test PID).
pub const USB_PID: u16 = 0x0001;
/// Manufacturer, in the USB strings and DeviceInfo.
pub const MANUFACTURER: &str = "ptp-rs";

/// The example device's object server: the flash object set with room for
/// [`CAPTURES`] captures.
pub type ExampleServer = ObjectServer<FlashStore<CAPTURES>>;

/// Every buffer the example device needs, owned by the board (one
/// `StaticCell<Parts>`), so each board file only supplies its driver.
pub struct Parts {
    config_descriptor: [u8; 128],
    bos_descriptor: [u8; 16],
    control: [u8; 64],
    state: State<'static>,
    rx: [u8; 128],
    tx: [u8; 256],
    server: Option<ExampleServer>,
}

impl Parts {
    /// Zeroed buffers.
    pub fn new() -> Self {
        Parts {
            config_descriptor: [0; 128],
            bos_descriptor: [0; 16],
            control: [0; 64],
            state: State::new(),
            rx: [0; 128],
            tx: [0; 256],
            server: None,
        }
    }
}

impl Default for Parts {
    fn default() -> Self {
        Self::new()
    }
}

/// The example device on `driver`: the USB device to run in its own task,
/// the PTP device, and the object server it serves (64-byte packets, the
/// full-speed size).
// Out of line: inlined into the board's async `main`, the builder's
// locals became state of its future and cost about 500 B more flash.
#[inline(never)]
pub fn device<D: Driver<'static>>(
    driver: D,
    identity: Identity,
    parts: &'static mut Parts,
) -> Result<
    (
        UsbDevice<'static, D>,
        Device<'static, 'static, D>,
        &'static mut ExampleServer,
    ),
    BufferTooSmall,
> {
    let mut config = Config::new(USB_VID, USB_PID);
    config.manufacturer = Some(MANUFACTURER);
    config.product = Some(identity.model);
    config.serial_number = Some(identity.serial);
    let mut builder = Builder::new(
        driver,
        config,
        &mut parts.config_descriptor,
        &mut parts.bos_descriptor,
        &mut [],
        &mut parts.control,
    );
    let class = StillImageClass::new(&mut builder, &mut parts.state, 64);
    let usb = builder.build();
    let device = Device::new(class, &mut parts.rx, &mut parts.tx)?;
    let server = parts
        .server
        .insert(ObjectServer::new(FlashStore::new(&OBJECTS), identity));
    Ok((usb, device, server))
}
