//! A download cancelled on purpose part-way: a diagnostic of the cancel
//! path.
//!
//! GetObject streams into the destination's part file until a given number
//! of bytes arrived; then the sink stops, and the client cancels the
//! transaction (USB: class request 0x64 Cancel, then Get Device Status
//! until the device says OK, stalled endpoints cleared and the IN pipe
//! drained; PTP/IP: a Cancel packet, then what the camera still sends of
//! the transaction read and dropped up to its response). The part file
//! then holds exactly those bytes, so a [`download`](crate::download::download)
//! of the same object, in the same session, resumes from it
//! (GetPartialObject) and proves the session survived the cancel.

use crate::camera::Camera;
use crate::download::{part_path, safe_name};
use crate::error::{Error, Result};
use crate::objects::Object;
use crate::sinks::{FileSink, Progress};
use crate::usb::CancelOutcome;
use embassy_futures::block_on;
use ptp_core::client::{ClientError, DataError, DataSink};
use ptp_core::framer::Transport;
use std::fs::File;
use std::path::Path;

/// How the camera took the cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// USB: what Get Device Status said after the Cancel request, and what
    /// was drained.
    Usb(CancelOutcome),
    /// PTP/IP: the Cancel packet went out; `response_seen` when the
    /// camera's response to the cancelled transaction arrived (with
    /// whatever data it still sent first, all dropped), so the connection
    /// is back in step.
    PtpIp {
        /// Whether the cancelled transaction's response arrived.
        response_seen: bool,
    },
}

/// A cancelled GetObject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelReport {
    /// The GetObject transaction that was cancelled.
    pub transaction_id: u32,
    /// Bytes kept in the part file (the cancel point).
    pub kept: u64,
    /// How the camera took it.
    pub confirmation: Confirmation,
}

/// What [`cancel_download`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartialGet {
    /// The transaction was cancelled; the part file holds the bytes before.
    Cancelled(CancelReport),
    /// The object (of unknown size) ended before the cancel point: nothing
    /// was cancelled and the part file holds it whole.
    Completed {
        /// Its size.
        bytes: u64,
    },
}

/// Starts downloading `object` into `directory` and cancels the
/// transaction once `cancel_after` bytes arrived, leaving them in the part
/// file. The object must be a file larger than `cancel_after` bytes (when
/// its size is known).
pub fn cancel_download(
    camera: &mut Camera,
    object: &Object,
    directory: &Path,
    cancel_after: u64,
    limit_rate: Option<u64>,
    progress: &mut dyn Progress,
) -> Result<PartialGet> {
    if object.is_folder() {
        return Err(Error::Invalid(format!(
            "`{}` is a folder: a cancelled download needs one file",
            object.filename
        )));
    }
    if let Some(size) = object.size
        && size <= cancel_after
    {
        return Err(Error::Invalid(format!(
            "cannot cancel after {cancel_after} bytes: `{}` has only {size}",
            object.filename
        )));
    }
    let part = part_path(&directory.join(safe_name(object)));
    let file = File::create(&part).map_err(|error| Error::file(&part, error))?;
    progress.start(object.size, 0);
    let mut sink = StopAfter::new(FileSink::new(file, progress, limit_rate), cancel_after);
    // Forget any earlier cancel's outcome: the one read below is this one's.
    camera.client().channel_mut().take_usb_cancel();
    let transaction_id = camera.next_transaction_id();
    let result = block_on(camera.client().get_object(object.handle, &mut sink));
    let stopped = sink.stopped;
    let mut inner = sink.inner;
    if let Some(error) = inner.error.take() {
        return Err(Error::file(&part, error));
    }
    let kept = inner.written;
    inner.finish().map_err(|error| Error::file(&part, error))?;
    match result {
        Ok(()) => return Ok(PartialGet::Completed { bytes: kept }),
        Err(ClientError::Sink(DataError::Stopped)) if stopped => {}
        Err(error) => return Err(Error::from_client(error, camera.code_set())),
    }
    let transport = camera.client().transport();
    let confirmation = match (transport, camera.client().channel_mut().take_usb_cancel()) {
        (Transport::Usb, Some(Ok(outcome))) => Confirmation::Usb(outcome),
        (Transport::Usb, Some(Err(error))) => return Err(Error::CancelFailed(error)),
        // The client did not get as far as the control transfer.
        (Transport::Usb, None) => return Err(Error::CancelFailed(rusb::Error::Other)),
        (Transport::PtpIp, _) => Confirmation::PtpIp {
            response_seen: !camera.client().initiator().cancel_pending(),
        },
    };
    Ok(PartialGet::Cancelled(CancelReport {
        transaction_id,
        kept,
        confirmation,
    }))
}

/// Passes the first `limit` bytes to `inner`, then stops the data phase
/// ([`DataError::Stopped`]), which cancels the transaction.
struct StopAfter<S> {
    inner: S,
    limit: u64,
    passed: u64,
    /// Whether it stopped the data phase.
    stopped: bool,
}

impl<S: DataSink> StopAfter<S> {
    fn new(inner: S, limit: u64) -> Self {
        StopAfter {
            inner,
            limit,
            passed: 0,
            stopped: false,
        }
    }
}

impl<S: DataSink> DataSink for StopAfter<S> {
    fn start(&mut self, total: Option<u64>) -> std::result::Result<(), DataError> {
        self.inner.start(total)
    }

    async fn write(&mut self, chunk: &[u8]) -> std::result::Result<(), DataError> {
        let room = usize::try_from(self.limit - self.passed).unwrap_or(usize::MAX);
        let (now, _) = chunk.split_at(room.min(chunk.len()));
        self.inner.write(now).await?;
        self.passed += now.len() as u64;
        if self.passed >= self.limit {
            self.stopped = true;
            return Err(DataError::Stopped);
        }
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use ptp_core::client::SliceSink;

    #[test]
    fn passes_exactly_the_limit_then_stops() {
        let mut out = [0u8; 128];
        let mut sink = StopAfter::new(SliceSink::new(&mut out), 10);
        block_on(async {
            sink.start(Some(100)).unwrap();
            sink.write(&[1; 4]).await.unwrap();
            assert_eq!(sink.write(&[2; 8]).await, Err(DataError::Stopped));
        });
        assert!(sink.stopped);
        assert_eq!(sink.passed, 10);
        assert_eq!(sink.inner.data(), [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn a_limit_of_zero_stops_at_the_first_chunk() {
        let mut out = [0u8; 8];
        let mut sink = StopAfter::new(SliceSink::new(&mut out), 0);
        let result = block_on(sink.write(&[7; 3]));
        assert_eq!(result, Err(DataError::Stopped));
        assert!(sink.inner.is_empty());
    }

    #[test]
    fn the_inner_sink_failing_is_not_a_stop() {
        let mut out = [0u8; 2];
        let mut sink = StopAfter::new(SliceSink::new(&mut out), 10);
        let result = block_on(sink.write(&[7; 3]));
        assert_eq!(result, Err(DataError::Full { capacity: 2 }));
        assert!(!sink.stopped);
    }
}
