//! What the example devices serve: a small object set in flash (a text
//! file and a 1×1 PNG), and the USB identity the boards report.

use crate::flash_store::FlashObject;
use crate::storage::format;

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
