//! Capture: InitiateCapture, then the ObjectAdded events up to
//! CaptureComplete.

use crate::camera::Camera;
use crate::error::{Error, Result};
use embassy_futures::block_on;
use ptp_core::codes::standard::Event as StandardEvent;
use std::time::{Duration, Instant};

/// Captures with the camera's defaults and returns the handles of the new
/// objects. Waits at most `timeout` for CaptureComplete; a camera that
/// reports objects but never CaptureComplete still returns them.
pub fn capture(camera: &mut Camera, timeout: Duration) -> Result<Vec<u32>> {
    let result = block_on(camera.client().initiate_capture(0, 0));
    camera.check(result)?;
    let started = Instant::now();
    let mut added = Vec::new();
    while let Some(left) = timeout.checked_sub(started.elapsed()) {
        let Some(event) = camera.next_event(left)? else {
            break;
        };
        log::debug!("capture: event 0x{:04X} {:?}", event.code, event.params);
        match StandardEvent::from_code(event.code) {
            StandardEvent::ObjectAdded => added.push(event.params.get(0)),
            StandardEvent::CaptureComplete => return Ok(added),
            _ => {}
        }
    }
    if added.is_empty() {
        return Err(Error::Unsupported(format!(
            "the camera reported no new object within {} s of InitiateCapture; is it in a \
             mode that can shoot (and focused)?",
            timeout.as_secs()
        )));
    }
    log::warn!("no CaptureComplete event came; using the objects reported");
    Ok(added)
}
