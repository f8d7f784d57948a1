//! Captured device data, shared by the test binaries.

/// GetDeviceInfo data of a Canon EOS R6 (DeviceVersion 3-1.5.0), the same
/// bytes as ptp-core's own `dataset::device_info` tests (taken there from the
/// `miniPtp.py` README; the serial number is redacted). 159 operations, 19
/// events, 5 device properties, 1 capture and 12 playback formats.
pub static EOS_R6_DEVICE_INFO: &[u8] =
    include_bytes!("../../../ptp-core/fixtures/canon-eos-r6-device-info.bin");
