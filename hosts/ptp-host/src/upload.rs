//! Uploads: SendObjectInfo, then the file streamed with SendObject.

use crate::camera::Camera;
use crate::error::{Error, Result};
use crate::sinks::{Progress, ReaderSource};
use embassy_futures::block_on;
use ptp_core::client::NewObject;
use ptp_core::codes::standard::ObjectFormat;
use ptp_core::dataset::ObjectInfo;
use ptp_core::wire::PtpString;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// The object format for a file name's extension.
pub fn format_for(path: &Path) -> ObjectFormat {
    let extension = path
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => ObjectFormat::ExifJpeg,
        "tif" | "tiff" => ObjectFormat::TIFF,
        "png" => ObjectFormat::PNG,
        "gif" => ObjectFormat::GIF,
        "bmp" => ObjectFormat::BMP,
        "dng" => ObjectFormat::DNG,
        "txt" => ObjectFormat::Text,
        "htm" | "html" => ObjectFormat::HTML,
        "wav" => ObjectFormat::WAV,
        "mp3" => ObjectFormat::MP3,
        "avi" => ObjectFormat::AVI,
        "mpg" | "mpeg" => ObjectFormat::MPEG,
        "mov" => ObjectFormat::QT,
        _ => ObjectFormat::Undefined,
    }
}

/// Sends the file at `path` into `parent` (0xFFFFFFFF: the root) of
/// `storage_id` (0: the camera chooses).
pub fn upload(
    camera: &mut Camera,
    path: &Path,
    storage_id: u32,
    parent: u32,
    progress: &mut dyn Progress,
) -> Result<NewObject> {
    let file = File::open(path).map_err(|error| Error::file(path, error))?;
    let size = file
        .metadata()
        .map_err(|error| Error::file(path, error))?
        .len();
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Invalid(format!("{} is not a file name", path.display())))?;
    let info = ObjectInfo {
        storage_id,
        object_format: format_for(path).code(),
        object_compressed_size: u32::try_from(size).unwrap_or(ObjectInfo::SIZE_OVER_4GIB),
        parent_object: parent,
        filename: PtpString::Str(&name),
        ..ObjectInfo::default()
    };
    let result = block_on(camera.client().send_object_info(storage_id, parent, &info));
    let new = camera.check(result)?;
    progress.start(Some(size), 0);
    let mut source = ReaderSource::new(BufReader::with_capacity(1 << 20, file), size, progress);
    let result = block_on(camera.client().send_object(&mut source));
    if let Some(error) = source.error.take() {
        return Err(Error::file(path, error));
    }
    camera.check(result)?;
    Ok(new)
}
