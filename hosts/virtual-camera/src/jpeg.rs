//! What the virtual camera reads from JPEG files (untrusted bytes): the
//! image size from the SOF marker, and the EXIF thumbnail (IFD1's
//! JPEGInterchangeFormat) when there is one. Bounds-checked, never panics;
//! only the markers before the image data are read.

/// How many bytes at the start of a file are searched for the markers.
pub const HEADER_BYTES: usize = 256 * 1024;

/// What the JPEG header says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JpegHeader {
    /// Width and height from the first SOF marker.
    pub size: Option<(u16, u16)>,
    /// Bits per sample times components (24 for colour, 8 for grey).
    pub bit_depth: u32,
    /// Where the EXIF thumbnail (a JPEG) lies in the file: offset, length.
    pub exif_thumbnail: Option<(usize, usize)>,
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    let pair = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*pair.first()?, *pair.get(1)?]))
}

/// Parses the markers at the start of a JPEG file; `None` if it does not
/// start like one.
pub fn parse_header(bytes: &[u8]) -> Option<JpegHeader> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut header = JpegHeader::default();
    let mut at = 2;
    while let (Some(0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) {
        match marker {
            // Fill bytes before a marker.
            0xFF => {
                at += 1;
                continue;
            }
            // Standalone markers without a length.
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            // Start of scan or end of image: no more headers.
            0xDA | 0xD9 => break,
            _ => {}
        }
        let length = usize::from(be16(bytes, at + 2)?);
        if length < 2 {
            return Some(header);
        }
        let body_start = at + 4;
        let body_end = at + 2 + length;
        // A segment cut off by the end of what was read: what was found
        // so far is the answer.
        let Some(body) = bytes.get(body_start..body_end.min(bytes.len())) else {
            break;
        };
        match marker {
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF
                if !matches!(marker, 0xC4 | 0xC8 | 0xCC)
                    && header.size.is_none()
                    && body.len() >= 6 =>
            {
                let precision = u32::from(*body.first()?);
                let height = be16(body, 1)?;
                let width = be16(body, 3)?;
                let components = u32::from(*body.get(5)?);
                header.size = Some((width, height));
                header.bit_depth = precision * components;
            }
            0xE1 if body.starts_with(b"Exif\0\0") && header.exif_thumbnail.is_none() => {
                let tiff_start = body_start + 6;
                header.exif_thumbnail = body
                    .get(6..)
                    .and_then(exif_thumbnail)
                    .and_then(|(offset, len)| Some((tiff_start.checked_add(offset)?, len)));
            }
            _ => {}
        }
        if header.size.is_some() && (0xC0..=0xCF).contains(&marker) {
            // The frame header comes after the APPn segments: done.
            break;
        }
        at = body_end;
    }
    Some(header)
}

/// A TIFF structure's byte order.
#[derive(Clone, Copy)]
enum Order {
    Little,
    Big,
}

impl Order {
    fn u16(self, bytes: &[u8], at: usize) -> Option<u16> {
        let pair: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(match self {
            Order::Little => u16::from_le_bytes(pair),
            Order::Big => u16::from_be_bytes(pair),
        })
    }

    fn u32(self, bytes: &[u8], at: usize) -> Option<u32> {
        let quad: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(match self {
            Order::Little => u32::from_le_bytes(quad),
            Order::Big => u32::from_be_bytes(quad),
        })
    }
}

const JPEG_INTERCHANGE_FORMAT: u16 = 0x0201;
const JPEG_INTERCHANGE_FORMAT_LENGTH: u16 = 0x0202;

/// The thumbnail's offset and length within the TIFF structure of an EXIF
/// segment (IFD1's JPEGInterchangeFormat and its length), checked to lie
/// inside it and to start like a JPEG.
fn exif_thumbnail(tiff: &[u8]) -> Option<(usize, usize)> {
    let order = match tiff.get(..4)? {
        [b'I', b'I', 42, 0] => Order::Little,
        [b'M', b'M', 0, 42] => Order::Big,
        _ => return None,
    };
    let ifd0 = usize::try_from(order.u32(tiff, 4)?).ok()?;
    let entries0 = usize::from(order.u16(tiff, ifd0)?);
    let ifd1_at = ifd0
        .checked_add(2)?
        .checked_add(entries0.checked_mul(12)?)?;
    let ifd1 = usize::try_from(order.u32(tiff, ifd1_at)?).ok()?;
    if ifd1 == 0 {
        return None;
    }
    let entries1 = usize::from(order.u16(tiff, ifd1)?);
    let mut offset = None;
    let mut length = None;
    for index in 0..entries1 {
        let entry = ifd1.checked_add(2)?.checked_add(index.checked_mul(12)?)?;
        let tag = order.u16(tiff, entry)?;
        let value = order.u32(tiff, entry.checked_add(8)?)?;
        match tag {
            JPEG_INTERCHANGE_FORMAT => offset = usize::try_from(value).ok(),
            JPEG_INTERCHANGE_FORMAT_LENGTH => length = usize::try_from(value).ok(),
            _ => {}
        }
    }
    let (offset, length) = (offset?, length?);
    let thumbnail = tiff.get(offset..offset.checked_add(length)?)?;
    (length > 4 && thumbnail.starts_with(&[0xFF, 0xD8])).then_some((offset, length))
}

#[cfg(test)]
mod test {
    use super::*;

    /// SOI, an APP0 of 4 bytes, SOF0 of 640x480 with 3 components, SOS.
    static PLAIN: [u8; 31] = [
        0xFF, 0xD8, // SOI
        0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, // APP0
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, // SOF0 480x640
        0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, // components
        0xFF, 0xDA, 0x00, 0x02, // SOS
    ];

    #[test]
    fn size_from_sof() {
        let header = parse_header(&PLAIN).unwrap();
        assert_eq!(header.size, Some((640, 480)));
        assert_eq!(header.bit_depth, 24);
        assert_eq!(header.exif_thumbnail, None);
    }

    #[test]
    fn exif_thumbnail_is_located() {
        // TIFF (little endian): IFD0 with no entries at 8, IFD1 at 14 with
        // two entries: thumbnail at 44, 6 bytes.
        let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
        tiff.extend([0, 0, 14, 0, 0, 0]); // IFD0: 0 entries, next IFD at 14
        tiff.extend([2, 0]); // IFD1: 2 entries
        tiff.extend([0x01, 0x02, 4, 0, 1, 0, 0, 0, 44, 0, 0, 0]);
        tiff.extend([0x02, 0x02, 4, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        tiff.extend([0, 0, 0, 0]); // no next IFD
        assert_eq!(tiff.len(), 44);
        tiff.extend([0xFF, 0xD8, 1, 2, 0xFF, 0xD9]);
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xE1];
        let length = (2 + 6 + tiff.len()) as u16;
        file.extend(length.to_be_bytes());
        file.extend(b"Exif\0\0");
        file.extend(&tiff);
        file.extend(&PLAIN[8..]);
        let header = parse_header(&file).unwrap();
        let (offset, len) = header.exif_thumbnail.unwrap();
        assert_eq!(&file[offset..offset + len], &[0xFF, 0xD8, 1, 2, 0xFF, 0xD9]);
        assert_eq!(header.size, Some((640, 480)));
    }

    #[test]
    fn garbage_and_truncation_never_panic() {
        assert_eq!(parse_header(b"not a jpeg"), None);
        for len in 0..PLAIN.len() {
            let _ = parse_header(&PLAIN[..len]);
        }
        let mut state = 0x1234_5678u32;
        for _ in 0..2000 {
            let mut bytes = vec![0xFF, 0xD8];
            for _ in 0..64 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                bytes.push(if state.is_multiple_of(5) {
                    0xFF
                } else {
                    state as u8
                });
            }
            let _ = parse_header(&bytes);
            let _ = exif_thumbnail(&bytes[2..]);
        }
    }
}
