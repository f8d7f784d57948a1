//! The trigger's loop: connect, open the camera, and on every trigger
//! capture and report; when the connection breaks, connect again.

use super::camera::{Camera, Capture, TriggerError};
use super::release::Release;
use super::source::TriggerSource;
use embassy_time::Timer;
use ptp_core::client::{Channel, Client, ClientError, Clock, EventReader};

/// Makes a connection to the camera: the command/data channel and the
/// event channel (USB: enumerate and open the pipes; PTP/IP: two TCP
/// connections and the handshake).
#[allow(async_fn_in_trait)]
pub trait Connector {
    /// The command/data channel, borrowing the connector.
    type Channel<'c>: Channel
    where
        Self: 'c;
    /// The event channel, borrowing the connector.
    type Events<'c>: Channel
    where
        Self: 'c;
    /// Why connecting failed.
    type Error;

    /// Connects; waits for the camera as long as it takes or fails.
    async fn connect(&mut self) -> Result<(Self::Channel<'_>, Self::Events<'_>), Self::Error>;
}

/// How the trigger behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Settings {
    /// The session id to open.
    pub session_id: u32,
    /// The release to use; `None` picks the camera's vendor's.
    pub release: Option<Release>,
    /// How long a transaction may stall, in milliseconds.
    pub transaction_timeout_ms: u64,
    /// How long to wait for the picture after the release.
    pub capture_timeout_ms: u64,
    /// How long to wait before connecting again after a failure.
    pub retry_ms: u64,
}

impl Settings {
    /// Session 1, the vendor's release, 5 s per transaction, 10 s per
    /// capture, 1 s between connection attempts.
    pub const DEFAULT: Settings = Settings {
        session_id: 1,
        release: None,
        transaction_timeout_ms: 5_000,
        capture_timeout_ms: 10_000,
        retry_ms: 1_000,
    };
}

/// The trigger's buffers, owned by the caller.
pub struct Buffers<'a> {
    /// The client's receive buffer (512 bytes and up; larger is faster).
    pub receive: &'a mut [u8],
}

/// What the trigger did, for the board to log or show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Report {
    /// Connecting failed; it is retried.
    ConnectFailed,
    /// The connection is up but the camera refused the session (response
    /// code, when it sent one); it is retried.
    OpenFailed(Option<u16>),
    /// A camera is ready, released this way.
    Ready(Release),
    /// A picture was taken.
    Captured(Capture),
    /// The camera refused or did not report the picture (response code,
    /// when it sent one); the connection stays.
    CaptureFailed(Option<u16>),
    /// The connection broke; the trigger connects again.
    Disconnected,
}

/// Runs the trigger forever: connect, open, then capture on every
/// `source` trigger; reports each step through `report`.
pub async fn run<Co, S, K>(
    connector: &mut Co,
    source: &mut S,
    clock: &K,
    buffers: Buffers<'_>,
    settings: &Settings,
    mut report: impl FnMut(Report),
) -> !
where
    Co: Connector,
    S: TriggerSource,
    K: Clock,
{
    loop {
        let (channel, events) = match connector.connect().await {
            Ok(channels) => channels,
            Err(_) => {
                report(Report::ConnectFailed);
                Timer::after_millis(settings.retry_ms).await;
                continue;
            }
        };
        let mut client = Client::new(channel, clock, &mut *buffers.receive);
        client.set_timeout_ms(settings.transaction_timeout_ms);
        let mut events = EventReader::new(events, clock);
        let opened = Camera::open(&mut client, settings.session_id, settings.release).await;
        let mut camera = match opened {
            Ok(camera) => camera,
            Err(error) => {
                report(Report::OpenFailed(error.response_code()));
                drop(client);
                Timer::after_millis(settings.retry_ms).await;
                continue;
            }
        };
        report(Report::Ready(camera.release));
        loop {
            source.wait().await;
            let result = camera
                .capture(&mut client, &mut events, clock, settings.capture_timeout_ms)
                .await;
            match result {
                Ok(capture) => report(Report::Captured(capture)),
                Err(error) if error.is_disconnect() => {
                    warn!("trigger: camera disconnected");
                    report(Report::Disconnected);
                    break;
                }
                Err(error) => report(Report::CaptureFailed(response_code(&error))),
            }
        }
    }
}

fn response_code<C, E>(error: &TriggerError<C, E>) -> Option<u16> {
    match error {
        TriggerError::Client(ClientError::Response { code, .. }) => Some(*code),
        _ => None,
    }
}
