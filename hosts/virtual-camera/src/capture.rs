//! InitiateCapture: after the self-timer (CaptureDelay), a new JPEG of the
//! current ImageSize showing the camera's time is written to the served
//! directory as `CAPTnnnn.JPG`, added to the tree, and announced with
//! ObjectAdded then CaptureComplete (both carrying the capture's
//! transaction id) on the event connection.

use crate::clock;
use crate::device_info::event;
use crate::objects::Found;
use crate::state::{Shared, lock};
use crate::thumbnail;
use crate::upload;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, SystemTime};

/// JPEG quality of captures.
const QUALITY: u8 = 85;

/// Which segments of a seven-segment digit are lit: a b c d e f g.
const SEGMENTS: [[bool; 7]; 10] = [
    [true, true, true, true, true, true, false],
    [false, true, true, false, false, false, false],
    [true, true, false, true, true, false, true],
    [true, true, true, true, false, false, true],
    [false, true, true, false, false, true, true],
    [true, false, true, true, false, true, true],
    [true, false, true, true, true, true, true],
    [true, true, true, false, false, false, false],
    [true, true, true, true, true, true, true],
    [true, true, true, true, false, true, true],
];

/// An RGB image being drawn.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn fill_rect(&mut self, x: u32, y: u32, w: u32, h: u32, color: [u8; 3]) {
        for row in y..(y + h).min(self.height) {
            for column in x..(x + w).min(self.width) {
                let at = ((row * self.width + column) * 3) as usize;
                if let Some(pixel) = self.pixels.get_mut(at..at + 3) {
                    pixel.copy_from_slice(&color);
                }
            }
        }
    }

    /// A seven-segment digit in a `w` x `2w` cell at (x, y).
    fn digit(&mut self, digit: usize, x: u32, y: u32, w: u32, color: [u8; 3]) {
        let t = (w / 5).max(1);
        let h = 2 * w;
        let lit = SEGMENTS.get(digit).copied().unwrap_or([false; 7]);
        let rects = [
            (x, y, w, t),                     // a
            (x + w - t, y, t, h / 2),         // b
            (x + w - t, y + h / 2, t, h / 2), // c
            (x, y + h - t, w, t),             // d
            (x, y + h / 2, t, h / 2),         // e
            (x, y, t, h / 2),                 // f
            (x, y + h / 2 - t / 2, w, t),     // g
        ];
        for (on, (rx, ry, rw, rh)) in lit.iter().zip(rects) {
            if *on {
                self.fill_rect(rx, ry, rw, rh, color);
            }
        }
    }

    /// `text` (digits and `:`) centred on the row at `y`, digits `w` wide.
    fn text(&mut self, text: &str, y: u32, w: u32, color: [u8; 3]) {
        let advance = |c: char| if c == ':' { w / 2 } else { w + w / 3 };
        let total: u32 = text.chars().map(advance).sum();
        let mut x = self.width.saturating_sub(total) / 2;
        for c in text.chars() {
            match c.to_digit(10) {
                Some(d) => self.digit(d as usize, x, y, w, color),
                None => {
                    let t = (w / 5).max(1);
                    self.fill_rect(x, y + w / 2, t, t, color);
                    self.fill_rect(x, y + 3 * w / 2 - t, t, t, color);
                }
            }
            x += advance(c);
        }
    }
}

/// A `width` x `height` JPEG showing the time `seconds` (HH:MM:SS) and the
/// capture `number` over a gradient.
pub fn render(width: u32, height: u32, seconds: i64, number: u32) -> Result<Vec<u8>, String> {
    let mut canvas = Canvas {
        width,
        height,
        pixels: Vec::with_capacity((width * height * 3) as usize),
    };
    let hue = (number.wrapping_mul(47) % 256) as u8;
    for y in 0..height {
        for x in 0..width {
            let r = (x * 255 / width.max(1)) as u8;
            let g = (y * 255 / height.max(1)) as u8;
            canvas.pixels.extend([r / 2, g / 2, hue / 2 + 64]);
        }
    }
    let time = clock::to_datetime(seconds);
    let text = format!("{:02}:{:02}:{:02}", time.hour, time.minute, time.second);
    let w = (width / 12).max(3);
    canvas.text(&text, height / 2 - w, w, [255, 255, 255]);
    let small = (w / 3).max(2);
    canvas.text(
        &format!("{number:04}"),
        height - 3 * small,
        small,
        [255, 220, 0],
    );
    thumbnail::encode_rgb(&canvas.pixels, width, height, QUALITY)
}

/// The first `CAPTnnnn.JPG` name not taken in the served directory.
fn next_name(shared: &Shared) -> (String, u32) {
    let tree = lock(&shared.objects);
    let root = tree.root().to_path_buf();
    (1..=9999)
        .map(|n| (format!("CAPT{n:04}.JPG"), n))
        .find(|(name, _)| !root.join(name).exists())
        .unwrap_or_else(|| {
            (
                format!("CAPT{}.JPG", clock::unix_seconds(SystemTime::now())),
                0,
            )
        })
}

/// Runs a capture on its own thread; `transaction_id` is InitiateCapture's.
pub fn start(shared: Arc<Shared>, transaction_id: u32) -> std::io::Result<()> {
    thread::Builder::new()
        .name("vcam-capture".to_owned())
        .spawn(move || {
            if let Err(why) = capture(&shared, transaction_id) {
                crate::log!("capture failed: {why}");
            }
            shared.capturing.store(false, Ordering::Release);
        })
        .map(|_| ())
}

fn capture(shared: &Shared, transaction_id: u32) -> Result<(), String> {
    let (size, delay, now) = {
        let properties = lock(&shared.properties);
        (
            properties.image_size(),
            properties.capture_delay(),
            properties.clock().now(),
        )
    };
    let mut waited = Duration::ZERO;
    while waited < delay {
        if shared.stopping.load(Ordering::Relaxed) {
            return Err("the server is stopping".to_owned());
        }
        let step = Duration::from_millis(20);
        thread::sleep(step);
        waited += step;
    }
    let (name, number) = next_name(shared);
    let jpeg = render(size.0, size.1, now, number)?;
    let relative = PathBuf::from(&name);
    let mut tree = lock(&shared.objects);
    let target = tree.root().join(&relative);
    upload::write_new(&target, &format!("capture-{number}"), &jpeg)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    let handle = tree.insert(
        Found {
            relative,
            is_folder: false,
            size: jpeg.len() as u64,
            modified: std::fs::metadata(&target)
                .and_then(|m| m.modified())
                .unwrap_or_else(|_| SystemTime::now()),
        },
        None,
    );
    drop(tree);
    crate::log!(
        "captured {name} ({} bytes), object 0x{handle:08X}",
        jpeg.len()
    );
    shared
        .events
        .send(event::OBJECT_ADDED, transaction_id, &[handle]);
    shared
        .events
        .send(event::CAPTURE_COMPLETE, transaction_id, &[]);
    Ok(())
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::jpeg;

    #[test]
    fn renders_a_jpeg_of_the_asked_size() {
        let bytes = render(320, 240, 1_700_000_000, 7).unwrap();
        let header = jpeg::parse_header(&bytes).unwrap();
        assert_eq!(header.size, Some((320, 240)));
    }
}
