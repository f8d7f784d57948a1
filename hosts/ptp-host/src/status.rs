//! The device status of a camera: Get Device Status, the USB still-image
//! class request 0x67 (PTP/IP has no counterpart).

use crate::camera::Camera;
use crate::error::{Error, Result};
use crate::link::Link;
use crate::usb::StatusReport;

/// What [`Error::UsbOnly`] names for Get Device Status.
pub const GET_DEVICE_STATUS: &str = "Get Device Status (class request 0x67)";

impl Camera {
    /// Get Device Status (USB class request 0x67): the status code and its
    /// parameters. On PTP/IP: [`Error::UsbOnly`]. A device that answers
    /// with no data or malformed data: [`Error::DeviceStatus`].
    pub fn device_status(&mut self) -> Result<StatusReport> {
        match self.client().channel() {
            Link::Usb(channel) => channel.device_status().map_err(Error::DeviceStatus),
            Link::PtpIp(_) => Err(Error::UsbOnly(GET_DEVICE_STATUS)),
        }
    }
}
