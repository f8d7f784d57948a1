//! The PTP object format of a file, from its extension.

use std::path::Path;

/// 0x3000: undefined non-image object.
pub const UNDEFINED: u16 = 0x3000;
/// 0x3001: association (a folder).
pub const ASSOCIATION: u16 = 0x3001;
/// 0x3801: EXIF/JPEG.
pub const EXIF_JPEG: u16 = 0x3801;
/// 0x3808: JFIF, the format of the thumbnails sent.
pub const JFIF: u16 = 0x3808;

/// Extensions (lower case) and their formats. Vendor raw formats are
/// reported as 0x3800 "undefined image" (a generic camera has no vendor
/// codes for them); DNG has its own code since PTP 1.1.
const BY_EXTENSION: [(&str, u16); 33] = [
    ("jpg", EXIF_JPEG),
    ("jpeg", EXIF_JPEG),
    ("jpe", EXIF_JPEG),
    ("tif", 0x380D),
    ("tiff", 0x380D),
    ("dng", 0x3811),
    ("cr2", 0x3800),
    ("cr3", 0x3800),
    ("crw", 0x3800),
    ("nef", 0x3800),
    ("nrw", 0x3800),
    ("arw", 0x3800),
    ("srf", 0x3800),
    ("orf", 0x3800),
    ("rw2", 0x3800),
    ("raf", 0x3800),
    ("pef", 0x3800),
    ("srw", 0x3800),
    ("bmp", 0x3804),
    ("gif", 0x3807),
    ("png", 0x380B),
    ("jp2", 0x380F),
    ("mp4", 0x300B),
    ("m4v", 0x300B),
    ("mpg", 0x300B),
    ("mpeg", 0x300B),
    ("mov", 0x300D),
    ("avi", 0x300A),
    ("wav", 0x3008),
    ("mp3", 0x3009),
    ("txt", 0x3004),
    ("htm", 0x3005),
    ("html", 0x3005),
];

/// Every format [`of_path`] can return, plus associations (DeviceInfo's
/// ImageFormats).
pub fn all() -> Vec<u16> {
    let mut formats: Vec<u16> = BY_EXTENSION.iter().map(|(_, format)| *format).collect();
    formats.extend([UNDEFINED, ASSOCIATION]);
    formats.sort_unstable();
    formats.dedup();
    formats
}

/// The format of a file named `path` (0x3000 when the extension is unknown).
pub fn of_path(path: &Path) -> u16 {
    let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
        return UNDEFINED;
    };
    BY_EXTENSION
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(extension))
        .map_or(UNDEFINED, |(_, format)| *format)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn formats_from_extensions() {
        assert_eq!(of_path(Path::new("a/IMG_0001.JPG")), EXIF_JPEG);
        assert_eq!(of_path(Path::new("x.NEF")), 0x3800);
        assert_eq!(of_path(Path::new("clip.mov")), 0x300D);
        assert_eq!(of_path(Path::new("README")), UNDEFINED);
        assert!(all().contains(&ASSOCIATION));
    }
}
