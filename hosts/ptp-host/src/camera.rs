//! A connected camera: the client over USB or PTP/IP, its event channel,
//! its DeviceInfo and the code tables in force.

use crate::clock::StdClock;
use crate::error::{Error, Result, TransportError};
use crate::link::{EventLink, Link};
use crate::session::Session;
use crate::sinks::{DATASET_LIMIT, VecSink};
use crate::{tcp, usb};
use embassy_futures::block_on;
use ptp_core::client::{Client, ClientError, EventReader};
use ptp_core::codes::{CodeSet, Vendor};
use ptp_core::dataset::DeviceInfo;
use ptp_core::event::Event;
use std::time::Duration;

/// 0x201E SessionAlreadyOpened.
const SESSION_ALREADY_OPEN: u16 = ptp_core::codes::standard::Response::SessionAlreadyOpened.code();

/// The client type of the host: 1 MiB receive buffer (USB reads of
/// 1 MiB, PTP/IP data-out chunks of 1 MiB).
pub type HostClient = Client<Link, StdClock, Vec<u8>>;

/// The receive buffer size.
pub const BUFFER_LEN: usize = 1 << 20;

/// Where the camera is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// On USB: the only camera, or the one at `BUS:ADDR`.
    Usb(Option<(u8, u8)>),
    /// PTP/IP at `HOST[:PORT]`.
    PtpIp(String),
}

/// Which code tables name the camera's codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Extension {
    /// Detected from DeviceInfo.
    #[default]
    Auto,
    /// Raw mode: standard PTP 1.1 names only.
    Raw,
    /// This vendor's, whatever the camera says (for testing).
    Imposed(Vendor),
}

/// How to connect.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long a transaction may stall, and the connect timeout.
    pub timeout: Duration,
    /// The code tables.
    pub extension: Extension,
    /// The friendly name sent to PTP/IP cameras.
    pub name: String,
    /// The PTP/IP GUID (`None`: the user's, see [`crate::guid`]).
    pub guid: Option<[u8; 16]>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            extension: Extension::Auto,
            name: "ptpctl".into(),
            guid: None,
        }
    }
}

/// A connected camera. Operations that need a session run inside a
/// [`Session`] from [`Camera::session`].
pub struct Camera {
    client: HostClient,
    events: EventReader<EventLink, StdClock>,
    device_info: Vec<u8>,
    code_set: CodeSet,
    description: String,
    next_session_id: u32,
}

impl Camera {
    /// Connects to `target` and reads its DeviceInfo (outside a session).
    pub fn open(target: &Target, options: &Options) -> Result<Camera> {
        match target {
            Target::PtpIp(host) => {
                let addr = tcp::resolve(host)?;
                let guid = options.guid.unwrap_or_else(crate::guid::user_guid);
                let connection = tcp::connect(addr, guid, &options.name, options.timeout)?;
                let description = format!(
                    "PTP/IP {} \"{}\"",
                    connection.addr, connection.responder_name
                );
                Camera::new(
                    Link::PtpIp(connection.command),
                    EventLink::PtpIp(connection.event),
                    description,
                    options,
                )
            }
            Target::Usb(location) => {
                let context = usb::context()?;
                let cameras = usb::discovery::list(&context).map_err(Error::UsbUnavailable)?;
                let camera = select(cameras, *location)?;
                let (channel, events) = usb::open(&context, &camera, options.timeout)?;
                Camera::new(
                    Link::Usb(channel),
                    EventLink::Usb(events),
                    format!("USB {camera}"),
                    options,
                )
            }
        }
    }

    /// A camera over given channels (for other transports and tests).
    pub fn new(
        link: Link,
        events: EventLink,
        description: String,
        options: &Options,
    ) -> Result<Camera> {
        let clock = StdClock::new();
        let mut client = Client::new(link, clock, vec![0u8; BUFFER_LEN]);
        client.set_timeout_ms(u64::try_from(options.timeout.as_millis()).unwrap_or(u64::MAX));
        let mut sink = VecSink::new(DATASET_LIMIT);
        let code = ptp_core::codes::standard::Operation::GetDeviceInfo.code();
        block_on(client.data_in(code, &[], &mut sink))
            .map_err(|error| Error::from_client(error, CodeSet::STANDARD))?;
        let info = DeviceInfo::parse(&sink.data).map_err(Error::Decode)?;
        let code_set = match options.extension {
            Extension::Auto => info.code_set(),
            Extension::Raw => CodeSet::STANDARD,
            Extension::Imposed(vendor) => CodeSet::vendor(vendor),
        };
        log::debug!(
            "{description}: {} {}, codes {:?}",
            info.manufacturer.chars().collect::<String>(),
            info.model.chars().collect::<String>(),
            code_set
        );
        Ok(Camera {
            client,
            events: EventReader::new(events, clock),
            device_info: sink.data,
            code_set,
            description,
            next_session_id: 1,
        })
    }

    /// How the camera was reached (`USB 001:004 ...`, `PTP/IP ...`).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The DeviceInfo read at connection.
    pub fn device_info(&self) -> DeviceInfo<'_> {
        // Parsed once already in `new`: this cannot fail.
        DeviceInfo::parse(&self.device_info).unwrap_or_default()
    }

    /// The DeviceInfo bytes as the camera sent them.
    pub fn device_info_bytes(&self) -> &[u8] {
        &self.device_info
    }

    /// The code tables in force.
    pub const fn code_set(&self) -> CodeSet {
        self.code_set
    }

    /// Imposes other code tables.
    pub fn set_code_set(&mut self, code_set: CodeSet) {
        self.code_set = code_set;
    }

    /// Whether DeviceInfo lists `operation`.
    pub fn supports(&self, operation: u16) -> bool {
        self.device_info().supports_operation(operation)
    }

    /// The open session's id, if any.
    pub const fn session_id(&self) -> Option<u32> {
        self.client.session_id()
    }

    /// The id the next transaction will use.
    pub const fn next_transaction_id(&self) -> u32 {
        self.client.next_transaction_id()
    }

    /// The client, for any operation (`ptp_host::block_on` runs it).
    pub fn client(&mut self) -> &mut HostClient {
        &mut self.client
    }

    /// A session: opened now and closed when the guard drops, or, if one
    /// is open already, shared (the outer guard closes it).
    pub fn session(&mut self) -> Result<Session<'_>> {
        if self.client.session_id().is_some() {
            return Ok(Session::shared(self));
        }
        let id = self.next_session_id;
        self.next_session_id = self.next_session_id.wrapping_add(1).max(1);
        let mut result = block_on(self.client.open_session(id));
        if result.as_ref().err().and_then(ClientError::response_code) == Some(SESSION_ALREADY_OPEN)
        {
            // A session left open by an initiator that died (a killed
            // ptpctl, over USB): close it and open ours, as libgphoto2 does.
            log::info!("the camera has a session open already: closing it first");
            let closed = block_on(self.client.close_session());
            log::debug!("CloseSession of the stale session: {closed:?}");
            result = block_on(self.client.open_session(id));
        }
        self.check(result)?;
        Ok(Session::owned(self))
    }

    /// Closes the open session (what dropping the outermost guard does).
    pub fn close_session(&mut self) -> Result<()> {
        let result = block_on(self.client.close_session());
        self.check(result)
    }

    /// Converts a client result, naming codes for this camera.
    pub fn check<T>(&self, result: Result<T, ClientError<TransportError>>) -> Result<T> {
        result.map_err(|error| Error::from_client(error, self.code_set))
    }

    /// Runs a data-in operation into memory (bounded by
    /// [`DATASET_LIMIT`]); a response other than OK is an error.
    pub fn data_in(&mut self, operation: u16, params: &[u32]) -> Result<Vec<u8>> {
        let mut sink = VecSink::new(DATASET_LIMIT);
        let result = block_on(self.client.data_in(operation, params, &mut sink));
        self.check(result)?;
        Ok(sink.data)
    }

    /// The next event, or `None` when none came within `timeout`.
    pub fn next_event(&mut self, timeout: Duration) -> Result<Option<Event>> {
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        block_on(self.events.next(millis)).map_err(|error| match error {
            ptp_core::client::EventError::Channel(error) => Error::Transport(error),
            ptp_core::client::EventError::Decode(error) => Error::Decode(error),
            ptp_core::client::EventError::TooLong { needed } => Error::TooLarge {
                needed,
                available: 64,
            },
        })
    }

    /// Events as an iterator that ends when none comes within `timeout`.
    pub fn events(&mut self, timeout: Duration) -> Events<'_> {
        Events {
            camera: self,
            timeout,
        }
    }
}

/// Events until one does not come in time; see [`Camera::events`].
pub struct Events<'c> {
    camera: &'c mut Camera,
    timeout: Duration,
}

impl Iterator for Events<'_> {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        self.camera.next_event(self.timeout).transpose()
    }
}

/// Picks the camera at `location`, or the only one.
fn select(cameras: Vec<usb::UsbCamera>, location: Option<(u8, u8)>) -> Result<usb::UsbCamera> {
    match location {
        Some((bus, address)) => cameras
            .into_iter()
            .find(|camera| camera.bus == bus && camera.address == address)
            .ok_or_else(|| {
                Error::NoDevice(format!("no PTP/MTP camera at USB {bus:03}:{address:03}"))
            }),
        None => {
            let mut cameras = cameras;
            match cameras.len() {
                0 => Err(Error::NoDevice("no PTP/MTP camera found on USB".into())),
                1 => Ok(cameras.remove(0)),
                _ => Err(Error::SeveralDevices(
                    cameras.iter().map(ToString::to_string).collect(),
                )),
            }
        }
    }
}
