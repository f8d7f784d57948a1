//! The responder engine's [`Handler`] for one session: each operation of
//! [`device_info::OPERATIONS`] on the shared object tree and properties.
//! Datasets are built with ptp-core; object data is streamed from the file
//! straight into the engine's output buffer.

use crate::capture;
use crate::device_info::{self, event, op};
use crate::event_channel::NO_TRANSACTION;
use crate::formats;
use crate::names;
use crate::object_info::{self, ImageMeta};
use crate::objects::{Entry, Found, ROOT_PARENT, STORAGE_ID};
use crate::state::{Shared, lock};
use crate::storage;
use crate::thumbnail;
use crate::upload::TempFile;
use ptp_core::dataset::ObjectInfo;
use ptp_core::message::OwnedParams;
use ptp_core::responder::{Handler, Reply, Request, Response, response};
use ptp_core::wire::{Array, Writer};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

/// Response codes beyond the engine's own.
mod rc {
    pub const INVALID_STORAGE_ID: u16 = 0x2008;
    pub const INVALID_OBJECT_HANDLE: u16 = 0x2009;
    pub const INVALID_OBJECT_FORMAT_CODE: u16 = 0x200B;
    pub const STORE_FULL: u16 = 0x200C;
    pub const ACCESS_DENIED: u16 = 0x200F;
    pub const NO_THUMBNAIL_PRESENT: u16 = 0x2010;
    pub const PARTIAL_DELETION: u16 = 0x2012;
    pub const NO_VALID_OBJECT_INFO: u16 = 0x2015;
    pub const DEVICE_BUSY: u16 = 0x2019;
    pub const INVALID_PARENT_OBJECT: u16 = 0x201A;
    pub const INVALID_DATASET: u16 = 0x2023;
}

/// The largest dataset accepted from the initiator (ObjectInfo, a property
/// value); more is refused with Invalid Dataset.
pub const MAX_INCOMING_DATASET: usize = 64 * 1024;
/// "All storages" / "the root" / "all properties".
const ALL: u32 = 0xFFFF_FFFF;

/// The data phase in progress.
#[derive(Debug, Default)]
enum Transfer {
    /// None.
    #[default]
    Idle,
    /// Sending bytes built in memory (a dataset, a thumbnail).
    Bytes(Vec<u8>),
    /// Sending a file from `start`; `position` is where the file is.
    File {
        file: File,
        start: u64,
        position: u64,
    },
    /// Receiving a dataset.
    Dataset(Vec<u8>),
    /// Receiving an object's data.
    Upload(TempFile),
}

/// An object announced by SendObjectInfo, waiting for SendObject.
#[derive(Debug)]
struct Announced {
    handle: u32,
    relative: PathBuf,
    declared_size: u64,
}

/// One session's handler.
#[derive(Debug)]
pub struct Camera {
    shared: Arc<Shared>,
    transfer: Transfer,
    announced: Option<Announced>,
}

fn respond(code: u16) -> Reply {
    Reply::Respond(Response::code(code))
}

fn respond_with(code: u16, params: &[u32]) -> Reply {
    Reply::Respond(Response {
        code,
        params: OwnedParams::from_slice(params).unwrap_or_default(),
    })
}

/// A u32 array dataset.
fn u32_array(values: &[u32]) -> Result<Vec<u8>, ptp_core::EncodeError> {
    let array = Array::Slice(values);
    let mut bytes = vec![0; array.encoded_len()];
    let mut writer = Writer::new(&mut bytes);
    array.write(&mut writer)?;
    Ok(bytes)
}

impl Camera {
    /// A handler for a new session.
    pub fn new(shared: Arc<Shared>) -> Camera {
        Camera {
            shared,
            transfer: Transfer::Idle,
            announced: None,
        }
    }

    fn send_bytes(&mut self, bytes: Result<Vec<u8>, impl std::fmt::Display>) -> Reply {
        match bytes {
            Ok(bytes) => {
                let total = bytes.len() as u64;
                self.transfer = Transfer::Bytes(bytes);
                Reply::DataIn { total }
            }
            Err(why) => {
                crate::log!("cannot build the reply: {why}");
                respond(response::GENERAL_ERROR)
            }
        }
    }

    fn check_storage(storage: u32, zero_allowed: bool) -> Result<(), u16> {
        match storage {
            STORAGE_ID | ALL => Ok(()),
            0 if zero_allowed => Ok(()),
            _ => Err(rc::INVALID_STORAGE_ID),
        }
    }

    fn entry(&self, handle: u32) -> Result<Entry, u16> {
        lock(&self.shared.objects)
            .get(handle)
            .cloned()
            .ok_or(rc::INVALID_OBJECT_HANDLE)
    }

    /// A folder handle (or 0 / 0xFFFFFFFF for the root) as a parent: its
    /// handle in the tree and its path relative to the served directory.
    fn parent(&self, handle: u32) -> Result<(u32, PathBuf), u16> {
        if handle == 0 || handle == ALL {
            return Ok((ROOT_PARENT, PathBuf::new()));
        }
        let entry = self.entry(handle).map_err(|_| rc::INVALID_PARENT_OBJECT)?;
        if !entry.found.is_folder {
            return Err(rc::INVALID_PARENT_OBJECT);
        }
        Ok((handle, entry.found.relative))
    }

    /// The objects GetObjectHandles / GetNumObjects select.
    fn select(&self, request: &Request) -> Result<Vec<u32>, u16> {
        let (storage, format, parent) = (
            request.params.get(0),
            request.params.get(1),
            request.params.get(2),
        );
        Self::check_storage(storage, false)?;
        let format = u16::try_from(format).map_err(|_| rc::INVALID_OBJECT_FORMAT_CODE)?;
        let wanted_parent = match parent {
            0 => None,
            ALL => Some(ROOT_PARENT),
            handle => Some(self.parent(handle)?.0),
        };
        Ok(lock(&self.shared.objects).handles(|entry| {
            wanted_parent.is_none_or(|p| entry.parent == p)
                && (format == 0 || object_info::format_of(entry) == format)
        }))
    }

    /// The entry and its image details, computing and caching them if
    /// needed (outside the lock: reading a file can take a while).
    fn with_meta(&self, handle: u32) -> Result<(Entry, Arc<ImageMeta>), u16> {
        let entry = self.entry(handle)?;
        if let Some(meta) = &entry.meta {
            return Ok((entry.clone(), Arc::clone(meta)));
        }
        let path = lock(&self.shared.objects)
            .path(handle)
            .ok_or(rc::INVALID_OBJECT_HANDLE)?;
        let meta = Arc::new(ImageMeta::read(&path, object_info::format_of(&entry)));
        let mut tree = lock(&self.shared.objects);
        if let Some(cached) = tree.get_mut(handle).filter(|c| c.found == entry.found) {
            cached.meta = Some(Arc::clone(&meta));
        }
        Ok((entry, meta))
    }

    /// The thumbnail's bytes (read or generated again).
    fn thumbnail(&self, handle: u32) -> Result<Vec<u8>, u16> {
        let (_, meta) = self.with_meta(handle)?;
        let header = meta.header.ok_or(rc::NO_THUMBNAIL_PRESENT)?;
        meta.thumbnail.ok_or(rc::NO_THUMBNAIL_PRESENT)?;
        let path = lock(&self.shared.objects)
            .path(handle)
            .ok_or(rc::INVALID_OBJECT_HANDLE)?;
        thumbnail::of_jpeg(&path, &header)
            .map(|thumbnail| thumbnail.jpeg)
            .map_err(|why| {
                crate::log!("no thumbnail for {}: {why}", path.display());
                rc::NO_THUMBNAIL_PRESENT
            })
    }

    fn open_object(&mut self, handle: u32, offset: u64, max: Option<u64>) -> Result<u64, u16> {
        let entry = self.entry(handle)?;
        if entry.found.is_folder {
            return Err(rc::INVALID_OBJECT_HANDLE);
        }
        let path = lock(&self.shared.objects)
            .path(handle)
            .ok_or(rc::INVALID_OBJECT_HANDLE)?;
        let mut file = File::open(&path).map_err(|e| {
            crate::log!("cannot open {}: {e}", path.display());
            rc::ACCESS_DENIED
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if offset > size {
            return Err(response::INVALID_PARAMETER);
        }
        file.seek(SeekFrom::Start(offset))
            .map_err(|_| response::GENERAL_ERROR)?;
        let total = max.map_or(size - offset, |max| max.min(size - offset));
        self.transfer = Transfer::File {
            file,
            start: offset,
            position: offset,
        };
        Ok(total)
    }

    fn delete(&mut self, handle: u32, format: u32) -> u16 {
        if handle == ALL {
            let doomed = lock(&self.shared.objects).handles(|entry| {
                !entry.found.is_folder
                    && (format == 0 || u32::from(object_info::format_of(entry)) == format)
            });
            let failed = doomed
                .into_iter()
                .filter(|handle| self.delete_one(*handle) != response::OK)
                .count();
            return if failed == 0 {
                response::OK
            } else {
                rc::PARTIAL_DELETION
            };
        }
        self.delete_one(handle)
    }

    fn delete_one(&mut self, handle: u32) -> u16 {
        let mut tree = lock(&self.shared.objects);
        let (Some(entry), Some(path)) = (tree.get(handle), tree.path(handle)) else {
            return rc::INVALID_OBJECT_HANDLE;
        };
        let result = if entry.found.is_folder {
            std::fs::remove_dir(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match result {
            Ok(()) => {
                tree.remove(handle);
                response::OK
            }
            Err(e) => {
                crate::log!("cannot delete {}: {e}", path.display());
                rc::ACCESS_DENIED
            }
        }
    }

    /// SendObjectInfo's dataset has arrived.
    fn object_info_received(&mut self, request: &Request, bytes: &[u8]) -> Response {
        let code = |code| Response::code(code);
        if let Err(code) = Self::check_storage(request.params.get(0), true) {
            return Response::code(code);
        }
        let (parent, parent_path) = match self.parent(request.params.get(1)) {
            Ok(parent) => parent,
            Err(rc) => return code(rc),
        };
        let info = match ObjectInfo::parse(bytes) {
            Ok(info) => info,
            Err(e) => {
                crate::log!("SendObjectInfo: malformed ObjectInfo: {e}");
                return code(rc::INVALID_DATASET);
            }
        };
        let sent_name: String = info.filename.chars().collect();
        let name = match names::sanitize(&sent_name) {
            Ok(name) => name,
            Err(why) => {
                crate::log!("SendObjectInfo: refused name {sent_name:?}: {why}");
                return code(response::INVALID_PARAMETER);
            }
        };
        if name != sent_name {
            crate::log!("SendObjectInfo: name {sent_name:?} stored as {name:?}");
        }
        let relative = parent_path.join(&name);
        let mut tree = lock(&self.shared.objects);
        let target = tree.root().join(&relative);
        if target.exists() {
            crate::log!(
                "SendObjectInfo: {} exists; not overwritten",
                target.display()
            );
            return code(rc::ACCESS_DENIED);
        }
        if info.object_format == formats::ASSOCIATION {
            if let Err(e) = std::fs::create_dir(&target) {
                crate::log!("cannot create folder {}: {e}", target.display());
                return code(rc::ACCESS_DENIED);
            }
            let handle = tree.insert(
                Found {
                    relative,
                    is_folder: true,
                    size: 0,
                    modified: SystemTime::now(),
                },
                None,
            );
            return Response {
                code: response::OK,
                params: OwnedParams::from_slice(&[STORAGE_ID, parent, handle]).unwrap_or_default(),
            };
        }
        let declared_size = u64::from(info.object_compressed_size);
        let free = storage::space(tree.root())
            .map(|(_, free)| free)
            .unwrap_or(u64::MAX);
        if declared_size != u64::from(ObjectInfo::SIZE_OVER_4GIB) && declared_size > free {
            return code(rc::STORE_FULL);
        }
        let handle = tree.reserve_handle();
        self.announced = Some(Announced {
            handle,
            relative,
            declared_size,
        });
        Response {
            code: response::OK,
            params: OwnedParams::from_slice(&[STORAGE_ID, parent, handle]).unwrap_or_default(),
        }
    }

    /// SendObject's data has arrived in the temporary file.
    fn object_received(&mut self, temp: TempFile) -> Response {
        let Some(announced) = self.announced.take() else {
            return Response::code(rc::NO_VALID_OBJECT_INFO);
        };
        let written = temp.written();
        if announced.declared_size != u64::from(ObjectInfo::SIZE_OVER_4GIB)
            && written != announced.declared_size
        {
            crate::log!(
                "SendObject: {} bytes received, {} announced; kept as received",
                written,
                announced.declared_size
            );
        }
        let mut tree = lock(&self.shared.objects);
        let target = tree.root().join(&announced.relative);
        match temp.commit(&target) {
            Ok(()) => {
                tree.insert(
                    Found {
                        relative: announced.relative,
                        is_folder: false,
                        size: written,
                        modified: std::fs::metadata(&target)
                            .and_then(|m| m.modified())
                            .unwrap_or_else(|_| SystemTime::now()),
                    },
                    Some(announced.handle),
                );
                crate::log!("received {} ({written} bytes)", target.display());
                Response::OK
            }
            Err(e) => {
                crate::log!("cannot store {}: {e}", target.display());
                Response::code(rc::ACCESS_DENIED)
            }
        }
    }

    fn start_upload(&mut self) -> Reply {
        let Some(announced) = &self.announced else {
            return respond(rc::NO_VALID_OBJECT_INFO);
        };
        let dir = lock(&self.shared.objects).root().join(
            announced
                .relative
                .parent()
                .unwrap_or(std::path::Path::new("")),
        );
        match TempFile::create(&dir, &format!("upload-{}", announced.handle)) {
            Ok(temp) => {
                self.transfer = Transfer::Upload(temp);
                Reply::DataOut
            }
            Err(e) => {
                crate::log!("cannot create a file in {}: {e}", dir.display());
                respond(rc::ACCESS_DENIED)
            }
        }
    }

    /// MoveObject and CopyObject: the destination path and parent.
    fn destination(&self, request: &Request) -> Result<(Entry, u32, PathBuf), u16> {
        let entry = self.entry(request.params.get(0))?;
        Self::check_storage(request.params.get(1), true)?;
        let (parent, parent_path) = self.parent(request.params.get(2))?;
        if parent_path.starts_with(&entry.found.relative) && entry.found.is_folder {
            return Err(rc::INVALID_PARENT_OBJECT);
        }
        Ok((entry.clone(), parent, parent_path.join(entry.name())))
    }

    fn move_object(&mut self, request: &Request) -> u16 {
        let (entry, parent, relative) = match self.destination(request) {
            Ok(destination) => destination,
            Err(code) => return code,
        };
        let mut tree = lock(&self.shared.objects);
        let from = tree.root().join(&entry.found.relative);
        let to = tree.root().join(&relative);
        if to.exists() {
            return rc::ACCESS_DENIED;
        }
        match std::fs::rename(&from, &to) {
            Ok(()) => {
                tree.relocate(entry.handle, relative, parent);
                response::OK
            }
            Err(e) => {
                crate::log!("cannot move {} to {}: {e}", from.display(), to.display());
                rc::ACCESS_DENIED
            }
        }
    }

    fn copy_object(&mut self, request: &Request) -> Reply {
        let (entry, _, relative) = match self.destination(request) {
            Ok(destination) => destination,
            Err(code) => return respond(code),
        };
        if entry.found.is_folder {
            return respond(rc::ACCESS_DENIED);
        }
        let mut tree = lock(&self.shared.objects);
        let from = tree.root().join(&entry.found.relative);
        let to = tree.root().join(&relative);
        let copied = (|| {
            let dir = to.parent().unwrap_or(tree.root());
            let mut temp = TempFile::create(dir, &format!("copy-{}", entry.handle))?;
            let mut source = File::open(&from)?;
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                let count = source.read(&mut chunk)?;
                if count == 0 {
                    break;
                }
                temp.write(chunk.get(..count).unwrap_or(&[]))?;
            }
            let written = temp.written();
            temp.commit(&to)?;
            Ok::<u64, std::io::Error>(written)
        })();
        match copied {
            Ok(size) => {
                let handle = tree.insert(
                    Found {
                        relative,
                        is_folder: false,
                        size,
                        modified: SystemTime::now(),
                    },
                    None,
                );
                respond_with(response::OK, &[handle])
            }
            Err(e) => {
                crate::log!("cannot copy {} to {}: {e}", from.display(), to.display());
                respond(rc::ACCESS_DENIED)
            }
        }
    }

    fn initiate_capture(&mut self, request: &Request) -> Reply {
        if let Err(code) = Self::check_storage(request.params.get(0), true) {
            return respond(code);
        }
        let format = request.params.get(1);
        if format != 0 && format != u32::from(formats::EXIF_JPEG) {
            return respond(rc::INVALID_OBJECT_FORMAT_CODE);
        }
        if self.shared.capturing.swap(true, Ordering::AcqRel) {
            return respond(rc::DEVICE_BUSY);
        }
        match capture::start(Arc::clone(&self.shared), request.transaction_id) {
            Ok(()) => respond(response::OK),
            Err(e) => {
                self.shared.capturing.store(false, Ordering::Release);
                crate::log!("cannot start a capture: {e}");
                respond(response::GENERAL_ERROR)
            }
        }
    }

    fn property_changed(&self, codes: &[u16]) {
        for code in codes {
            self.shared.events.send(
                event::DEVICE_PROP_CHANGED,
                NO_TRANSACTION,
                &[u32::from(*code)],
            );
        }
    }
}

impl Handler for Camera {
    fn request(&mut self, request: &Request) -> Reply {
        self.transfer = Transfer::Idle;
        let param = |index| request.params.get(index);
        let prop_code = u16::try_from(param(0)).unwrap_or(0);
        match request.code {
            op::GET_DEVICE_INFO => {
                let codes = lock(&self.shared.properties).codes();
                let bytes =
                    device_info::emit(self.shared.config.profile, &self.shared.serial, &codes);
                self.send_bytes(bytes)
            }
            op::GET_STORAGE_IDS => self.send_bytes(u32_array(&[STORAGE_ID])),
            op::GET_STORAGE_INFO => {
                if param(0) != STORAGE_ID {
                    return respond(rc::INVALID_STORAGE_ID);
                }
                let root = lock(&self.shared.objects).root().to_path_buf();
                let label = root
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_default();
                self.send_bytes(storage::emit(&root, &label))
            }
            op::GET_NUM_OBJECTS => match self.select(request) {
                Ok(handles) => respond_with(response::OK, &[handles.len() as u32]),
                Err(code) => respond(code),
            },
            op::GET_OBJECT_HANDLES => match self.select(request) {
                Ok(handles) => self.send_bytes(u32_array(&handles)),
                Err(code) => respond(code),
            },
            op::GET_OBJECT_INFO => match self.with_meta(param(0)) {
                Ok((entry, meta)) => self.send_bytes(object_info::emit(&entry, &meta)),
                Err(code) => respond(code),
            },
            op::GET_OBJECT => match self.open_object(param(0), 0, None) {
                Ok(total) => Reply::DataIn { total },
                Err(code) => respond(code),
            },
            op::GET_PARTIAL_OBJECT => {
                match self.open_object(param(0), u64::from(param(1)), Some(u64::from(param(2)))) {
                    Ok(total) => Reply::DataIn { total },
                    Err(code) => respond(code),
                }
            }
            op::GET_THUMB => match self.thumbnail(param(0)) {
                Ok(jpeg) => self.send_bytes(Ok::<_, String>(jpeg)),
                Err(code) => respond(code),
            },
            op::DELETE_OBJECT => respond(self.delete(param(0), param(1))),
            op::SEND_OBJECT_INFO => {
                self.announced = None;
                self.transfer = Transfer::Dataset(Vec::new());
                Reply::DataOut
            }
            op::SEND_OBJECT => self.start_upload(),
            op::INITIATE_CAPTURE => self.initiate_capture(request),
            op::GET_DEVICE_PROP_DESC => {
                let desc = lock(&self.shared.properties).desc(prop_code);
                match desc {
                    Ok(bytes) => self.send_bytes(Ok::<_, String>(bytes)),
                    Err(code) => respond(code),
                }
            }
            op::GET_DEVICE_PROP_VALUE => {
                let value = lock(&self.shared.properties).value_bytes(prop_code);
                match value {
                    Ok(bytes) => self.send_bytes(Ok::<_, String>(bytes)),
                    Err(code) => respond(code),
                }
            }
            op::SET_DEVICE_PROP_VALUE => {
                self.transfer = Transfer::Dataset(Vec::new());
                Reply::DataOut
            }
            op::RESET_DEVICE_PROP_VALUE => {
                let reset = lock(&self.shared.properties).reset(param(0));
                match reset {
                    Ok(changed) => {
                        self.property_changed(&changed);
                        respond(response::OK)
                    }
                    Err(code) => respond(code),
                }
            }
            op::MOVE_OBJECT => respond(self.move_object(request)),
            op::COPY_OBJECT => self.copy_object(request),
            _ => respond(response::OPERATION_NOT_SUPPORTED),
        }
    }

    fn read_data(
        &mut self,
        _request: &Request,
        offset: u64,
        buffer: &mut [u8],
    ) -> Result<usize, u16> {
        match &mut self.transfer {
            Transfer::Bytes(bytes) => {
                let start = usize::try_from(offset).map_err(|_| response::GENERAL_ERROR)?;
                let rest = bytes.get(start..).unwrap_or(&[]);
                let count = rest.len().min(buffer.len());
                if let (Some(target), Some(source)) = (buffer.get_mut(..count), rest.get(..count)) {
                    target.copy_from_slice(source);
                }
                Ok(count)
            }
            Transfer::File {
                file,
                start,
                position,
            } => {
                let wanted = *start + offset;
                if *position != wanted {
                    file.seek(SeekFrom::Start(wanted))
                        .map_err(|_| response::GENERAL_ERROR)?;
                    *position = wanted;
                }
                let count = file.read(buffer).map_err(|e| {
                    crate::log!("reading an object failed: {e}");
                    response::GENERAL_ERROR
                })?;
                *position += count as u64;
                Ok(count)
            }
            _ => Err(response::GENERAL_ERROR),
        }
    }

    fn data_in_done(&mut self, request: &Request) -> Response {
        let sent = match &self.transfer {
            Transfer::File {
                position, start, ..
            } => position - start,
            _ => 0,
        };
        self.transfer = Transfer::Idle;
        if request.code == op::GET_PARTIAL_OBJECT {
            return Response {
                code: response::OK,
                params: OwnedParams::from_slice(&[u32::try_from(sent).unwrap_or(u32::MAX)])
                    .unwrap_or_default(),
            };
        }
        Response::OK
    }

    fn write_data(&mut self, _request: &Request, _offset: u64, chunk: &[u8]) -> Result<(), u16> {
        match &mut self.transfer {
            Transfer::Dataset(bytes) => {
                if bytes.len() + chunk.len() > MAX_INCOMING_DATASET {
                    crate::log!("a dataset over {MAX_INCOMING_DATASET} bytes was refused");
                    return Err(rc::INVALID_DATASET);
                }
                bytes.extend_from_slice(chunk);
                Ok(())
            }
            Transfer::Upload(temp) => {
                // Every 64 MiB: is there still room (16 MiB kept free)?
                if temp.written() % (64 << 20) < chunk.len() as u64 {
                    let root = lock(&self.shared.objects).root().to_path_buf();
                    let free = storage::space(&root).map_or(u64::MAX, |(_, free)| free);
                    if free < chunk.len() as u64 + (16 << 20) {
                        return Err(rc::STORE_FULL);
                    }
                }
                temp.write(chunk).map_err(|e| {
                    crate::log!("writing an upload failed: {e}");
                    rc::STORE_FULL
                })
            }
            _ => Err(response::GENERAL_ERROR),
        }
    }

    fn data_out_done(&mut self, request: &Request) -> Response {
        let transfer = std::mem::take(&mut self.transfer);
        match (request.code, transfer) {
            (op::SEND_OBJECT_INFO, Transfer::Dataset(bytes)) => {
                self.object_info_received(request, &bytes)
            }
            (op::SEND_OBJECT, Transfer::Upload(temp)) => self.object_received(temp),
            (op::SET_DEVICE_PROP_VALUE, Transfer::Dataset(bytes)) => {
                let code = u16::try_from(request.params.get(0)).unwrap_or(0);
                let set = lock(&self.shared.properties).set_from_wire(code, &bytes);
                match set {
                    Ok(changed) => {
                        if changed {
                            self.property_changed(&[code]);
                        }
                        Response::OK
                    }
                    Err(code) => Response::code(code),
                }
            }
            _ => Response::code(response::GENERAL_ERROR),
        }
    }

    fn cancelled(&mut self, request: &Request) {
        crate::log!(
            "transaction {} (0x{:04X}) cancelled",
            request.transaction_id,
            request.code
        );
        self.transfer = Transfer::Idle;
    }
}
