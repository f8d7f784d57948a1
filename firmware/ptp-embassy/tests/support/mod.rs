//! What the host tests share: the driver double, the host side on it, and
//! a rig that runs the real class, device task and `UsbDevice` against a
//! host task.
// Each test crate includes this module and uses a part of it.
#![allow(dead_code)]

pub mod host_pipes;
#[cfg(feature = "ptpip")]
pub mod std_tcp;
pub mod usb_double;
pub mod usb_host;
pub mod vendor_camera;

use embassy_futures::block_on;
use embassy_futures::select::{Either, Either3, select, select3};
use embassy_usb::{Builder, Config};
use ptp_embassy::storage::format;
use ptp_embassy::{
    Device, DeviceHandler, FlashObject, FlashStore, Identity, ObjectServer, State, StillImageClass,
};
use std::future::Future;
use std::time::{Duration, Instant};
use usb_double::{HostDouble, double};

/// The bulk endpoints' max packet size (full speed).
pub const MAX_PACKET_SIZE: u16 = 64;
/// Captures the test store has room for.
pub const CAPTURES: usize = 3;
/// A whole test may take this long.
const TEST_LIMIT: Duration = Duration::from_secs(20);

/// Bytes of the large flash object: enough packets for a cancel to land
/// in the middle of its transfer.
pub const BIG_LEN: usize = 8192;

const fn big() -> [u8; BIG_LEN] {
    let mut bytes = [0u8; BIG_LEN];
    let mut index = 0;
    while index < BIG_LEN {
        bytes[index] = (index * 7 % 251) as u8;
        index += 1;
    }
    bytes
}

/// The large object's bytes.
pub static BIG: [u8; BIG_LEN] = big();

/// A readme whose container (12 + 52 bytes) is a whole number of packets,
/// so its transfer needs a zero-length packet.
pub static README: &[u8; 52] = b"ptp-embassy test store: two files and a camera.....\n";

/// The flash objects of the test store (handles 1, 2).
pub static OBJECTS: [FlashObject; 2] = [
    FlashObject {
        name: "README.TXT",
        format: format::TEXT,
        capture_date: "20250102T030405",
        data: README,
    },
    FlashObject {
        name: "BIG.BIN",
        format: format::UNDEFINED,
        capture_date: "",
        data: &BIG,
    },
];

/// The identity the device reports.
pub const IDENTITY: Identity = Identity {
    manufacturer: "ptp-rs",
    model: "ptp-embassy test device",
    version: "0.1.0",
    serial: "0123456789",
};

/// Runs the real USB device stack (embassy-usb's `UsbDevice`, the
/// [`StillImageClass`] and the [`Device`] task serving an [`ObjectServer`]
/// over a [`FlashStore`]) on the driver double, with `host` playing the
/// host; returns what `host` returns. Fails the test after 20 s.
pub fn with_device<F, Fut, T>(host: F) -> T
where
    F: FnOnce(HostDouble) -> Fut,
    Fut: Future<Output = T>,
{
    let mut server: ObjectServer<FlashStore<CAPTURES>> =
        ObjectServer::new(FlashStore::new(&OBJECTS), IDENTITY);
    with_handler(&mut server, host)
}

/// [`with_device`] with another device handler.
pub fn with_handler<H, F, Fut, T>(handler: &mut H, host: F) -> T
where
    H: DeviceHandler,
    F: FnOnce(HostDouble) -> Fut,
    Fut: Future<Output = T>,
{
    let (driver, host_double) = double();
    let mut config = Config::new(0x1209, 0x0001);
    config.manufacturer = Some("ptp-rs");
    config.product = Some("ptp-embassy test device");
    let mut config_descriptor = [0u8; 256];
    let mut bos_descriptor = [0u8; 256];
    let mut msos_descriptor = [0u8; 0];
    let mut control_buf = [0u8; 64];
    let mut state = State::new();
    let mut builder = Builder::new(
        driver,
        config,
        &mut config_descriptor,
        &mut bos_descriptor,
        &mut msos_descriptor,
        &mut control_buf,
    );
    let class = StillImageClass::new(&mut builder, &mut state, MAX_PACKET_SIZE);
    let mut usb = builder.build();
    let mut rx = [0u8; 512];
    let mut tx = [0u8; 512];
    let mut device = Device::new(class, &mut rx, &mut tx).expect("buffers fit");
    let deadline = Instant::now() + TEST_LIMIT;
    let host_task = select(host(host_double), usb_host::sleep_until(deadline));
    match block_on(select3(usb.run(), device.run(handler), host_task)) {
        Either3::Third(Either::First(result)) => result,
        Either3::Third(Either::Second(())) => panic!("the test ran over {TEST_LIMIT:?}"),
    }
}
