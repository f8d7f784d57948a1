//! `ptpctl list`: cameras on USB.

use super::Outcome;
use crate::output::print_json;
use crate::output::say;
use ptp_host::usb;

/// Lists the cameras found on USB.
pub fn run(json: bool) -> Outcome {
    let context = usb::context()?;
    let cameras = usb::discovery::list(&context).map_err(ptp_host::Error::UsbUnavailable)?;
    if json {
        let list: Vec<_> = cameras
            .iter()
            .map(|camera| {
                serde_json::json!({
                    "usb": camera.location(),
                    "vendor_id": format!("{:04x}", camera.vendor_id),
                    "product_id": format!("{:04x}", camera.product_id),
                    "manufacturer": camera.manufacturer,
                    "product": camera.product,
                    "mtp": camera.mtp,
                    "interface": camera.endpoints.interface,
                    "note": camera.note,
                })
            })
            .collect();
        print_json(&serde_json::Value::from(list))?;
    } else if cameras.is_empty() {
        say!("no PTP/MTP camera found on USB (is it on, and in PTP or MTP mode?)");
    } else {
        for camera in cameras {
            say!("{camera}");
        }
    }
    Ok(())
}
