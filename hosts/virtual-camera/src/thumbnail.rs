//! Thumbnails for GetThumb and ObjectInfo: the EXIF thumbnail of a JPEG
//! when it has one, or one generated from the image (decoded at reduced
//! scale, fitted into 160x120, re-encoded as JPEG).

use crate::jpeg::{self, JpegHeader};
use jpeg_encoder::{ColorType, Encoder};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The box a generated thumbnail fits in.
pub const MAX_SIZE: (u32, u32) = (160, 120);
/// Images with more pixels than this are not decoded for a thumbnail.
pub const MAX_SOURCE_PIXELS: u64 = 120_000_000;
/// The most memory the decoder may use.
const MAX_DECODE_BYTES: usize = 64 * 1024 * 1024;
/// JPEG quality of generated thumbnails.
const QUALITY: u8 = 80;

/// A thumbnail: JPEG bytes and their pixel size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnail {
    /// The JPEG data.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The thumbnail of the JPEG at `path`, whose header is `header`; `None`
/// when there is none and none can be made (logged by the caller).
pub fn of_jpeg(path: &Path, header: &JpegHeader) -> Result<Thumbnail, String> {
    if let Some((offset, length)) = header.exif_thumbnail {
        let mut file = File::open(path).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(offset as u64))
            .map_err(|e| e.to_string())?;
        let mut jpeg = vec![0; length];
        file.read_exact(&mut jpeg).map_err(|e| e.to_string())?;
        if let Some((width, height)) = jpeg::parse_header(&jpeg).and_then(|h| h.size) {
            return Ok(Thumbnail {
                jpeg,
                width: u32::from(width),
                height: u32::from(height),
            });
        }
    }
    let (width, height) = header.size.ok_or("no frame header (SOF) found")?;
    if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
        return Err(format!("{width}x{height} is too large to decode"));
    }
    let file = File::open(path).map_err(|e| e.to_string())?;
    // The decoder is third-party code fed untrusted bytes: a panic in it is
    // contained and reported as a failure.
    std::panic::catch_unwind(move || generate(std::io::BufReader::new(file)))
        .map_err(|_| "the JPEG decoder failed (panicked)".to_owned())?
}

/// Decodes at the smallest scale at least the thumbnail's size, fits it,
/// encodes it.
fn generate(reader: impl Read) -> Result<Thumbnail, String> {
    let mut decoder = jpeg_decoder::Decoder::new(reader);
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES);
    decoder.read_info().map_err(|e| e.to_string())?;
    let (max_w, max_h) = MAX_SIZE;
    decoder
        .scale(max_w as u16, max_h as u16)
        .map_err(|e| e.to_string())?;
    let pixels = decoder.decode().map_err(|e| e.to_string())?;
    let info = decoder.info().ok_or("no image information")?;
    let (src_w, src_h) = (u32::from(info.width), u32::from(info.height));
    let rgb = to_rgb(&pixels, info.pixel_format)?;
    let (width, height) = fit(src_w, src_h, MAX_SIZE);
    let scaled = box_scale(&rgb, (src_w, src_h), (width, height));
    Ok(Thumbnail {
        jpeg: encode_rgb(&scaled, width, height, QUALITY)?,
        width,
        height,
    })
}

/// Encodes RGB pixels as a JPEG.
pub fn encode_rgb(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, String> {
    let mut jpeg = Vec::new();
    let w = u16::try_from(width).map_err(|_| "image too wide")?;
    let h = u16::try_from(height).map_err(|_| "image too tall")?;
    Encoder::new(&mut jpeg, quality)
        .encode(rgb, w, h, ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(jpeg)
}

/// Decoded pixels as RGB24.
fn to_rgb(pixels: &[u8], format: jpeg_decoder::PixelFormat) -> Result<Vec<u8>, String> {
    use jpeg_decoder::PixelFormat;
    Ok(match format {
        PixelFormat::RGB24 => pixels.to_vec(),
        PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|pair| {
                let l = pair.first().copied().unwrap_or(0);
                [l, l, l]
            })
            .collect(),
        PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|cmyk| {
                let [c, m, y, k] =
                    [0, 1, 2, 3].map(|i| u32::from(cmyk.get(i).copied().unwrap_or(0)));
                // Adobe JPEGs store inverted CMYK: the values are already 255 - ink.
                [c * k / 255, m * k / 255, y * k / 255].map(|v| v as u8)
            })
            .collect(),
    })
}

/// The size of a `width` x `height` image fitted into `bounds`, keeping the
/// aspect ratio (at least 1x1; never enlarged).
pub fn fit(width: u32, height: u32, bounds: (u32, u32)) -> (u32, u32) {
    let (max_w, max_h) = bounds;
    if width <= max_w && height <= max_h {
        return (width.max(1), height.max(1));
    }
    let scale_w = u64::from(max_w) * u64::from(height);
    let scale_h = u64::from(max_h) * u64::from(width);
    let (w, h) = if scale_w <= scale_h {
        (
            u64::from(max_w),
            u64::from(height) * u64::from(max_w) / u64::from(width.max(1)),
        )
    } else {
        (
            u64::from(width) * u64::from(max_h) / u64::from(height.max(1)),
            u64::from(max_h),
        )
    };
    let w = u32::try_from(w).unwrap_or(max_w).clamp(1, max_w);
    let h = u32::try_from(h).unwrap_or(max_h).clamp(1, max_h);
    (w, h)
}

/// Averages RGB pixels down to `to` (box filter).
fn box_scale(rgb: &[u8], from: (u32, u32), to: (u32, u32)) -> Vec<u8> {
    let (src_w, src_h) = (from.0 as usize, from.1 as usize);
    let (dst_w, dst_h) = (to.0 as usize, to.1 as usize);
    let mut out = Vec::with_capacity(dst_w * dst_h * 3);
    for y in 0..dst_h {
        let y0 = y * src_h / dst_h;
        let y1 = ((y + 1) * src_h / dst_h).max(y0 + 1);
        for x in 0..dst_w {
            let x0 = x * src_w / dst_w;
            let x1 = ((x + 1) * src_w / dst_w).max(x0 + 1);
            let mut sum = [0u32; 3];
            let mut count = 0u32;
            for sy in y0..y1 {
                for sx in x0..x1 {
                    let at = (sy * src_w + sx) * 3;
                    if let Some(pixel) = rgb.get(at..at + 3) {
                        for (total, value) in sum.iter_mut().zip(pixel) {
                            *total += u32::from(*value);
                        }
                        count += 1;
                    }
                }
            }
            let count = count.max(1);
            out.extend(sum.map(|total| (total / count) as u8));
        }
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn fitting_keeps_the_aspect_ratio() {
        assert_eq!(fit(640, 480, MAX_SIZE), (160, 120));
        assert_eq!(fit(4000, 1000, MAX_SIZE), (160, 40));
        assert_eq!(fit(100, 2000, MAX_SIZE), (6, 120));
        assert_eq!(fit(80, 60, MAX_SIZE), (80, 60));
    }

    #[test]
    fn generates_a_thumbnail_of_a_jpeg_without_exif() {
        let (w, h) = (400u32, 300u32);
        let rgb: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % w) as u8, (i / w) as u8, 128])
            .collect();
        let jpeg = encode_rgb(&rgb, w, h, 90).unwrap();
        let dir = std::env::temp_dir().join(format!("vcam-thumb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        let header = jpeg::parse_header(&jpeg).unwrap();
        let thumb = of_jpeg(&path, &header).unwrap();
        assert_eq!((thumb.width, thumb.height), (160, 120));
        let parsed = jpeg::parse_header(&thumb.jpeg).unwrap();
        assert_eq!(parsed.size, Some((160, 120)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_jpeg_is_an_error() {
        let dir = std::env::temp_dir().join(format!("vcam-broken-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("b.jpg");
        let bytes = [
            0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0, 16, 0, 16, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        ];
        std::fs::write(&path, bytes).unwrap();
        let header = jpeg::parse_header(&bytes).unwrap();
        assert!(of_jpeg(&path, &header).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
