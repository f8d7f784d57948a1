//! Finding cameras: interfaces of class 06/01/01 (still image), or vendor
//! class 0xFF whose interface string says "MTP", with a bulk IN, a bulk OUT
//! and an interrupt IN endpoint.

use rusb::{Context, Device, Direction, TransferType, UsbContext};
use std::fmt;
use std::time::Duration;

const STILL_IMAGE: (u8, u8, u8) = (0x06, 0x01, 0x01);
const VENDOR_CLASS: u8 = 0xFF;
const STRING_TIMEOUT: Duration = Duration::from_millis(500);

/// The endpoints of a camera's interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// The interface number.
    pub interface: u8,
    /// Its alternate setting.
    pub setting: u8,
    /// Bulk IN address.
    pub bulk_in: u8,
    /// Bulk OUT address.
    pub bulk_out: u8,
    /// Interrupt IN address (events), if any.
    pub interrupt_in: Option<u8>,
    /// wMaxPacketSize of bulk IN.
    pub in_packet: u16,
    /// wMaxPacketSize of bulk OUT.
    pub out_packet: u16,
}

/// A camera found on the bus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsbCamera {
    /// Bus number.
    pub bus: u8,
    /// Device address on the bus.
    pub address: u8,
    /// idVendor.
    pub vendor_id: u16,
    /// idProduct.
    pub product_id: u16,
    /// Manufacturer string, when it could be read.
    pub manufacturer: Option<String>,
    /// Product string, when it could be read.
    pub product: Option<String>,
    /// Whether it was recognised as MTP (vendor class + "MTP" string)
    /// rather than 06/01/01.
    pub mtp: bool,
    /// The interface and its endpoints.
    pub endpoints: Endpoints,
    /// Why the strings could not be read (usually permissions).
    pub note: Option<String>,
}

impl UsbCamera {
    /// `BUS:ADDR`, as `--usb` takes it.
    pub fn location(&self) -> String {
        format!("{:03}:{:03}", self.bus, self.address)
    }

    /// The device node.
    pub fn node(&self) -> String {
        format!("/dev/bus/usb/{:03}/{:03}", self.bus, self.address)
    }
}

impl fmt::Display for UsbCamera {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:04x}:{:04x}",
            self.location(),
            self.vendor_id,
            self.product_id
        )?;
        let name: Vec<&str> = [self.manufacturer.as_deref(), self.product.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !name.is_empty() {
            write!(f, " {}", name.join(" "))?;
        }
        f.write_str(if self.mtp { " (MTP)" } else { " (PTP)" })?;
        if let Some(note) = &self.note {
            write!(f, " [{note}]")?;
        }
        Ok(())
    }
}

/// Every camera on every bus.
pub fn list(context: &Context) -> rusb::Result<Vec<UsbCamera>> {
    let devices = context.devices()?;
    Ok(devices
        .iter()
        .filter_map(|device| camera(&device))
        .collect())
}

/// The camera interface of `device`, if it has one.
fn camera(device: &Device<Context>) -> Option<UsbCamera> {
    let descriptor = device.device_descriptor().ok()?;
    let config = device
        .active_config_descriptor()
        .or_else(|_| device.config_descriptor(0))
        .ok()?;
    let handle = device.open();
    let language = handle
        .as_ref()
        .ok()
        .and_then(|handle| handle.read_languages(STRING_TIMEOUT).ok())
        .and_then(|languages| languages.first().copied());
    let mut found = None;
    for interface in config.interfaces() {
        for setting in interface.descriptors() {
            let class = (
                setting.class_code(),
                setting.sub_class_code(),
                setting.protocol_code(),
            );
            let mtp = class.0 == VENDOR_CLASS
                && match (&handle, language) {
                    (Ok(handle), Some(language)) => handle
                        .read_interface_string(language, &setting, STRING_TIMEOUT)
                        .is_ok_and(|name| name.contains("MTP")),
                    _ => false,
                };
            if class != STILL_IMAGE && !mtp {
                continue;
            }
            let mut endpoints = Endpoints {
                interface: setting.interface_number(),
                setting: setting.setting_number(),
                bulk_in: 0,
                bulk_out: 0,
                interrupt_in: None,
                in_packet: 512,
                out_packet: 512,
            };
            for endpoint in setting.endpoint_descriptors() {
                match (endpoint.transfer_type(), endpoint.direction()) {
                    (TransferType::Bulk, Direction::In) => {
                        endpoints.bulk_in = endpoint.address();
                        endpoints.in_packet = endpoint.max_packet_size().max(8);
                    }
                    (TransferType::Bulk, Direction::Out) => {
                        endpoints.bulk_out = endpoint.address();
                        endpoints.out_packet = endpoint.max_packet_size().max(8);
                    }
                    (TransferType::Interrupt, Direction::In) => {
                        endpoints.interrupt_in = Some(endpoint.address());
                    }
                    _ => {}
                }
            }
            if endpoints.bulk_in != 0 && endpoints.bulk_out != 0 && found.is_none() {
                found = Some((endpoints, mtp));
            }
        }
    }
    let (endpoints, mtp) = found?;
    let read = |index: Option<u8>| -> Option<String> {
        let (handle, language) = (handle.as_ref().ok()?, language?);
        handle
            .read_string_descriptor(language, index?, STRING_TIMEOUT)
            .ok()
    };
    Some(UsbCamera {
        bus: device.bus_number(),
        address: device.address(),
        vendor_id: descriptor.vendor_id(),
        product_id: descriptor.product_id(),
        manufacturer: read(descriptor.manufacturer_string_index()),
        product: read(descriptor.product_string_index()),
        mtp,
        endpoints,
        note: handle.err().map(|error| match error {
            rusb::Error::Access => "no permission to open: see the udev rule in the docs".into(),
            other => format!("cannot open: {other}"),
        }),
    })
}

/// Parses `BUS:ADDR` (decimal).
pub fn parse_location(text: &str) -> Option<(u8, u8)> {
    let (bus, address) = text.split_once(':')?;
    Some((bus.trim().parse().ok()?, address.trim().parse().ok()?))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn locations_parse() {
        assert_eq!(parse_location("001:004"), Some((1, 4)));
        assert_eq!(parse_location("3:12"), Some((3, 12)));
        assert_eq!(parse_location("3"), None);
        assert_eq!(parse_location("a:b"), None);
    }
}
