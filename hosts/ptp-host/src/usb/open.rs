//! Opening a camera: our own libusb context, the device, the kernel
//! driver detached, the interface claimed, and a transaction left
//! unfinished by an earlier initiator cleared.

use super::holders::holders;
use super::{UsbCamera, UsbChannel, UsbEvents};
use crate::error::{Error, Result};
use rusb::{Context, UsbContext};
use std::sync::Arc;
use std::time::Duration;

/// A libusb context of our own; an error (not a panic) where there is no
/// USB at all.
pub fn context() -> Result<Context> {
    Context::new().map_err(Error::UsbUnavailable)
}

/// Opens `camera`: the command/data channel and the event channel.
/// `timeout` bounds each transfer.
pub fn open(
    context: &Context,
    camera: &UsbCamera,
    timeout: Duration,
) -> Result<(UsbChannel, UsbEvents)> {
    let device_name = camera.location();
    let usb = |doing: &'static str| move |error| Error::Usb { doing, error };
    let device = context
        .devices()
        .map_err(usb("listing devices"))?
        .iter()
        .find(|device| device.bus_number() == camera.bus && device.address() == camera.address)
        .ok_or_else(|| Error::NoDevice(format!("USB device {device_name} is gone")))?;
    let refused = |error: rusb::Error, doing: &'static str| match error {
        rusb::Error::Access => Error::PermissionDenied {
            device: device_name.clone(),
            node: camera.node(),
        },
        rusb::Error::Busy => Error::DeviceBusy {
            device: device_name.clone(),
            holders: holders(&camera.node()),
        },
        error => Error::Usb { doing, error },
    };
    let handle = device
        .open()
        .map_err(|error| refused(error, "opening the device"))?;
    let interface = camera.endpoints.interface;
    if handle.kernel_driver_active(interface).unwrap_or(false) {
        handle
            .detach_kernel_driver(interface)
            .map_err(|error| refused(error, "detaching the kernel driver"))?;
    }
    handle
        .claim_interface(interface)
        .map_err(|error| refused(error, "claiming the interface"))?;
    if camera.endpoints.setting != 0 {
        handle
            .set_alternate_setting(interface, camera.endpoints.setting)
            .map_err(usb("selecting the alternate setting"))?;
    }
    log::debug!("USB: claimed interface {interface} of {camera}");
    let handle = Arc::new(handle);
    let mut channel = UsbChannel::new(Arc::clone(&handle), camera.endpoints, timeout);
    channel
        .resync()
        .map_err(usb("clearing a transaction left unfinished"))?;
    Ok((channel, UsbEvents::new(handle, camera.endpoints)))
}
