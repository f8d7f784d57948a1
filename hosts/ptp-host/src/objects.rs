//! Stores and objects as owned summaries, listing, and resolving paths
//! (`/store_00010001/DCIM/IMG_0001.JPG`) to handles.

use crate::camera::Camera;
use crate::error::{Error, Result};
use ptp_core::codes::mtp::{ObjectProperty, Operation as MtpOp};
use ptp_core::codes::standard::Operation as Op;
use ptp_core::dataset::{ObjectInfo, StorageInfo};
use ptp_core::wire::{Array, DataType, Reader, Value};

/// GetObjectHandles' parent for the root of a store.
pub const ROOT: u32 = 0xFFFF_FFFF;
/// Every store.
pub const ALL_STORES: u32 = 0xFFFF_FFFF;

/// A store of the camera.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Storage {
    /// StorageID.
    pub id: u32,
    /// StorageDescription.
    pub description: String,
    /// VolumeLabel.
    pub volume_label: String,
    /// StorageType (1 fixed ROM, 2 removable ROM, 3 fixed RAM, 4 removable RAM).
    pub storage_type: u16,
    /// FilesystemType (1 flat, 2 hierarchical, 3 DCF).
    pub filesystem_type: u16,
    /// AccessCapability (0 read-write, 1 read-only, 2 read-only with deletion).
    pub access: u16,
    /// MaxCapacity in bytes.
    pub max_capacity: u64,
    /// FreeSpaceInBytes.
    pub free_space: u64,
    /// FreeSpaceInImages.
    pub free_images: u32,
}

impl Storage {
    /// The name paths use for it (`store_00010001`, as gphoto2 does).
    pub fn path_name(&self) -> String {
        format!("store_{:08x}", self.id)
    }
}

/// An object (file or folder) of the camera.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// ObjectHandle.
    pub handle: u32,
    /// StorageID.
    pub storage_id: u32,
    /// ParentObject (0 or 0xFFFFFFFF: the root).
    pub parent: u32,
    /// ObjectFormat.
    pub format: u16,
    /// Size in bytes, when known (over 4 GiB it comes from MTP's
    /// ObjectSize property).
    pub size: Option<u64>,
    /// Filename.
    pub filename: String,
    /// CaptureDate, as sent.
    pub capture_date: String,
    /// ModificationDate, as sent.
    pub modification_date: String,
    /// ProtectionStatus.
    pub protection: u16,
    /// ImagePixWidth.
    pub width: u32,
    /// ImagePixHeight.
    pub height: u32,
}

impl Object {
    /// Whether it is a folder (an association).
    pub const fn is_folder(&self) -> bool {
        self.format == ObjectInfo::ASSOCIATION_FORMAT
    }
}

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The root of a store.
    Store(Storage),
    /// An object.
    Object(Object),
}

impl Resolved {
    /// The store and the handle to use as a parent for what is inside.
    pub fn as_parent(&self) -> (u32, u32) {
        match self {
            Resolved::Store(storage) => (storage.id, ROOT),
            Resolved::Object(object) => (object.storage_id, object.handle),
        }
    }
}

fn array_u32(bytes: &[u8], field: &'static str) -> Result<Vec<u32>> {
    let array: Array<'_, u32> = Reader::new(bytes).array(field).map_err(Error::Decode)?;
    Ok(array.iter().collect())
}

fn text(string: &ptp_core::wire::PtpString<'_>) -> String {
    string.chars().collect()
}

impl Camera {
    /// GetStorageIDs.
    pub fn storage_ids(&mut self) -> Result<Vec<u32>> {
        let bytes = self.data_in(Op::GetStorageIDs.code(), &[])?;
        array_u32(&bytes, "StorageIDs")
    }

    /// GetStorageInfo of one store.
    pub fn storage(&mut self, id: u32) -> Result<Storage> {
        let bytes = self.data_in(Op::GetStorageInfo.code(), &[id])?;
        let info = StorageInfo::parse(&bytes).map_err(Error::Decode)?;
        Ok(Storage {
            id,
            description: text(&info.storage_description),
            volume_label: text(&info.volume_label),
            storage_type: info.storage_type,
            filesystem_type: info.filesystem_type,
            access: info.access_capability,
            max_capacity: info.max_capacity,
            free_space: info.free_space_in_bytes,
            free_images: info.free_space_in_images,
        })
    }

    /// Every store (stores whose info cannot be read are skipped with a
    /// warning: cameras list empty card slots).
    pub fn storages(&mut self) -> Result<Vec<Storage>> {
        let mut storages = Vec::new();
        for id in self.storage_ids()? {
            match self.storage(id) {
                Ok(storage) => storages.push(storage),
                Err(error) => log::warn!("store 0x{id:08X}: {error}"),
            }
        }
        Ok(storages)
    }

    /// GetObjectHandles: store (0xFFFFFFFF all), format (0 all), parent
    /// (0 all, 0xFFFFFFFF the root).
    pub fn handles(&mut self, storage_id: u32, format: u16, parent: u32) -> Result<Vec<u32>> {
        let params = [storage_id, u32::from(format), parent];
        let bytes = self.data_in(Op::GetObjectHandles.code(), &params)?;
        array_u32(&bytes, "ObjectHandles")
    }

    /// GetObjectInfo, with the 64-bit size from MTP's ObjectSize property
    /// when the info says "over 4 GiB".
    pub fn object(&mut self, handle: u32) -> Result<Object> {
        let bytes = self.data_in(Op::GetObjectInfo.code(), &[handle])?;
        let info = ObjectInfo::parse(&bytes).map_err(Error::Decode)?;
        let mut object = Object {
            handle,
            storage_id: info.storage_id,
            parent: info.parent_object,
            format: info.object_format,
            size: info.compressed_size().map(u64::from),
            filename: text(&info.filename),
            capture_date: text(&info.capture_date),
            modification_date: text(&info.modification_date),
            protection: info.protection_status,
            width: info.image_pix_width,
            height: info.image_pix_height,
        };
        if object.size.is_none() && self.supports(MtpOp::GetObjectPropValue.code()) {
            object.size = self.object_size_64(handle).ok();
        }
        Ok(object)
    }

    /// MTP ObjectSize (0xDC04, UINT64).
    fn object_size_64(&mut self, handle: u32) -> Result<u64> {
        let params = [handle, u32::from(ObjectProperty::ObjectSize.code())];
        let bytes = self.data_in(MtpOp::GetObjectPropValue.code(), &params)?;
        match Value::read(&mut Reader::new(&bytes), "ObjectSize", DataType::UInt64) {
            Ok(Value::UInt64(size)) => Ok(size),
            Ok(_) => Err(Error::Unsupported("ObjectSize is not a UINT64".into())),
            Err(error) => Err(Error::Decode(error)),
        }
    }

    /// The objects directly inside `parent` (0xFFFFFFFF: the root) of a
    /// store. Cameras that return every object for the root are filtered.
    pub fn children(&mut self, storage_id: u32, parent: u32) -> Result<Vec<Object>> {
        let mut objects = Vec::new();
        for handle in self.handles(storage_id, 0, parent)? {
            let object = self.object(handle)?;
            let inside = match parent {
                ROOT => object.parent == 0 || object.parent == ROOT,
                parent => object.parent == parent,
            };
            if inside {
                objects.push(object);
            }
        }
        Ok(objects)
    }

    /// Resolves a path: `/` is not an object; `/STORE` names a store by
    /// `store_XXXXXXXX`, description or volume label; then file names. On
    /// a camera with one store the store may be left out.
    pub fn resolve(&mut self, path: &str) -> Result<Resolved> {
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        let storages = self.storages()?;
        let Some((first, rest)) = parts.split_first() else {
            return match storages.as_slice() {
                [only] => Ok(Resolved::Store(only.clone())),
                _ => Err(Error::Invalid(format!(
                    "`{path}` names no single store; start with one of: {}",
                    storages
                        .iter()
                        .map(Storage::path_name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            };
        };
        let named = storages.iter().find(|storage| {
            first.eq_ignore_ascii_case(&storage.path_name())
                || *first == storage.description
                || (!storage.volume_label.is_empty() && *first == storage.volume_label)
        });
        let (storage, names) = match (named, storages.as_slice()) {
            (Some(storage), _) => (storage.clone(), rest),
            (None, [only]) => (only.clone(), parts.as_slice()),
            (None, _) => {
                return Err(Error::NotFound(format!(
                    "store `{first}` (stores: {})",
                    storages
                        .iter()
                        .map(Storage::path_name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
        let mut current = Resolved::Store(storage);
        for name in names {
            let (storage_id, parent) = current.as_parent();
            let object = self
                .children(storage_id, parent)?
                .into_iter()
                .find(|object| object.filename == *name)
                .ok_or_else(|| Error::NotFound(format!("`{name}` in `{path}`")))?;
            current = Resolved::Object(object);
        }
        Ok(current)
    }

    /// The path of an object, from its parents (for listings).
    pub fn path_of(&mut self, object: &Object) -> Result<String> {
        let mut names = vec![object.filename.clone()];
        let mut parent = object.parent;
        let mut depth = 0;
        while parent != 0 && parent != ROOT && depth < 64 {
            let folder = self.object(parent)?;
            names.push(folder.filename);
            parent = folder.parent;
            depth += 1;
        }
        names.push(format!("store_{:08x}", object.storage_id));
        names.reverse();
        Ok(format!("/{}", names.join("/")))
    }
}
