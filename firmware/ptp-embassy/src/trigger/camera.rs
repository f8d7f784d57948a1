//! One camera on one connection: [`Camera::open`] reads DeviceInfo, picks
//! the [`Release`] for its vendor, opens a session and prepares it;
//! [`Camera::capture`] releases the shutter and waits for the events that
//! say the picture is there.

use super::command::{Reply, command};
use super::release::{Progress, Release};
use core::fmt;
use ptp_core::client::{Channel, Client, ClientError, Clock, DataError, EventError, EventReader};
use ptp_core::codes::{canon_eos, standard};
use ptp_core::dataset::{DeviceInfoScanner, EosScanner};
use ptp_core::responder::response;

/// How often a Canon EOS body is asked for its events (GetEvent).
pub const EOS_POLL_MS: u64 = 100;

/// What a capture produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Capture {
    /// The transaction that released the shutter.
    pub transaction_id: u32,
    /// The new object's handle, when the camera reported one.
    pub object: Option<u32>,
    /// Whether the camera reported the capture complete.
    pub complete: bool,
    /// Milliseconds from the release to the last event awaited.
    pub elapsed_ms: u64,
}

/// Why a capture failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TriggerError<C, E> {
    /// A transaction failed (the camera refused, or the connection broke).
    Client(ClientError<C>),
    /// The event channel failed.
    Events(EventError<E>),
    /// The camera did not report the picture in time.
    NoPicture {
        /// How long it was awaited, in milliseconds.
        waited_ms: u64,
        /// Whether an ObjectAdded came (but no completion).
        object: Option<u32>,
    },
}

impl<C, E> TriggerError<C, E> {
    /// Whether the connection is gone (reconnect, then open again).
    pub const fn is_disconnect(&self) -> bool {
        matches!(
            self,
            TriggerError::Client(ClientError::Channel(_))
                | TriggerError::Events(EventError::Channel(_))
        )
    }
}

impl<C: fmt::Display, E: fmt::Display> fmt::Display for TriggerError<C, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriggerError::Client(error) => write!(f, "{error}"),
            TriggerError::Events(error) => write!(f, "{error}"),
            TriggerError::NoPicture { waited_ms, object } => {
                write!(f, "no picture reported within {waited_ms} ms")?;
                match object {
                    Some(handle) => write!(f, " (object 0x{handle:08X} added, never completed)"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl<C, E> From<ClientError<C>> for TriggerError<C, E> {
    fn from(error: ClientError<C>) -> Self {
        TriggerError::Client(error)
    }
}

/// A camera with an open session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Camera {
    /// How its shutter is released.
    pub release: Release,
    /// Captures so far on this connection.
    pub captures: u32,
}

impl Camera {
    /// Reads DeviceInfo as it streams (only what tells the vendor is kept,
    /// so a body's several-KiB DeviceInfo needs no buffer), picks the
    /// release (`release`, or the one for the camera's vendor), opens
    /// session `session_id` (a session left open by an earlier connection
    /// is closed and opened again) and prepares it.
    pub async fn open<C: Channel, K: Clock, B: AsMut<[u8]>>(
        client: &mut Client<C, K, B>,
        session_id: u32,
        release: Option<Release>,
    ) -> Result<Camera, ClientError<C::Error>> {
        // In a block: the scanner's storage ends with the scan, not held
        // across the awaits after it.
        let vendor = {
            let mut scanner = DeviceInfoScanner::new([]);
            let get_device_info = standard::Operation::GetDeviceInfo.code();
            let mut reply = Reply::DeviceInfo(&mut scanner);
            command(client, get_device_info, &[], &mut reply).await?;
            scanner.finish()?.code_set().vendor
        };
        let release = release.unwrap_or(Release::for_vendor(vendor));
        info!("camera: {} release", release);
        let open = standard::Operation::OpenSession.code();
        // A bool, not the error, across the awaits below: the future stays
        // smaller.
        let already_open = match command(client, open, &[session_id], &mut Reply::Refuse).await {
            Err(error) => match error.response_code() {
                Some(response::SESSION_ALREADY_OPEN) => true,
                _ => return Err(error),
            },
            Ok(()) => false,
        };
        if already_open {
            let close = standard::Operation::CloseSession.code();
            command(client, close, &[], &mut Reply::Refuse).await?;
            command(client, open, &[session_id], &mut Reply::Refuse).await?;
        }
        release.prepare(client).await?;
        Ok(Camera {
            release,
            captures: 0,
        })
    }

    /// Releases the shutter and waits up to `timeout_ms` for the new object
    /// and the completion the camera's release reports.
    pub async fn capture<C, K, B, E, L>(
        &mut self,
        client: &mut Client<C, K, B>,
        events: &mut EventReader<E, L>,
        clock: &impl Clock,
        timeout_ms: u64,
    ) -> Result<Capture, TriggerError<C::Error, E::Error>>
    where
        C: Channel,
        K: Clock,
        B: AsMut<[u8]>,
        E: Channel,
        L: Clock,
    {
        let transaction_id = client.next_transaction_id();
        let started = clock.now_ms();
        self.release.fire(client).await?;
        let mut capture = Capture {
            transaction_id,
            object: None,
            complete: false,
            elapsed_ms: 0,
        };
        let deadline = started.saturating_add(timeout_ms);
        while !self.done(&capture) {
            let now = clock.now_ms();
            if now >= deadline {
                return Err(TriggerError::NoPicture {
                    waited_ms: now - started,
                    object: capture.object,
                });
            }
            if self.release.polls_events() {
                self.poll_eos(client, &mut capture).await?;
                let pause = deadline.saturating_sub(clock.now_ms()).min(EOS_POLL_MS);
                if !self.done(&capture) {
                    // Waiting on the event channel paces the polls; a
                    // standard event there counts too.
                    let event = events.next(pause).await.map_err(TriggerError::Events)?;
                    if let Some(event) = event {
                        self.note(&mut capture, event.code, event.params.get(0));
                    }
                }
                continue;
            }
            let event = events
                .next(deadline - now)
                .await
                .map_err(TriggerError::Events)?;
            if let Some(event) = event {
                self.note(&mut capture, event.code, event.params.get(0));
            }
        }
        capture.elapsed_ms = clock.now_ms().saturating_sub(started);
        self.captures += 1;
        info!(
            "capture {}: object {=?}, {} ms",
            self.captures, capture.object, capture.elapsed_ms
        );
        Ok(capture)
    }

    fn done(&self, capture: &Capture) -> bool {
        match self.release.sends_complete() {
            true => capture.complete,
            false => capture.object.is_some(),
        }
    }

    fn note(&self, capture: &mut Capture, code: u16, param: u32) {
        match self.release.progress(code, param) {
            Progress::ObjectAdded(handle) => capture.object = Some(handle),
            Progress::Complete => capture.complete = true,
            Progress::Other => {}
        }
    }

    /// Canon EOS: one GetEvent, streamed through the record scanner;
    /// ObjectAddedEx gives the object, and with it the capture is complete
    /// (EOS bodies send no completion record).
    async fn poll_eos<C: Channel, K: Clock, B: AsMut<[u8]>>(
        &self,
        client: &mut Client<C, K, B>,
        capture: &mut Capture,
    ) -> Result<(), ClientError<C::Error>> {
        let mut sink = EosSink {
            release: self.release,
            scanner: EosScanner::new(),
            object: None,
        };
        let get_event = canon_eos::Operation::GetEvent.code();
        command(client, get_event, &[], &mut Reply::Eos(&mut sink)).await?;
        if let Some(handle) = sink.object {
            capture.object = Some(handle);
            capture.complete = true;
        }
        Ok(())
    }
}

/// Takes GetEvent data and keeps the handle of an ObjectAddedEx record.
pub(super) struct EosSink {
    release: Release,
    scanner: EosScanner,
    object: Option<u32>,
}

impl EosSink {
    /// The next chunk of GetEvent data.
    pub(super) fn push(&mut self, chunk: &[u8]) -> Result<(), DataError> {
        let (release, object) = (self.release, &mut self.object);
        self.scanner
            .push(chunk, |record| {
                let code = u16::try_from(record.kind).unwrap_or(0);
                let param = record.first_word.unwrap_or(0);
                if let Progress::ObjectAdded(handle) = release.progress(code, param) {
                    *object = Some(handle);
                }
            })
            .map_err(|_| DataError::Failed)
    }
}
