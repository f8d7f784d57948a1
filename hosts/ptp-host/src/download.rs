//! Downloads that stream straight to disk, land atomically and resume.
//!
//! The data goes to `.NAME.ptpctl-part` beside the destination, is synced,
//! its size checked against the camera's, and only then renamed to NAME:
//! an interrupted download never leaves a partial file under the real
//! name. The next download of the same object resumes the part file with
//! GetPartialObject (GetPartialObject64, 0x95C1, past 4 GiB) when the
//! camera has it, and starts over otherwise.

use crate::camera::Camera;
use crate::error::{Error, Result};
use crate::objects::Object;
use crate::sinks::{FileSink, Progress};
use embassy_futures::block_on;
use ptp_core::codes::android::Operation as Android;
use ptp_core::codes::standard::Operation as Op;
use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The most asked of one GetPartialObject.
const PIECE: u64 = 1 << 30;

/// How to download.
pub struct DownloadOptions<'p> {
    /// Skip an object whose destination exists with the same size.
    pub skip_existing: bool,
    /// At most this many bytes per second.
    pub limit_rate: Option<u64>,
    /// Progress reporting.
    pub progress: &'p mut dyn Progress,
}

/// What a download did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Downloaded {
    /// The file is at `path`.
    Done {
        /// The destination.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// Bytes that were already there from an interrupted download.
        resumed_from: u64,
    },
    /// The destination was there already (`skip_existing`).
    Skipped {
        /// The destination.
        path: PathBuf,
    },
}

/// The part file of a destination.
pub fn part_path(destination: &Path) -> PathBuf {
    let name = destination
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    destination.with_file_name(format!(".{name}.ptpctl-part"))
}

/// A file name safe to create: no separators, not `.`/`..`, not empty.
pub fn safe_name(object: &Object) -> String {
    let cleaned: String = object
        .filename
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == '\0' {
                '_'
            } else {
                c
            }
        })
        .collect();
    match cleaned.trim() {
        "" | "." | ".." => format!("object_{:08x}", object.handle),
        _ => cleaned,
    }
}

/// Downloads `object` into `directory`.
pub fn download(
    camera: &mut Camera,
    object: &Object,
    directory: &Path,
    options: DownloadOptions<'_>,
) -> Result<Downloaded> {
    let destination = directory.join(safe_name(object));
    if options.skip_existing
        && let (Ok(metadata), Some(size)) = (destination.metadata(), object.size)
        && metadata.len() == size
    {
        return Ok(Downloaded::Skipped { path: destination });
    }
    let part = part_path(&destination);
    let existing = part.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let resume_from = match object.size {
        Some(size) if existing > 0 && existing <= size && can_resume(camera, existing) => existing,
        _ => 0,
    };
    let file_error = |error| Error::file(&part, error);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&part)
        .map_err(file_error)?;
    file.set_len(resume_from).map_err(file_error)?;
    file.seek(SeekFrom::Start(resume_from))
        .map_err(file_error)?;
    if resume_from > 0 {
        log::info!("{}: resuming at byte {resume_from}", destination.display());
    }
    options.progress.start(object.size, resume_from);
    let mut sink = FileSink::new(file, options.progress, options.limit_rate);
    let result = match (resume_from, object.size) {
        (0, _) | (_, None) => {
            let result = block_on(camera.client().get_object(object.handle, &mut sink));
            take_error(&mut sink, &part)?;
            camera.check(result)
        }
        (offset, Some(size)) => fetch_range(camera, object.handle, offset, size, &mut sink, &part),
    };
    result?;
    let written = sink.written;
    sink.finish().map_err(file_error)?;
    let got = resume_from + written;
    if let Some(expected) = object.size
        && got != expected
    {
        return Err(Error::SizeMismatch {
            path: part,
            expected,
            got,
        });
    }
    fs::rename(&part, &destination).map_err(|error| Error::file(&destination, error))?;
    if let Ok(directory) = File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(Downloaded::Done {
        path: destination,
        bytes: got,
        resumed_from: resume_from,
    })
}

/// Whether the camera can send the rest from `offset`.
fn can_resume(camera: &Camera, offset: u64) -> bool {
    let partial = camera.supports(Op::GetPartialObject.code());
    let partial_64 = camera.supports(Android::GetPartialObject64.code());
    (partial && offset <= u64::from(u32::MAX)) || partial_64
}

/// GetPartialObject (or GetPartialObject64) from `offset` to `size`.
fn fetch_range(
    camera: &mut Camera,
    handle: u32,
    mut offset: u64,
    size: u64,
    sink: &mut FileSink<'_>,
    part: &Path,
) -> Result<()> {
    let partial = camera.supports(Op::GetPartialObject.code());
    while offset < size {
        let piece = (size - offset).min(PIECE) as u32;
        let before = sink.written;
        let result = match u32::try_from(offset) {
            Ok(low) if partial => block_on(
                camera
                    .client()
                    .get_partial_object(handle, low, piece, &mut *sink),
            ),
            _ => block_on(
                camera
                    .client()
                    .get_partial_object_64(handle, offset, piece, &mut *sink),
            ),
        };
        take_error(sink, part)?;
        camera.check(result)?;
        let got = sink.written - before;
        if got == 0 {
            break;
        }
        offset += got;
    }
    Ok(())
}

/// The sink's own I/O error, if it stopped the transfer.
fn take_error(sink: &mut FileSink<'_>, part: &Path) -> Result<()> {
    match sink.error.take() {
        Some(error) => Err(Error::file(part, error)),
        None => Ok(()),
    }
}
