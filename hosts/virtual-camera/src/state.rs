//! The state the sessions, the directory watcher and captures share.

use crate::config::Config;
use crate::event_channel::EventRouter;
use crate::objects::ObjectTree;
use crate::properties::Properties;
use std::net::TcpStream;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks a mutex; a panic elsewhere while it was held does not make the
/// state unusable (every update leaves it consistent).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The live session, if any: one initiator at a time.
#[derive(Debug, Default)]
pub struct SessionSlot {
    /// The session being served.
    pub active: Option<ActiveSession>,
    /// The next connection number to hand out.
    pub next_connection: u32,
}

/// The connections of the session being served.
#[derive(Debug)]
pub struct ActiveSession {
    /// The number given in Init Command Ack.
    pub connection_number: u32,
    /// The command connection (a clone, to shut it down on stop).
    pub command: TcpStream,
    /// The event connection once it is open.
    pub event: Option<TcpStream>,
}

/// Everything shared between threads.
#[derive(Debug)]
pub struct Shared {
    /// The configuration.
    pub config: Config,
    /// The objects.
    pub objects: Mutex<ObjectTree>,
    /// The device properties.
    pub properties: Mutex<Properties>,
    /// Where events go.
    pub events: EventRouter,
    /// The session slot.
    pub session: Mutex<SessionSlot>,
    /// Whether a capture is running.
    pub capturing: AtomicBool,
    /// Whether the server is stopping.
    pub stopping: AtomicBool,
    /// The GUID sent in Init Command Ack.
    pub guid: [u8; 16],
    /// The serial number in DeviceInfo.
    pub serial: String,
}
