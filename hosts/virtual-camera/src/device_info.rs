//! DeviceInfo: exactly the operations, events and properties this camera
//! implements, with the identity of its profile.

use crate::formats;
use crate::profile::Profile;
use ptp_core::dataset::DeviceInfo;
use ptp_core::wire::{Array, PtpString};

/// Operation codes (standard PTP).
pub mod op {
    use ptp_core::codes::standard::Operation;

    /// GetDeviceInfo.
    pub const GET_DEVICE_INFO: u16 = Operation::GetDeviceInfo.code();
    /// OpenSession (handled by the engine).
    pub const OPEN_SESSION: u16 = Operation::OpenSession.code();
    /// CloseSession (handled by the engine).
    pub const CLOSE_SESSION: u16 = Operation::CloseSession.code();
    /// GetStorageIDs.
    pub const GET_STORAGE_IDS: u16 = Operation::GetStorageIDs.code();
    /// GetStorageInfo.
    pub const GET_STORAGE_INFO: u16 = Operation::GetStorageInfo.code();
    /// GetNumObjects.
    pub const GET_NUM_OBJECTS: u16 = Operation::GetNumObjects.code();
    /// GetObjectHandles.
    pub const GET_OBJECT_HANDLES: u16 = Operation::GetObjectHandles.code();
    /// GetObjectInfo.
    pub const GET_OBJECT_INFO: u16 = Operation::GetObjectInfo.code();
    /// GetObject.
    pub const GET_OBJECT: u16 = Operation::GetObject.code();
    /// GetThumb.
    pub const GET_THUMB: u16 = Operation::GetThumb.code();
    /// DeleteObject.
    pub const DELETE_OBJECT: u16 = Operation::DeleteObject.code();
    /// SendObjectInfo.
    pub const SEND_OBJECT_INFO: u16 = Operation::SendObjectInfo.code();
    /// SendObject.
    pub const SEND_OBJECT: u16 = Operation::SendObject.code();
    /// InitiateCapture.
    pub const INITIATE_CAPTURE: u16 = Operation::InitiateCapture.code();
    /// GetDevicePropDesc.
    pub const GET_DEVICE_PROP_DESC: u16 = Operation::GetDevicePropDesc.code();
    /// GetDevicePropValue.
    pub const GET_DEVICE_PROP_VALUE: u16 = Operation::GetDevicePropValue.code();
    /// SetDevicePropValue.
    pub const SET_DEVICE_PROP_VALUE: u16 = Operation::SetDevicePropValue.code();
    /// ResetDevicePropValue.
    pub const RESET_DEVICE_PROP_VALUE: u16 = Operation::ResetDevicePropValue.code();
    /// MoveObject.
    pub const MOVE_OBJECT: u16 = Operation::MoveObject.code();
    /// CopyObject.
    pub const COPY_OBJECT: u16 = Operation::CopyObject.code();
    /// GetPartialObject.
    pub const GET_PARTIAL_OBJECT: u16 = Operation::GetPartialObject.code();
}

/// Event codes (standard PTP).
pub mod event {
    use ptp_core::codes::standard::Event;

    /// ObjectAdded: parameter 1 is the new handle.
    pub const OBJECT_ADDED: u16 = Event::ObjectAdded.code();
    /// ObjectRemoved: parameter 1 is the old handle.
    pub const OBJECT_REMOVED: u16 = Event::ObjectRemoved.code();
    /// DevicePropChanged: parameter 1 is the property code.
    pub const DEVICE_PROP_CHANGED: u16 = Event::DevicePropChanged.code();
    /// CaptureComplete: after InitiateCapture, with its transaction id.
    pub const CAPTURE_COMPLETE: u16 = Event::CaptureComplete.code();
}

/// Every operation the camera answers.
pub const OPERATIONS: [u16; 21] = [
    op::GET_DEVICE_INFO,
    op::OPEN_SESSION,
    op::CLOSE_SESSION,
    op::GET_STORAGE_IDS,
    op::GET_STORAGE_INFO,
    op::GET_NUM_OBJECTS,
    op::GET_OBJECT_HANDLES,
    op::GET_OBJECT_INFO,
    op::GET_OBJECT,
    op::GET_THUMB,
    op::DELETE_OBJECT,
    op::SEND_OBJECT_INFO,
    op::SEND_OBJECT,
    op::INITIATE_CAPTURE,
    op::GET_DEVICE_PROP_DESC,
    op::GET_DEVICE_PROP_VALUE,
    op::SET_DEVICE_PROP_VALUE,
    op::RESET_DEVICE_PROP_VALUE,
    op::MOVE_OBJECT,
    op::COPY_OBJECT,
    op::GET_PARTIAL_OBJECT,
];

/// Every event the camera sends.
pub const EVENTS: [u16; 4] = [
    event::OBJECT_ADDED,
    event::OBJECT_REMOVED,
    event::DEVICE_PROP_CHANGED,
    event::CAPTURE_COMPLETE,
];

/// The DeviceInfo bytes for `profile`, listing `properties`.
pub fn emit(
    profile: Profile,
    serial: &str,
    properties: &[u16],
) -> Result<Vec<u8>, ptp_core::EncodeError> {
    let identity = profile.identity();
    let playback = formats::all();
    let capture = [formats::EXIF_JPEG];
    let info = DeviceInfo {
        standard_version: identity.standard_version,
        vendor_extension_id: identity.vendor_extension_id,
        vendor_extension_version: identity.vendor_extension_version,
        vendor_extension_desc: PtpString::Str(identity.vendor_extension_desc),
        functional_mode: 0,
        operations_supported: Array::Slice(&OPERATIONS),
        events_supported: Array::Slice(&EVENTS),
        device_properties_supported: Array::Slice(properties),
        capture_formats: Array::Slice(&capture),
        playback_formats: Array::Slice(&playback),
        manufacturer: PtpString::Str(identity.manufacturer),
        model: PtpString::Str(identity.model),
        device_version: PtpString::Str(identity.device_version),
        serial_number: PtpString::Str(serial),
    };
    let mut bytes = vec![0; info.buffer_len()];
    let len = info.emit(&mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn device_info_lists_what_is_implemented() {
        let bytes = emit(Profile::Generic, "0001", &[0x5001]).unwrap();
        let info = DeviceInfo::parse(&bytes).unwrap();
        assert!(info.operations_supported.iter().eq(OPERATIONS));
        assert!(info.events_supported.iter().eq(EVENTS));
        assert!(info.device_properties_supported.iter().eq([0x5001]));
        assert!(info.model.eq_str("Virtual Camera"));
        assert!(info.playback_formats.contains(0x3801));
    }
}
