//! Events from the event channel, with timeouts: USB interrupt reads
//! reassembled by [`UsbEventAssembler`], PTP/IP Event packets on the event
//! connection (Probe Requests answered on the way).

use super::{Channel, Clock};
use crate::error::DecodeError;
use crate::event::{Event, UsbEventAssembler};
use crate::framer::Transport;
#[cfg(feature = "ptpip")]
use crate::{
    Status,
    buffer::shift_to_front,
    event::{EventChannel, parse_ptpip_event},
    ptpip::Packet,
};
use core::fmt;

/// Room for any event container or packet, and for one interrupt packet.
const BUFFER_LEN: usize = 64;

/// Why reading events failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EventError<E> {
    /// The transport failed.
    Channel(E),
    /// The bytes on the event channel are malformed.
    Decode(DecodeError),
    /// A packet on the PTP/IP event connection longer than any event.
    TooLong {
        /// Its length.
        needed: usize,
    },
}

impl<E: fmt::Display> fmt::Display for EventError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Channel(error) => write!(f, "event channel: {error}"),
            EventError::Decode(error) => write!(f, "malformed event: {error}"),
            EventError::TooLong { needed } => {
                write!(f, "a {needed}-byte packet on the event connection")
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for EventError<E> {}

/// Reads events from a channel (only its `read` and `write` are used).
pub struct EventReader<C, K> {
    channel: C,
    clock: K,
    assembler: UsbEventAssembler,
    buffer: [u8; BUFFER_LEN],
    start: usize,
    end: usize,
}

impl<C: Channel, K: Clock> EventReader<C, K> {
    /// A reader over the event channel.
    pub const fn new(channel: C, clock: K) -> Self {
        EventReader {
            channel,
            clock,
            assembler: UsbEventAssembler::new(),
            buffer: [0; BUFFER_LEN],
            start: 0,
            end: 0,
        }
    }

    /// The channel.
    pub fn channel_mut(&mut self) -> &mut C {
        &mut self.channel
    }

    /// The next event, or `None` when none came within `timeout_ms`.
    pub async fn next(&mut self, timeout_ms: u64) -> Result<Option<Event>, EventError<C::Error>> {
        let deadline = self.clock.now_ms().saturating_add(timeout_ms);
        loop {
            if let Some(event) = self.buffered().await? {
                return Ok(Some(event));
            }
            if self.clock.now_ms() >= deadline {
                return Ok(None);
            }
            let free = self.buffer.get_mut(self.end..).unwrap_or(&mut []);
            let room = free.len();
            let chunk = self.channel.read(free).await.map_err(EventError::Channel)?;
            self.end += chunk.len.min(room);
        }
    }

    /// An event from the bytes already read, answering probes.
    async fn buffered(&mut self) -> Result<Option<Event>, EventError<C::Error>> {
        loop {
            let input = self.buffer.get(self.start..self.end).unwrap_or(&[]);
            if input.is_empty() {
                self.start = 0;
                self.end = 0;
                return Ok(None);
            }
            match self.channel.transport() {
                Transport::Usb => {
                    let (event, used) = self.assembler.push(input).map_err(EventError::Decode)?;
                    self.start += used;
                    if event.is_some() {
                        return Ok(event);
                    }
                }
                #[cfg(feature = "ptpip")]
                Transport::PtpIp => match parse_ptpip_event(input).map_err(EventError::Decode)? {
                    Status::Complete((item, used)) => {
                        self.start += used;
                        match item {
                            EventChannel::Event(event) => return Ok(Some(event)),
                            EventChannel::ProbeRequest => self.answer_probe().await?,
                            EventChannel::ProbeResponse => {}
                        }
                    }
                    Status::Incomplete { needed } => {
                        if needed > BUFFER_LEN {
                            return Err(EventError::TooLong { needed });
                        }
                        self.end = shift_to_front(&mut self.buffer, self.start, self.end);
                        self.start = 0;
                        return Ok(None);
                    }
                },
            }
        }
    }

    #[cfg(feature = "ptpip")]
    async fn answer_probe(&mut self) -> Result<(), EventError<C::Error>> {
        let mut out = [0u8; 16];
        let len = Packet::ProbeResponse
            .emit(&mut out)
            .map_err(|_| EventError::TooLong { needed: 8 })?;
        self.channel
            .write(out.get(..len).unwrap_or(&[]))
            .await
            .map_err(EventError::Channel)?;
        self.channel
            .end_transfer()
            .await
            .map_err(EventError::Channel)
    }
}
