//! ObjectInfo datasets for the objects of the tree, and the image details
//! they need (JPEG size, thumbnail size), computed once per file version.
//! Only the thumbnail's size is kept: GetThumb makes it again (the same
//! bytes: the EXIF one is read from the file, a generated one is
//! deterministic), so memory does not grow with the number of objects
//! listed.

use crate::clock;
use crate::formats;
use crate::jpeg::{self, JpegHeader};
use crate::objects::{Entry, STORAGE_ID};
use crate::thumbnail;
use ptp_core::dataset::ObjectInfo;
use ptp_core::wire::PtpString;
use std::io::Read;
use std::path::Path;

/// AssociationType of a folder: generic folder.
const GENERIC_FOLDER: u16 = 0x0001;

/// What was learnt from an image file's contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageMeta {
    /// The JPEG header, for JPEG files.
    pub header: Option<JpegHeader>,
    /// The thumbnail's size, when there is or can be one.
    pub thumbnail: Option<ThumbSize>,
}

/// A thumbnail's byte count and pixel size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThumbSize {
    /// Bytes of JPEG.
    pub bytes: usize,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ImageMeta {
    /// Reads the details of the file at `path` of format `format`. Files
    /// that are not JPEG (or not readable) have none.
    pub fn read(path: &Path, format: u16) -> ImageMeta {
        if format != formats::EXIF_JPEG {
            return ImageMeta::default();
        }
        let mut start = Vec::new();
        let read = std::fs::File::open(path)
            .and_then(|file| file.take(jpeg::HEADER_BYTES as u64).read_to_end(&mut start));
        if let Err(error) = read {
            crate::log!("cannot read {}: {error}", path.display());
            return ImageMeta::default();
        }
        let Some(header) = jpeg::parse_header(&start) else {
            crate::log!("{} is named like a JPEG but is not one", path.display());
            return ImageMeta::default();
        };
        let thumbnail = match thumbnail::of_jpeg(path, &header) {
            Ok(thumbnail) => Some(ThumbSize {
                bytes: thumbnail.jpeg.len(),
                width: thumbnail.width,
                height: thumbnail.height,
            }),
            Err(why) => {
                crate::log!("no thumbnail for {}: {why}", path.display());
                None
            }
        };
        ImageMeta {
            header: Some(header),
            thumbnail,
        }
    }
}

/// A name cut to what a PTP string holds (254 UTF-16 units).
fn ptp_text(text: &str) -> String {
    let mut units = 0;
    text.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= ptp_core::wire::MAX_STRING_UNITS
        })
        .collect()
}

/// The object format of an entry: association for folders, else from the
/// file name.
pub fn format_of(entry: &Entry) -> u16 {
    if entry.found.is_folder {
        formats::ASSOCIATION
    } else {
        formats::of_path(&entry.found.relative)
    }
}

/// The ObjectInfo bytes of `entry` (whose details are `meta`).
pub fn emit(entry: &Entry, meta: &ImageMeta) -> Result<Vec<u8>, ptp_core::EncodeError> {
    let found = &entry.found;
    let format = format_of(entry);
    let name = ptp_text(&entry.name());
    let date = clock::format(clock::unix_seconds(found.modified));
    let (image_width, image_height, bit_depth) =
        match meta.header.and_then(|h| h.size.map(|s| (s, h))) {
            Some(((w, h), header)) => (u32::from(w), u32::from(h), header.bit_depth),
            None => (0, 0, 0),
        };
    let thumb = meta.thumbnail.as_ref();
    let info = ObjectInfo {
        storage_id: STORAGE_ID,
        object_format: format,
        protection_status: 0,
        object_compressed_size: u32::try_from(found.size).unwrap_or(ObjectInfo::SIZE_OVER_4GIB),
        thumb_format: if thumb.is_some() { formats::JFIF } else { 0 },
        thumb_compressed_size: thumb.map_or(0, |t| u32::try_from(t.bytes).unwrap_or(0)),
        thumb_pix_width: thumb.map_or(0, |t| t.width),
        thumb_pix_height: thumb.map_or(0, |t| t.height),
        image_pix_width: image_width,
        image_pix_height: image_height,
        image_bit_depth: bit_depth,
        parent_object: entry.parent,
        association_type: if found.is_folder { GENERIC_FOLDER } else { 0 },
        association_desc: 0,
        sequence_number: 0,
        filename: PtpString::Str(&name),
        capture_date: PtpString::Str(&date),
        modification_date: PtpString::Str(&date),
        keywords: PtpString::EMPTY,
    };
    let mut bytes = vec![0; info.buffer_len()];
    let len = info.emit(&mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::objects::Found;
    use std::path::PathBuf;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn folder_and_file_infos_parse_back() {
        let folder = Entry {
            handle: 1,
            parent: 0,
            found: Found {
                relative: PathBuf::from("DCIM"),
                is_folder: true,
                size: 0,
                modified: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            },
            meta: None,
        };
        let bytes = emit(&folder, &ImageMeta::default()).unwrap();
        let info = ObjectInfo::parse(&bytes).unwrap();
        assert_eq!(info.object_format, 0x3001);
        assert_eq!(info.association_type, 1);
        assert!(info.filename.eq_str("DCIM"));
        assert!(info.modification_date.eq_str("20231114T221320"));

        let file = Entry {
            handle: 2,
            parent: 1,
            found: Found {
                relative: PathBuf::from("DCIM/IMG.JPG"),
                is_folder: false,
                size: 5 << 30,
                modified: UNIX_EPOCH,
            },
            meta: None,
        };
        let meta = ImageMeta {
            header: Some(JpegHeader {
                size: Some((640, 480)),
                bit_depth: 24,
                exif_thumbnail: None,
            }),
            thumbnail: None,
        };
        let bytes = emit(&file, &meta).unwrap();
        let info = ObjectInfo::parse(&bytes).unwrap();
        assert_eq!(info.object_format, 0x3801);
        assert_eq!(info.object_compressed_size, 0xFFFF_FFFF);
        assert_eq!((info.image_pix_width, info.image_pix_height), (640, 480));
        assert_eq!(info.parent_object, 1);
        assert_eq!(info.thumb_format, 0);
    }

    #[test]
    fn long_names_are_cut_to_a_ptp_string() {
        assert_eq!(ptp_text(&"x".repeat(300)).len(), 254);
    }
}
