//! A PTP device over a [`Storage`]: the responder [`Handler`] that answers
//! the standard operations of a simple camera, and queues the events of a
//! capture for the interrupt endpoint.
//!
//! | operation | answer |
//! |---|---|
//! | GetDeviceInfo 0x1001 | the [`Identity`] and the lists below |
//! | GetStorageIDs 0x1004, GetStorageInfo 0x1005 | one store, [`STORAGE_ID`] |
//! | GetNumObjects 0x1006, GetObjectHandles 0x1007 | every object (the store is flat) |
//! | GetObjectInfo 0x1008, GetObject 0x1009, GetPartialObject 0x101B | from the storage, streamed in chunks |
//! | DeleteObject 0x100B | [`Storage::delete`] |
//! | InitiateCapture 0x100E | [`Storage::capture`], then the events ObjectAdded (0x4002) and CaptureComplete (0x400D) |
//!
//! Datasets are written into a scratch buffer of `SCRATCH` bytes when the
//! request arrives and sent from there; objects are read from the storage
//! chunk by chunk, never held whole.

use crate::device::DeviceHandler;
use crate::storage::{Storage, StorageError};
use ptp_core::EncodeError;
use ptp_core::dataset::{DeviceInfo, ObjectInfo, StorageInfo};
use ptp_core::event::Event;
use ptp_core::message::OwnedParams;
use ptp_core::responder::{Handler, Reply, Request, Response, response};
use ptp_core::wire::{Array, PtpString, Writer};

/// The one store's StorageID (physical store 1, logical 1).
pub const STORAGE_ID: u32 = 0x0001_0001;

/// Operation codes served.
pub mod operation {
    use ptp_core::codes::standard::Operation;

    /// 0x1001 GetDeviceInfo.
    pub const GET_DEVICE_INFO: u16 = Operation::GetDeviceInfo.code();
    /// 0x1002 OpenSession.
    pub const OPEN_SESSION: u16 = Operation::OpenSession.code();
    /// 0x1003 CloseSession.
    pub const CLOSE_SESSION: u16 = Operation::CloseSession.code();
    /// 0x1004 GetStorageIDs.
    pub const GET_STORAGE_IDS: u16 = Operation::GetStorageIDs.code();
    /// 0x1005 GetStorageInfo.
    pub const GET_STORAGE_INFO: u16 = Operation::GetStorageInfo.code();
    /// 0x1006 GetNumObjects.
    pub const GET_NUM_OBJECTS: u16 = Operation::GetNumObjects.code();
    /// 0x1007 GetObjectHandles.
    pub const GET_OBJECT_HANDLES: u16 = Operation::GetObjectHandles.code();
    /// 0x1008 GetObjectInfo.
    pub const GET_OBJECT_INFO: u16 = Operation::GetObjectInfo.code();
    /// 0x1009 GetObject.
    pub const GET_OBJECT: u16 = Operation::GetObject.code();
    /// 0x100B DeleteObject.
    pub const DELETE_OBJECT: u16 = Operation::DeleteObject.code();
    /// 0x100E InitiateCapture.
    pub const INITIATE_CAPTURE: u16 = Operation::InitiateCapture.code();
    /// 0x101B GetPartialObject.
    pub const GET_PARTIAL_OBJECT: u16 = Operation::GetPartialObject.code();
}

/// Event codes sent.
pub mod event {
    use ptp_core::codes::standard::Event;

    /// 0x4002 ObjectAdded: parameter 1 is the new handle.
    pub const OBJECT_ADDED: u16 = Event::ObjectAdded.code();
    /// 0x400D CaptureComplete.
    pub const CAPTURE_COMPLETE: u16 = Event::CaptureComplete.code();
}

const OPERATIONS: [u16; 12] = [
    operation::GET_DEVICE_INFO,
    operation::OPEN_SESSION,
    operation::CLOSE_SESSION,
    operation::GET_STORAGE_IDS,
    operation::GET_STORAGE_INFO,
    operation::GET_NUM_OBJECTS,
    operation::GET_OBJECT_HANDLES,
    operation::GET_OBJECT_INFO,
    operation::GET_OBJECT,
    operation::DELETE_OBJECT,
    operation::INITIATE_CAPTURE,
    operation::GET_PARTIAL_OBJECT,
];
const EVENTS: [u16; 2] = [event::OBJECT_ADDED, event::CAPTURE_COMPLETE];
/// Formats a capture produces and the store holds.
const CAPTURE_FORMATS: [u16; 1] = [crate::storage::format::UNDEFINED];
const PLAYBACK_FORMATS: [u16; 4] = [
    crate::storage::format::UNDEFINED,
    crate::storage::format::TEXT,
    crate::storage::format::EXIF_JPEG,
    crate::storage::format::PNG,
];

const INVALID_STORAGE_ID: u16 = 0x2008;
const ALL: u32 = 0xFFFF_FFFF;

/// What the device says it is in DeviceInfo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Manufacturer.
    pub manufacturer: &'static str,
    /// Model.
    pub model: &'static str,
    /// DeviceVersion (firmware version).
    pub version: &'static str,
    /// SerialNumber.
    pub serial: &'static str,
}

/// Where the data phase in progress comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The dataset in the scratch buffer.
    Scratch,
    /// An object's bytes from `start`.
    Object { handle: u32, start: u64 },
}

/// How many events wait for the device task.
const EVENT_SLOTS: usize = 4;
/// An empty event slot.
const NO_EVENT: Event = Event {
    code: 0,
    transaction_id: 0,
    params: OwnedParams::EMPTY,
};

/// A PTP device serving `storage`; see the module docs.
pub struct ObjectServer<S, const SCRATCH: usize = 256> {
    storage: S,
    identity: Identity,
    scratch: [u8; SCRATCH],
    source: Source,
    /// Bytes of the data phase in progress (GetPartialObject's response).
    sending: u64,
    /// A ring of queued events: `queued` of them from `first`.
    events: [Event; EVENT_SLOTS],
    first: usize,
    queued: usize,
}

impl<S: Storage, const SCRATCH: usize> ObjectServer<S, SCRATCH> {
    /// A server for `storage` that introduces itself as `identity`.
    pub const fn new(storage: S, identity: Identity) -> Self {
        ObjectServer {
            storage,
            identity,
            scratch: [0; SCRATCH],
            source: Source::Scratch,
            sending: 0,
            events: [NO_EVENT; EVENT_SLOTS],
            first: 0,
            queued: 0,
        }
    }

    /// The storage.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Queues an event; the oldest is dropped when the queue is full.
    pub fn queue_event(&mut self, code: u16, transaction_id: u32, params: &[u32]) {
        let event = Event {
            code,
            transaction_id,
            params: OwnedParams::from_slice(params).unwrap_or_default(),
        };
        if self.queued == EVENT_SLOTS {
            self.first = (self.first + 1) % EVENT_SLOTS;
            self.queued -= 1;
        }
        if let Some(slot) = self
            .events
            .get_mut((self.first + self.queued) % EVENT_SLOTS)
        {
            *slot = event;
            self.queued += 1;
        }
    }

    /// Answers with the dataset just written into the scratch buffer.
    fn loaded(&mut self, written: Result<usize, EncodeError>) -> Reply {
        match written {
            Ok(len) => {
                self.source = Source::Scratch;
                self.sending = len as u64;
                Reply::DataIn { total: len as u64 }
            }
            Err(_) => Reply::Respond(Response::code(response::GENERAL_ERROR)),
        }
    }

    fn device_info(&mut self) -> Reply {
        let identity = self.identity;
        let written = DeviceInfo {
            standard_version: 100,
            vendor_extension_id: 0,
            vendor_extension_version: 0,
            vendor_extension_desc: PtpString::EMPTY,
            functional_mode: 0,
            operations_supported: Array::Slice(&OPERATIONS),
            events_supported: Array::Slice(&EVENTS),
            device_properties_supported: Array::default(),
            capture_formats: Array::Slice(&CAPTURE_FORMATS),
            playback_formats: Array::Slice(&PLAYBACK_FORMATS),
            manufacturer: identity.manufacturer.into(),
            model: identity.model.into(),
            device_version: identity.version.into(),
            serial_number: identity.serial.into(),
        }
        .emit(&mut self.scratch);
        self.loaded(written)
    }

    fn storage_ids(&mut self) -> Reply {
        let mut writer = Writer::new(&mut self.scratch);
        let written = writer
            .array([STORAGE_ID].into_iter())
            .map(|()| writer.position());
        self.loaded(written)
    }

    fn storage_info(&mut self, storage_id: u32) -> Reply {
        if storage_id != STORAGE_ID {
            return Reply::Respond(Response::code(INVALID_STORAGE_ID));
        }
        let summary = self.storage.summary();
        let written = StorageInfo {
            storage_type: 0x0003,    // fixed RAM
            filesystem_type: 0x0001, // generic flat
            access_capability: if summary.deletable { 2 } else { 1 },
            max_capacity: summary.capacity,
            free_space_in_bytes: summary.free_bytes,
            free_space_in_images: summary.free_images,
            storage_description: summary.description.into(),
            volume_label: PtpString::EMPTY,
        }
        .emit(&mut self.scratch);
        self.loaded(written)
    }

    fn object_count(&mut self, request: &Request) -> Reply {
        match self.write_handles(request) {
            Ok(count) => Reply::Respond(Response {
                code: response::OK,
                params: OwnedParams::from_slice(&[count]).unwrap_or_default(),
            }),
            Err(code) => Reply::Respond(Response::code(code)),
        }
    }

    fn object_handles(&mut self, request: &Request) -> Reply {
        match self.write_handles(request) {
            Ok(count) => self.loaded(Ok(4 + 4 * count as usize)),
            Err(code) => Reply::Respond(Response::code(code)),
        }
    }

    /// Writes the handle array the request selects into the scratch buffer
    /// (one pass: the count is filled in last) and returns the count; the
    /// response code refusing the request, or General Error when the array
    /// does not fit.
    fn write_handles(&mut self, request: &Request) -> Result<u32, u16> {
        let handles = selected(&self.storage, request)?;
        let (count_field, rest) = self.scratch.split_at_mut(4.min(SCRATCH));
        let mut writer = Writer::new(rest);
        let mut count: u32 = 0;
        for handle in handles {
            writer.u32(handle).map_err(|_| response::GENERAL_ERROR)?;
            count += 1;
        }
        Writer::new(count_field)
            .u32(count)
            .map_err(|_| response::GENERAL_ERROR)?;
        Ok(count)
    }

    fn object_info(&mut self, handle: u32) -> Reply {
        let Some(object) = self.storage.object(handle) else {
            return Reply::Respond(Response::code(StorageError::InvalidHandle.response_code()));
        };
        let written = ObjectInfo {
            storage_id: STORAGE_ID,
            object_format: object.format,
            object_compressed_size: object.size,
            filename: object.name.into(),
            capture_date: object.capture_date.into(),
            modification_date: object.capture_date.into(),
            ..ObjectInfo::default()
        }
        .emit(&mut self.scratch);
        self.loaded(written)
    }

    fn object(&mut self, handle: u32, start: u64, max: Option<u32>) -> Reply {
        let Some(object) = self.storage.object(handle) else {
            return Reply::Respond(Response::code(StorageError::InvalidHandle.response_code()));
        };
        let rest = u64::from(object.size).saturating_sub(start);
        let total = max.map_or(rest, |max| rest.min(u64::from(max)));
        self.source = Source::Object { handle, start };
        self.sending = total;
        Reply::DataIn { total }
    }

    fn capture(&mut self, request: &Request) -> Reply {
        let storage_id = request.params.get(0);
        if storage_id != 0 && storage_id != STORAGE_ID {
            return Reply::Respond(Response::code(INVALID_STORAGE_ID));
        }
        match self.storage.capture() {
            Ok(handle) => {
                let transaction_id = request.transaction_id;
                self.queue_event(event::OBJECT_ADDED, transaction_id, &[handle]);
                self.queue_event(event::CAPTURE_COMPLETE, transaction_id, &[]);
                Reply::Respond(Response::OK)
            }
            Err(error) => Reply::Respond(Response::code(error.response_code())),
        }
    }
}

/// The handles that GetNumObjects / GetObjectHandles parameters select
/// (StorageID, ObjectFormat or 0, parent: only the root), or the response
/// code refusing them.
fn selected<'a, S: Storage>(
    storage: &'a S,
    request: &Request,
) -> Result<impl Iterator<Item = u32> + 'a, u16> {
    let (storage_id, format, parent) = (
        request.params.get(0),
        request.params.get(1),
        request.params.get(2),
    );
    if storage_id != ALL && storage_id != STORAGE_ID {
        return Err(INVALID_STORAGE_ID);
    }
    let root = parent == 0 || parent == ALL;
    let handles = (0..)
        .map_while(|index| storage.handle_at(index))
        .filter(move |&handle| {
            root && (format == 0
                || storage
                    .object(handle)
                    .is_some_and(|object| u32::from(object.format) == format))
        });
    Ok(handles)
}

// `request` and `read_data` stay out of line: inlined into the responder's
// callers they were copied and cost flash.
impl<S: Storage, const SCRATCH: usize> Handler for ObjectServer<S, SCRATCH> {
    #[inline(never)]
    fn request(&mut self, request: &Request) -> Reply {
        let param = |index| request.params.get(index);
        match request.code {
            operation::GET_DEVICE_INFO => self.device_info(),
            operation::GET_STORAGE_IDS => self.storage_ids(),
            operation::GET_STORAGE_INFO => self.storage_info(param(0)),
            operation::GET_NUM_OBJECTS => self.object_count(request),
            operation::GET_OBJECT_HANDLES => self.object_handles(request),
            operation::GET_OBJECT_INFO => self.object_info(param(0)),
            operation::GET_OBJECT => self.object(param(0), 0, None),
            operation::GET_PARTIAL_OBJECT => {
                self.object(param(0), u64::from(param(1)), Some(param(2)))
            }
            operation::DELETE_OBJECT => {
                let code = match self.storage.delete(param(0)) {
                    Ok(()) => response::OK,
                    Err(error) => error.response_code(),
                };
                Reply::Respond(Response::code(code))
            }
            operation::INITIATE_CAPTURE => self.capture(request),
            _ => Reply::Respond(Response::code(response::OPERATION_NOT_SUPPORTED)),
        }
    }

    #[inline(never)]
    fn read_data(
        &mut self,
        _request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        match self.source {
            Source::Scratch => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                let rest = self.scratch.get(start..).unwrap_or(&[]);
                let count = rest.len().min(buffer.len());
                if let (Some(target), Some(source)) = (buffer.get_mut(..count), rest.get(..count)) {
                    target.copy_from_slice(source);
                }
                Ok(count)
            }
            Source::Object { handle, start } => self
                .storage
                .read(handle, start + offset, buffer)
                .map_err(StorageError::response_code),
        }
    }

    fn data_in_done(&mut self, request: &Request) -> Response {
        match request.code {
            operation::GET_PARTIAL_OBJECT => Response {
                code: response::OK,
                params: OwnedParams::from_slice(&[self.sending as u32]).unwrap_or_default(),
            },
            _ => Response::OK,
        }
    }

    fn write_data(&mut self, _request: &Request, _offset: u64, _chunk: &[u8]) -> Result<(), u16> {
        Err(response::OPERATION_NOT_SUPPORTED)
    }

    fn data_out_done(&mut self, _request: &Request) -> Response {
        Response::code(response::OPERATION_NOT_SUPPORTED)
    }

    fn session_changed(&mut self, _session_id: Option<u32>) {
        self.queued = 0;
    }
}

impl<S: Storage, const SCRATCH: usize> DeviceHandler for ObjectServer<S, SCRATCH> {
    fn poll_event(&mut self) -> Option<Event> {
        if self.queued == 0 {
            return None;
        }
        let event = self.events.get(self.first).copied();
        self.first = (self.first + 1) % EVENT_SLOTS;
        self.queued -= 1;
        event
    }
}
