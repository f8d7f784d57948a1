//! A vendor camera double: a device handler that answers the vendor
//! operations the trigger uses (Canon EOS, Nikon, Sony), for the release
//! paths no real camera is at hand for. It runs behind the real class and
//! device task; its DeviceInfo is emitted by ptp-core. The Canon EOS
//! GetEvent reply is a fixture of bytes in the layout libgphoto2 reads.

use ptp_core::dataset::DeviceInfo;
use ptp_core::event::Event;
use ptp_core::message::OwnedParams;
use ptp_core::responder::{Handler, Reply, Request, Response, response};
use ptp_core::wire::Array;
use ptp_embassy::DeviceHandler;

/// Which vendor the double plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    /// Canon EOS (VendorExtensionID 11, lists GetEvent 0x9116).
    CanonEos,
    /// Nikon (VendorExtensionID 10).
    Nikon,
    /// Sony (VendorExtensionID 17).
    Sony,
}

/// The handle of the picture the double "takes".
pub const PICTURE: u32 = 0x9000_0001;

/// GetEvent data after the release: ObjectAddedEx for [`PICTURE`] in store
/// 0x00020001, a property change, the end record.
const EOS_EVENTS: [u8; 44] = [
    24, 0, 0, 0, 0x81, 0xC1, 0, 0, 0x01, 0, 0, 0x90, 0x01, 0, 0x02, 0, //
    0x01, 0x38, 0, 0, 0, 0, 0, 0, //
    12, 0, 0, 0, 0x89, 0xC1, 0, 0, 0x05, 0xD1, 0, 0, //
    8, 0, 0, 0, 0, 0, 0, 0,
];
/// GetEvent data with nothing queued: the end record.
const EOS_NOTHING: [u8; 8] = [8, 0, 0, 0, 0, 0, 0, 0];

/// The double's state.
pub struct VendorCamera {
    vendor: Vendor,
    /// Operations received, in order.
    pub operations: Vec<u16>,
    /// Sony: (property, value) of each SDIOControlDevice.
    pub sony_controls: Vec<(u16, u16)>,
    released: bool,
    data: Vec<u8>,
    events: Vec<Event>,
}

impl VendorCamera {
    /// A double playing `vendor`.
    pub fn new(vendor: Vendor) -> Self {
        VendorCamera {
            vendor,
            operations: Vec::new(),
            sony_controls: Vec::new(),
            released: false,
            data: Vec::new(),
            events: Vec::new(),
        }
    }

    fn event(&mut self, code: u16, transaction_id: u32, params: &[u32]) {
        self.events.push(Event {
            code,
            transaction_id,
            params: OwnedParams::from_slice(params).unwrap(),
        });
    }

    fn send(&mut self, data: &[u8]) -> Reply {
        self.data = data.to_vec();
        Reply::DataIn {
            total: data.len() as u64,
        }
    }

    fn device_info(&mut self) -> Reply {
        let (id, manufacturer, operations): (u32, &str, &[u16]) = match self.vendor {
            Vendor::CanonEos => (
                11,
                "Canon Inc.",
                &[0x1001, 0x1002, 0x9114, 0x9115, 0x9116, 0x910F],
            ),
            Vendor::Nikon => (10, "Nikon Corporation", &[0x1001, 0x1002, 0x90C0]),
            Vendor::Sony => (
                17,
                "Sony Corporation",
                &[0x1001, 0x1002, 0x9201, 0x9202, 0x9207],
            ),
        };
        // Real bodies list hundreds of properties; 1,500 make a DeviceInfo
        // of over 3 KiB, more than the trigger could once buffer.
        let properties: Vec<u16> = (0xD000..0xD000 + 1_500).collect();
        let info = DeviceInfo {
            standard_version: 100,
            vendor_extension_id: id,
            manufacturer: manufacturer.into(),
            model: "vendor camera double".into(),
            operations_supported: Array::Slice(operations),
            device_properties_supported: Array::Slice(&properties),
            ..DeviceInfo::default()
        };
        assert!(info.buffer_len() > 3 * 1024);
        let mut bytes = vec![0u8; info.buffer_len()];
        info.emit(&mut bytes).unwrap();
        self.send(&bytes)
    }
}

impl Handler for VendorCamera {
    fn request(&mut self, request: &Request) -> Reply {
        self.operations.push(request.code);
        let tid = request.transaction_id;
        match (self.vendor, request.code) {
            (_, 0x1001) => self.device_info(),
            (Vendor::CanonEos, 0x9114 | 0x9115) => Reply::Respond(Response::OK),
            (Vendor::CanonEos, 0x910F) => {
                self.released = true;
                Reply::Respond(Response::OK)
            }
            (Vendor::CanonEos, 0x9116) if std::mem::take(&mut self.released) => {
                self.send(&EOS_EVENTS)
            }
            (Vendor::CanonEos, 0x9116) => self.send(&EOS_NOTHING),
            (Vendor::Nikon, 0x90C0) if request.params.get(0) == 0xFFFF_FFFF => {
                self.event(0xC101, tid, &[PICTURE]);
                self.event(0xC102, tid, &[]);
                Reply::Respond(Response::OK)
            }
            (Vendor::Sony, 0x9201) => self.send(&[0; 8]),
            (Vendor::Sony, 0x9202) => self.send(&[0xC8, 0, 0, 0, 0, 0]),
            (Vendor::Sony, 0x9207) => Reply::DataOut,
            _ => Reply::Respond(Response::code(response::OPERATION_NOT_SUPPORTED)),
        }
    }

    fn read_data(
        &mut self,
        _request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        let rest = &self.data[(offset as usize).min(self.data.len())..];
        let count = rest.len().min(buffer.len());
        buffer[..count].copy_from_slice(&rest[..count]);
        Ok(count)
    }

    fn write_data(&mut self, request: &Request, _offset: u64, chunk: &[u8]) -> Result<(), u16> {
        let value = u16::from_le_bytes([chunk[0], chunk[1]]);
        self.sony_controls
            .push((request.params.get(0) as u16, value));
        Ok(())
    }

    fn data_out_done(&mut self, request: &Request) -> Response {
        if self.sony_controls.len() == 4 {
            self.event(0xC201, request.transaction_id, &[PICTURE]);
        }
        Response::OK
    }
}

impl DeviceHandler for VendorCamera {
    fn poll_event(&mut self) -> Option<Event> {
        (!self.events.is_empty()).then(|| self.events.remove(0))
    }
}
