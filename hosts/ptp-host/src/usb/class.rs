//! The still-image class requests on the control endpoint (PIMA 15740 USB
//! SIC §5.2): Cancel (0x64), Get Extended Event Data (0x65), Device Reset
//! (0x66), Get Device Status (0x67). The payloads are built and parsed by
//! ptp-core.

use super::status::{StatusError, StatusReport};
use ptp_core::dataset::ExtendedEventData;
use rusb::{Context, DeviceHandle};
use std::time::Duration;

/// Host to device, class, interface.
const OUT: u8 = 0x21;
/// Device to host, class, interface.
const IN: u8 = 0xA1;
const CANCEL: u8 = 0x64;
const GET_EXTENDED_EVENT_DATA: u8 = 0x65;
const DEVICE_RESET: u8 = 0x66;
const GET_DEVICE_STATUS: u8 = 0x67;

/// Cancel (0x64) with the 6 bytes the initiator engine emitted.
pub fn cancel(
    handle: &DeviceHandle<Context>,
    interface: u8,
    request: &[u8],
    timeout: Duration,
) -> rusb::Result<()> {
    handle
        .write_control(OUT, CANCEL, 0, u16::from(interface), request, timeout)
        .map(drop)
}

/// Device Reset (0x66): the device closes its session.
pub fn device_reset(
    handle: &DeviceHandle<Context>,
    interface: u8,
    timeout: Duration,
) -> rusb::Result<()> {
    handle
        .write_control(OUT, DEVICE_RESET, 0, u16::from(interface), &[], timeout)
        .map(drop)
}

/// Get Device Status (0x67): the status code and its parameters (the
/// stalled endpoints). An empty or malformed answer is a [`StatusError`].
pub fn device_status(
    handle: &DeviceHandle<Context>,
    interface: u8,
    timeout: Duration,
) -> Result<StatusReport, StatusError> {
    let mut buffer = [0u8; 64];
    let len = handle
        .read_control(
            IN,
            GET_DEVICE_STATUS,
            0,
            u16::from(interface),
            &mut buffer,
            timeout,
        )
        .map_err(StatusError::Usb)?;
    StatusReport::parse(buffer.get(..len).unwrap_or(&[]))
}

/// Get Extended Event Data (0x65): event code, transaction and the raw
/// parameters (each as sent).
pub fn extended_event_data(
    handle: &DeviceHandle<Context>,
    interface: u8,
    timeout: Duration,
) -> rusb::Result<(u16, u32, Vec<Vec<u8>>)> {
    let mut buffer = vec![0u8; 512];
    let len = handle.read_control(
        IN,
        GET_EXTENDED_EVENT_DATA,
        0,
        u16::from(interface),
        &mut buffer,
        timeout,
    )?;
    let data =
        ExtendedEventData::parse(buffer.get(..len).unwrap_or(&[])).map_err(|_| rusb::Error::Io)?;
    let params = data.params.iter().map(<[u8]>::to_vec).collect();
    Ok((data.event_code, data.transaction_id, params))
}
