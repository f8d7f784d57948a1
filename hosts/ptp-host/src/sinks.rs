//! Host sinks and sources for data phases: a bounded `Vec` for datasets,
//! files for objects (with progress and an optional rate limit).

use ptp_core::client::{DataError, DataSink, DataSource};
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::time::{Duration, Instant};

/// The largest dataset held in memory (object handle lists of a million
/// objects fit).
pub const DATASET_LIMIT: usize = 64 * 1024 * 1024;

/// Told how a transfer advances (a progress bar).
pub trait Progress {
    /// The transfer starts; `total` bytes when known, `done` already there
    /// (a resumed download).
    fn start(&mut self, total: Option<u64>, done: u64);
    /// `bytes` more arrived or went out.
    fn advance(&mut self, bytes: u64);
}

/// No progress reporting.
#[derive(Debug, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _total: Option<u64>, _done: u64) {}
    fn advance(&mut self, _bytes: u64) {}
}

/// Collects a data phase into a `Vec`, refusing more than a limit.
#[derive(Debug)]
pub struct VecSink {
    /// The bytes.
    pub data: Vec<u8>,
    limit: usize,
}

impl VecSink {
    /// A sink of at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        VecSink {
            data: Vec::new(),
            limit,
        }
    }
}

impl DataSink for VecSink {
    fn start(&mut self, total: Option<u64>) -> Result<(), DataError> {
        self.data.clear();
        match total {
            Some(total) if total > self.limit as u64 => Err(DataError::Full {
                capacity: self.limit,
            }),
            Some(total) => {
                self.data.reserve(total as usize);
                Ok(())
            }
            None => Ok(()),
        }
    }

    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        if self.data.len() + chunk.len() > self.limit {
            return Err(DataError::Full {
                capacity: self.limit,
            });
        }
        self.data.extend_from_slice(chunk);
        Ok(())
    }
}

/// Paces a transfer to at most a number of bytes per second.
#[derive(Debug)]
struct Pace {
    bytes_per_second: u64,
    started: Instant,
    moved: u64,
}

impl Pace {
    fn wait(&mut self, bytes: u64) {
        self.moved += bytes;
        let due = Duration::from_secs_f64(self.moved as f64 / self.bytes_per_second.max(1) as f64);
        if let Some(ahead) = due.checked_sub(self.started.elapsed()) {
            std::thread::sleep(ahead);
        }
    }
}

/// Streams a data phase into a file.
pub struct FileSink<'p> {
    file: BufWriter<File>,
    /// Bytes written.
    pub written: u64,
    /// The write error that stopped the transfer, if any.
    pub error: Option<io::Error>,
    progress: &'p mut dyn Progress,
    pace: Option<Pace>,
}

impl<'p> FileSink<'p> {
    /// A sink appending to `file`, reporting to `progress`, at most
    /// `limit_rate` bytes per second when given.
    pub fn new(file: File, progress: &'p mut dyn Progress, limit_rate: Option<u64>) -> Self {
        FileSink {
            file: BufWriter::with_capacity(1 << 20, file),
            written: 0,
            error: None,
            progress,
            pace: limit_rate.map(|bytes_per_second| Pace {
                bytes_per_second,
                started: Instant::now(),
                moved: 0,
            }),
        }
    }

    /// Flushes and syncs the file to disk.
    pub fn finish(self) -> io::Result<File> {
        let file = self
            .file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok(file)
    }
}

impl DataSink for FileSink<'_> {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        if let Err(error) = self.file.write_all(chunk) {
            self.error = Some(error);
            return Err(DataError::Failed);
        }
        self.written += chunk.len() as u64;
        self.progress.advance(chunk.len() as u64);
        if let Some(pace) = &mut self.pace {
            pace.wait(chunk.len() as u64);
        }
        Ok(())
    }
}

/// Streams a file (any reader of known length) as a data-out phase.
pub struct ReaderSource<'p, R> {
    reader: R,
    total: u64,
    sent: u64,
    /// The read error that stopped the transfer, if any.
    pub error: Option<io::Error>,
    progress: &'p mut dyn Progress,
}

impl<'p, R: Read> ReaderSource<'p, R> {
    /// A source of `total` bytes from `reader`.
    pub fn new(reader: R, total: u64, progress: &'p mut dyn Progress) -> Self {
        ReaderSource {
            reader,
            total,
            sent: 0,
            error: None,
            progress,
        }
    }
}

impl<R: Read> DataSource for ReaderSource<'_, R> {
    fn total(&self) -> u64 {
        self.total
    }

    async fn fill(&mut self, buffer: &mut [u8]) -> Result<usize, DataError> {
        let want = usize::try_from(self.total - self.sent)
            .unwrap_or(usize::MAX)
            .min(buffer.len());
        let target = buffer.get_mut(..want).unwrap_or(&mut []);
        let mut filled = 0;
        while filled < target.len() {
            match self
                .reader
                .read(target.get_mut(filled..).unwrap_or(&mut []))
            {
                Ok(0) => break,
                Ok(count) => filled += count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.error = Some(error);
                    return Err(DataError::Failed);
                }
            }
        }
        if filled == 0 && want > 0 {
            return Err(DataError::Ended { sent: self.sent });
        }
        self.sent += filled as u64;
        self.progress.advance(filled as u64);
        Ok(filled)
    }
}
