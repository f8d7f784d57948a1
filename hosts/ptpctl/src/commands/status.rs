//! `ptpctl status`: Get Device Status, the USB class request 0x67.

use super::Outcome;
use crate::cli::Cli;
use crate::connect;
use crate::names::{bare_name, name};
use crate::output::{print_json, say};
use ptp_core::codes::Kind;
use ptp_host::status::GET_DEVICE_STATUS;
use ptp_host::{Error, Target};

/// Shows the device status; over PTP/IP, says it exists only on USB
/// (before connecting: no camera is needed to know that).
pub fn run(cli: &Cli, json: bool) -> Outcome {
    if let Target::PtpIp(_) = connect::target(cli)? {
        return Err(Error::UsbOnly(GET_DEVICE_STATUS).into());
    }
    let mut camera = connect::open(cli)?;
    let status = camera.device_status()?;
    let codes = camera.code_set();
    let code = u32::from(status.code);
    if json {
        print_json(&serde_json::json!({
            "transport": "usb",
            "request": 0x67,
            "code": status.code,
            "name": bare_name(codes, Kind::Response, code),
            "ok": status.is_ok(),
            "params": status.params,
        }))?;
        return Ok(());
    }
    match bare_name(codes, Kind::Response, code) {
        Some(_) => say!(
            "device status: {} (0x{:04X})",
            name(codes, Kind::Response, code),
            status.code
        ),
        None => say!(
            "device status: 0x{:04X} (no response code of that number in the tables)",
            status.code
        ),
    }
    if status.params.is_empty() {
        say!("parameters: none");
    } else {
        let params: Vec<String> = status
            .params
            .iter()
            .map(|param| format!("0x{param:08X}"))
            .collect();
        say!(
            "parameters: {} (after a stall: the stalled endpoints)",
            params.join(" ")
        );
    }
    Ok(())
}
