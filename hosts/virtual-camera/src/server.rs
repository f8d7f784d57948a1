//! The listening server: accepts connections, runs each one's PTP/IP
//! handshake on its own thread, serves one session at a time, and stops on
//! request.
//!
//! A connection's first packet decides what it is:
//! - `Init Command Request`: a new session, unless one is live; then, after
//!   [`Timeouts::busy_grace`](crate::Timeouts::busy_grace) (time for an
//!   initiator that is closing to finish), `Init Fail` with reason *busy*,
//!   as a camera that serves one initiator does.
//! - `Init Event Request` with the live session's connection number: that
//!   session's event connection. Any other number: `Init Fail`.
//! - `Probe Request`: answered, then closed. Anything else: closed, logged.

use crate::camera::Camera;
use crate::connection;
use crate::event_channel;
use crate::objects::{self, ObjectTree};
use crate::properties::Properties;
use crate::state::{ActiveSession, SessionSlot, Shared, lock};
use crate::watcher;
use crate::{Config, Error};
use ptp_core::Status;
use ptp_core::ptpip::{FailReason, Packet, VERSION};
use ptp_core::wire::PtpString;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Connections allowed in their handshake at once; more are closed at once.
pub const MAX_PENDING_HANDSHAKES: usize = 16;
/// The largest init packet read.
const MAX_INIT_LEN: usize = 1024;

/// A bound server, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
}

/// A server serving on a background thread; stopped by [`Self::stop`] or
/// when dropped.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<thread::JoinHandle<Result<(), Error>>>,
}

/// A GUID for the camera, derived from its name and directory so it stays
/// the same across restarts (FNV-1a, twice).
fn guid(config: &Config) -> [u8; 16] {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    let mut guid = [0u8; 16];
    let text = format!("{}\0{}", config.name, config.dir.display());
    for (half, chunk) in guid.chunks_mut(8).enumerate() {
        for byte in text.bytes().chain([half as u8]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        chunk.copy_from_slice(&hash.to_le_bytes());
    }
    guid
}

impl Server {
    /// Checks the configuration, scans the directory and binds the socket.
    pub fn bind(config: Config) -> Result<Server, Error> {
        if !config.dir.is_dir() {
            return Err(Error::NotADirectory(config.dir.clone()));
        }
        if !config.listen.ip().is_loopback() && !config.allow_remote {
            return Err(Error::NonLoopback(config.listen));
        }
        let name_units = config.name.encode_utf16().count();
        if name_units == 0 || name_units > ptp_core::ptpip::MAX_NAME_UNITS {
            return Err(Error::BadName(config.name.clone()));
        }
        let mut tree = ObjectTree::new(config.dir.clone());
        let (found, truncated) = objects::scan(&config.dir)?;
        if truncated {
            crate::log!(
                "more than {} objects in {}: only the first are served",
                objects::MAX_OBJECTS,
                config.dir.display()
            );
        }
        tree.sync(found);
        let listener = TcpListener::bind(config.listen).map_err(|source| Error::Bind {
            addr: config.listen,
            source,
        })?;
        let guid = guid(&config);
        let serial = guid
            .iter()
            .take(6)
            .map(|b| format!("{b:02X}"))
            .collect::<String>();
        let shared = Arc::new(Shared {
            objects: Mutex::new(tree),
            properties: Mutex::new(Properties::new()),
            events: event_channel::EventRouter::default(),
            session: Mutex::new(SessionSlot {
                active: None,
                next_connection: 1,
            }),
            capturing: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            guid,
            serial,
            config,
        });
        Ok(Server { listener, shared })
    }

    /// The address it listens on (with the real port when 0 was asked).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until stopped (by a [`RunningServer`]) or until accepting
    /// fails.
    pub fn run(self) -> Result<(), Error> {
        let Server { listener, shared } = self;
        let watcher = watcher::spawn(Arc::clone(&shared), shared.config.watch_interval)?;
        let pending = Arc::new(AtomicUsize::new(0));
        let mut threads: Vec<thread::JoinHandle<()>> = Vec::new();
        let mut result = Ok(());
        for incoming in listener.incoming() {
            if shared.stopping.load(Ordering::Relaxed) {
                break;
            }
            threads.retain(|thread| !thread.is_finished());
            let stream = match incoming {
                Ok(stream) => stream,
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Interrupted | ErrorKind::ConnectionAborted
                    ) =>
                {
                    continue;
                }
                Err(e) => {
                    crate::log!("accepting failed: {e}");
                    if e.raw_os_error()
                        .is_some_and(|code| code == 24 || code == 23)
                    {
                        // Out of file descriptors: wait for some to close.
                        thread::sleep(Duration::from_millis(100));
                        continue;
                    }
                    result = Err(Error::Io(e));
                    break;
                }
            };
            let peer = stream
                .peer_addr()
                .map_or_else(|_| "?".to_owned(), |a| a.to_string());
            if pending.fetch_add(1, Ordering::AcqRel) >= MAX_PENDING_HANDSHAKES {
                pending.fetch_sub(1, Ordering::AcqRel);
                crate::log!(
                    "{peer}: dropped, {MAX_PENDING_HANDSHAKES} connections already in their handshake"
                );
                continue;
            }
            let shared = Arc::clone(&shared);
            let pending = Arc::clone(&pending);
            let spawned = thread::Builder::new()
                .name(format!("vcam-{peer}"))
                .spawn(move || handle(stream, &peer, &shared, &pending));
            match spawned {
                Ok(thread) => threads.push(thread),
                Err(e) => crate::log!("cannot start a thread for a connection: {e}"),
            }
        }
        shared.stopping.store(true, Ordering::Relaxed);
        shutdown_session(&shared);
        for thread in threads {
            let _ = thread.join();
        }
        let _ = watcher.join();
        result
    }

    /// Serves on a background thread.
    pub fn spawn(self) -> Result<RunningServer, Error> {
        let addr = self.local_addr()?;
        let shared = Arc::clone(&self.shared);
        let thread = thread::Builder::new()
            .name("vcam-server".to_owned())
            .spawn(move || self.run())?;
        Ok(RunningServer {
            addr,
            shared,
            thread: Some(thread),
        })
    }
}

impl RunningServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving: closes the live session and waits for every thread.
    pub fn stop(mut self) -> Result<(), Error> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), Error> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        self.shared.stopping.store(true, Ordering::Relaxed);
        shutdown_session(&self.shared);
        // Wake the accept loop.
        let wake = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::new(Ipv4Addr::LOCALHOST.into(), self.addr.port())
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::new(Ipv6Addr::LOCALHOST.into(), self.addr.port())
            }
            _ => self.addr,
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        thread
            .join()
            .map_err(|_| Error::Io(std::io::Error::other("the server thread panicked")))?
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

/// Closes the live session's sockets, so its threads end.
fn shutdown_session(shared: &Shared) {
    if let Some(active) = &lock(&shared.session).active {
        let _ = active.command.shutdown(Shutdown::Both);
        if let Some(event) = &active.event {
            let _ = event.shutdown(Shutdown::Both);
        }
    }
    shared.events.disconnect();
}

/// Holds one of the [`MAX_PENDING_HANDSHAKES`] places from accept until
/// the connection is refused or becomes part of a session.
struct Pending<'a>(&'a AtomicUsize);

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One connection, from its first packet to its end.
fn handle(mut stream: TcpStream, peer: &str, shared: &Arc<Shared>, pending: &AtomicUsize) {
    let place = Pending(pending);
    let (bytes, used) = match read_init(&mut stream, shared) {
        Ok(first) => first,
        Err(why) => {
            crate::log!("{peer}: dropped before the handshake: {why}");
            return;
        }
    };
    let packet = match Packet::parse(&bytes) {
        Ok(Status::Complete((packet, _))) => packet,
        _ => return,
    };
    let rest = bytes.get(used..).unwrap_or(&[]);
    match packet {
        Packet::InitCommandRequest { name, version, .. } => {
            let name: String = name.chars().collect();
            if version >> 16 != 1 {
                crate::log!(
                    "{peer}: initiator {name:?} speaks PTP/IP version 0x{version:08X}; trying 1.0"
                );
            }
            command_session(stream, rest, peer, &name, shared, place);
        }
        Packet::InitEventRequest { connection_number } => {
            event_session(stream, peer, connection_number, shared, place);
        }
        Packet::ProbeRequest => {
            let _ = send(&mut stream, &Packet::ProbeResponse);
        }
        other => {
            crate::log!(
                "{peer}: dropped: expected an init packet, got {:?}",
                other.kind()
            );
        }
    }
}

/// Reads the first packet (within the handshake timeout); returns the bytes
/// read and the packet's length.
fn read_init(stream: &mut TcpStream, shared: &Shared) -> Result<(Vec<u8>, usize), String> {
    let timeouts = &shared.config.timeouts;
    let _ = stream.set_nodelay(true);
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .and_then(|()| stream.set_write_timeout(Some(timeouts.write)))
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut bytes = vec![0u8; MAX_INIT_LEN];
    let mut len = 0;
    loop {
        match Packet::parse(bytes.get(..len).unwrap_or(&[])) {
            Ok(Status::Complete((_, used))) => {
                bytes.truncate(len);
                return Ok((bytes, used));
            }
            Ok(Status::Incomplete { needed }) if needed > MAX_INIT_LEN => {
                return Err(format!(
                    "a {needed}-byte first packet (the limit is {MAX_INIT_LEN})"
                ));
            }
            Ok(Status::Incomplete { .. }) => {}
            Err(e) => return Err(format!("malformed first packet: {e}")),
        }
        match stream.read(bytes.get_mut(len..).unwrap_or(&mut [])) {
            Ok(0) => return Err(format!("closed after {len} bytes")),
            Ok(count) => len += count,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e.to_string()),
        }
        if shared.stopping.load(Ordering::Relaxed) {
            return Err("the server is stopping".to_owned());
        }
        if started.elapsed() > timeouts.handshake {
            return Err(format!(
                "no init packet within {} s ({len} bytes received)",
                timeouts.handshake.as_secs()
            ));
        }
    }
}

fn send(stream: &mut TcpStream, packet: &Packet<'_>) -> Result<(), String> {
    let mut out = vec![0u8; packet.buffer_len()];
    let len = packet.emit(&mut out).map_err(|e| e.to_string())?;
    stream
        .write_all(out.get(..len).unwrap_or(&[]))
        .map_err(|e| e.to_string())
}

/// Claims the session slot, waiting up to the grace period for a closing
/// session; `None` when busy.
fn claim(stream: &TcpStream, shared: &Shared) -> Option<u32> {
    let started = Instant::now();
    loop {
        {
            let mut slot = lock(&shared.session);
            if slot.active.is_none() {
                let command = stream.try_clone().ok()?;
                let number = slot.next_connection;
                slot.next_connection = slot.next_connection.wrapping_add(1).max(1);
                slot.active = Some(ActiveSession {
                    connection_number: number,
                    command,
                    event: None,
                });
                return Some(number);
            }
        }
        if started.elapsed() >= shared.config.timeouts.busy_grace {
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn command_session(
    mut stream: TcpStream,
    rest: &[u8],
    peer: &str,
    name: &str,
    shared: &Arc<Shared>,
    place: Pending<'_>,
) {
    let claimed = claim(&stream, shared);
    drop(place);
    let Some(number) = claimed else {
        crate::log!(
            "{peer}: initiator {name:?} refused: busy with another initiator (Init Fail, busy)"
        );
        let _ = send(
            &mut stream,
            &Packet::InitFail {
                reason: FailReason::Busy,
            },
        );
        return;
    };
    let ack = Packet::InitCommandAck {
        connection_number: number,
        guid: shared.guid,
        name: PtpString::Str(&shared.config.name),
        version: VERSION,
    };
    let result = match send(&mut stream, &ack) {
        Ok(()) => {
            crate::log!("{peer}: session {number} with initiator {name:?}");
            let mut camera = Camera::new(Arc::clone(shared));
            connection::serve(
                &mut stream,
                rest,
                &mut camera,
                &shared.config.timeouts,
                &shared.stopping,
            )
        }
        Err(e) => Err(format!("cannot send Init Command Ack: {e}")),
    };
    match result {
        Ok(connection::End::Closed) => {
            crate::log!("{peer}: session {number} closed by the initiator")
        }
        Ok(connection::End::Stopped) => {
            crate::log!("{peer}: session {number} closed: server stopping")
        }
        Ok(connection::End::Idle) => crate::log!("{peer}: session {number} closed: idle"),
        Err(why) => crate::log!("{peer}: session {number} dropped: {why}"),
    }
    let mut slot = lock(&shared.session);
    if slot
        .active
        .as_ref()
        .is_some_and(|a| a.connection_number == number)
    {
        if let Some(active) = slot.active.take() {
            let _ = active.command.shutdown(Shutdown::Both);
            if let Some(event) = active.event {
                let _ = event.shutdown(Shutdown::Both);
            }
        }
        shared.events.disconnect();
    }
}

fn event_session(
    mut stream: TcpStream,
    peer: &str,
    number: u32,
    shared: &Arc<Shared>,
    place: Pending<'_>,
) {
    let accepted = {
        let mut slot = lock(&shared.session);
        match slot.active.as_mut() {
            Some(active) if active.connection_number == number && active.event.is_none() => {
                active.event = stream.try_clone().ok();
                active.event.is_some()
            }
            _ => false,
        }
    };
    drop(place);
    if !accepted {
        crate::log!("{peer}: event connection for unknown session {number} refused");
        let _ = send(
            &mut stream,
            &Packet::InitFail {
                reason: FailReason::RejectedInitiator,
            },
        );
        return;
    }
    let receiver = shared.events.connect();
    if let Err(e) = send(&mut stream, &Packet::InitEventAck) {
        crate::log!("{peer}: cannot send Init Event Ack: {e}");
        return;
    }
    if let Err(why) = event_channel::run(&mut stream, &receiver, &shared.stopping) {
        crate::log!("{peer}: event connection of session {number} dropped: {why}");
    }
}
