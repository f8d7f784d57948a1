//! The device task: ptp-core's responder engine over the class's endpoints.
//!
//! Bulk OUT packets go into the responder ([`Responder::receive`]); what it
//! has to send goes out on bulk IN in packets of the endpoint's size, ending
//! each transfer with a short packet, or a zero-length packet when the
//! transfer is a multiple of the packet size. A short packet on bulk OUT
//! ends a data phase of unknown length ([`Responder::end_of_transfer`]).
//! Events the handler queues go out on the interrupt endpoint while the
//! device waits for the host's next bulk OUT packet: the event write races
//! the read, so a host that never reads events cannot stall the
//! transactions, and an event waits only while a transfer is in progress.
//!
//! The control pipe's Cancel and Device Reset (see [`control`](crate::control))
//! interrupt a transfer between packets; a USB reset or deconfiguration
//! disables the endpoints, which ends the session.

use crate::class::StillImageClass;
use crate::control::{Pending, Shared};
use core::fmt;
use core::num::NonZeroUsize;
use embassy_futures::select::{Either, Either3, select, select3};
use embassy_usb::driver::{Driver, EndpointError, EndpointIn, EndpointOut};
use ptp_core::Status;
use ptp_core::buffer::shift_to_front;
use ptp_core::container::MAX_EVENT_LEN;
use ptp_core::event::Event;
use ptp_core::framer::Transport;
use ptp_core::message::Message;
use ptp_core::responder::{self, MAX_RESPONSE_LEN, Responder};

/// The device side of PTP: ptp-core's responder [`Handler`](responder::Handler)
/// plus the events it wants sent.
pub trait DeviceHandler: responder::Handler {
    /// The next event to send on the interrupt endpoint, if any. Called
    /// after each transaction's response went out.
    fn poll_event(&mut self) -> Option<Event>;
}

/// A buffer given to [`Device::new`] is too small for the endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BufferTooSmall {
    /// Which buffer (`"rx"` or `"tx"`).
    pub buffer: &'static str,
    /// Bytes it needs at least.
    pub needed: usize,
    /// Bytes it has.
    pub available: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} buffer has {} bytes; the endpoints need at least {}",
            self.buffer, self.available, self.needed
        )
    }
}

impl core::error::Error for BufferTooSmall {}

/// Why serving a connection stopped.
enum Stop {
    /// The endpoints were disabled (USB reset, deconfigured, unplugged).
    Disabled,
}

impl From<EndpointError> for Stop {
    fn from(_: EndpointError) -> Self {
        Stop::Disabled
    }
}

/// The PTP device on a [`StillImageClass`], with caller-owned buffers.
pub struct Device<'d, 'b, D: Driver<'d>> {
    class: StillImageClass<'d, D>,
    rx: &'b mut [u8],
    tx: &'b mut [u8],
}

impl<'d, 'b, D: Driver<'d>> Device<'d, 'b, D> {
    /// A device over `class`. `rx` holds bulk OUT packets not yet consumed
    /// (at least two packets); `tx` is where responses and data chunks are
    /// written (at least one packet and one response; only a whole number
    /// of packets of it is used, so each data chunk but the last fills its
    /// packets). 512 bytes each suit a full-speed device.
    pub fn new(
        class: StillImageClass<'d, D>,
        rx: &'b mut [u8],
        tx: &'b mut [u8],
    ) -> Result<Self, BufferTooSmall> {
        let packet = usize::from(class.max_packet_size()).max(1);
        let check = |buffer, needed, available| match available >= needed {
            true => Ok(()),
            false => Err(BufferTooSmall {
                buffer,
                needed,
                available,
            }),
        };
        check("rx", 2 * packet, rx.len())?;
        check("tx", packet.max(MAX_RESPONSE_LEN), tx.len())?;
        let whole = tx.len() - tx.len() % packet;
        check("tx", MAX_RESPONSE_LEN, whole)?;
        let (tx, _) = tx.split_at_mut(whole);
        Ok(Device { class, rx, tx })
    }

    /// Serves PTP with `handler` forever: waits for the host to configure
    /// the device, serves until the endpoints are disabled, and again.
    pub async fn run<H: DeviceHandler>(&mut self, handler: &mut H) -> ! {
        let StillImageClass {
            bulk_in,
            bulk_out,
            interrupt_in,
            shared,
        } = &mut self.class;
        let link = Link {
            bulk_in,
            bulk_out,
            interrupt_in,
            shared,
            rx: &mut *self.rx,
            tx: &mut *self.tx,
            start: 0,
            held: 0,
            responder: Responder::new(Transport::Usb),
            event: None,
        };
        transactions(link, handler).await
    }
}

/// Serves connection after connection on the bulk pipes.
async fn transactions<I, O, H>(mut link: Link<'_, I, O>, handler: &mut H) -> !
where
    I: EndpointIn,
    O: EndpointOut,
    H: DeviceHandler,
{
    loop {
        link.bulk_out.wait_enabled().await;
        link.bulk_in.wait_enabled().await;
        info!("still image interface configured");
        link.restart(handler);
        let Stop::Disabled = link.serve(handler).await;
        warn!("endpoints disabled: session ends");
        link.shared.request_reset();
    }
}

/// An event being sent: the event and its interrupt container.
struct OutgoingEvent {
    event: Event,
    container: [u8; MAX_EVENT_LEN],
    len: usize,
}

impl OutgoingEvent {
    /// The event's container, or `None` (logged) if it cannot be built.
    fn new(event: Event) -> Option<Self> {
        let mut container = [0u8; MAX_EVENT_LEN];
        let message = Message::new(event.code, event.transaction_id, event.params.as_slice());
        match responder::emit_event(Transport::Usb, message, &mut container) {
            Ok(len) => Some(OutgoingEvent {
                event,
                container,
                len,
            }),
            Err(error) => {
                warn!("event {=u16:#06x} not sent: {}", event.code, error);
                None
            }
        }
    }
}

/// Writes `outgoing` on the interrupt endpoint; with nothing to send,
/// never completes.
async fn send_event<E: EndpointIn>(
    endpoint: &mut E,
    outgoing: Option<&OutgoingEvent>,
) -> Result<(), EndpointError> {
    match outgoing {
        Some(outgoing) => {
            let bytes = outgoing.container.get(..outgoing.len).unwrap_or(&[]);
            endpoint.write(bytes).await
        }
        None => core::future::pending().await,
    }
}

/// The bulk pipes of one connection and the responder behind them.
struct Link<'a, I, O> {
    bulk_in: &'a mut I,
    bulk_out: &'a mut O,
    interrupt_in: &'a mut I,
    shared: &'a Shared,
    rx: &'a mut [u8],
    tx: &'a mut [u8],
    /// Bytes in `rx` not yet consumed by the responder: `rx[start..held]`.
    start: usize,
    held: usize,
    responder: Responder,
    /// The event on its way to the interrupt endpoint.
    event: Option<OutgoingEvent>,
}

impl<I: EndpointIn, O: EndpointOut> Link<'_, I, O> {
    /// A fresh connection: no session, nothing buffered, nothing pending.
    fn restart<H: DeviceHandler>(&mut self, handler: &mut H) {
        self.shared.take_pending();
        self.responder.reset(handler);
        self.drop_input();
        self.event = None;
        while handler.poll_event().is_some() {}
    }

    /// Serves until the endpoints are disabled: in turn, acts on the
    /// control pipe, sends what is due, feeds one unit of input to the
    /// responder, and reads a packet when the input is used up.
    async fn serve<H: DeviceHandler>(&mut self, handler: &mut H) -> Stop {
        let packet = NonZeroUsize::new(usize::from(self.bulk_out.info().max_packet_size))
            .unwrap_or(NonZeroUsize::MIN);
        // The last packet read was short: it ends the transfer.
        let mut short = false;
        loop {
            self.apply(self.shared.take_pending(), handler);
            if let Err(stop) = self.transmit(handler, packet).await {
                return stop;
            }
            if self.consume_one(handler) {
                continue;
            }
            if short {
                short = false;
                self.responder.end_of_transfer();
                continue;
            }
            self.held = shift_to_front(self.rx, self.start, self.held);
            self.start = 0;
            if self.held + packet.get() > self.rx.len() {
                warn!("a container header spans more than the rx buffer: dropped");
                self.abort_transaction(handler);
            }
            if self.event.is_none() {
                self.event = handler.poll_event().and_then(OutgoingEvent::new);
            }
            let end = (self.held + packet.get()).min(self.rx.len());
            let room = self.rx.get_mut(self.held..end).unwrap_or(&mut []);
            let read = self.bulk_out.read(room);
            let event = send_event(self.interrupt_in, self.event.as_ref());
            match select3(read, self.shared.pending_abort(), event).await {
                Either3::Third(sent) => {
                    let event = self.event.take().map(|outgoing| outgoing.event);
                    match (sent, event) {
                        (Ok(()), Some(event)) => self.shared.set_last_event(event),
                        (_, event) => warn!(
                            "event {=u16:#06x} dropped: interrupt endpoint disabled",
                            event.map_or(0, |event| event.code)
                        ),
                    }
                }
                Either3::First(Ok(len)) => {
                    self.held += len;
                    short = len < packet.get();
                }
                Either3::First(Err(EndpointError::BufferOverflow)) => {
                    warn!("bulk OUT packet larger than the endpoint: dropped");
                    self.abort_transaction(handler);
                }
                Either3::First(Err(EndpointError::Disabled)) => return Stop::Disabled,
                // Applied at the top of the loop.
                Either3::Second(()) => {}
            }
        }
    }

    /// Acts on the control pipe's Cancel and Device Reset.
    fn apply<H: DeviceHandler>(&mut self, pending: Pending, handler: &mut H) {
        if pending.reset {
            info!("device reset: session closed");
            self.restart(handler);
        } else if let Some(transaction_id) = pending.cancel {
            let cancelled = self.responder.cancel(transaction_id, handler);
            info!("cancel transaction {}: {}", transaction_id, cancelled);
            self.drop_input();
        }
    }

    /// Forgets the bytes read and not yet consumed.
    fn drop_input(&mut self) {
        self.start = 0;
        self.held = 0;
    }

    /// Drops the transaction in progress after bytes it cannot take.
    fn abort_transaction<H: DeviceHandler>(&mut self, handler: &mut H) {
        self.drop_input();
        if let Some(transaction_id) = self.responder.current_transaction() {
            self.responder.cancel(transaction_id, handler);
        }
    }

    /// Feeds the next unit of the held bytes to the responder; whether it
    /// took one.
    fn consume_one<H: DeviceHandler>(&mut self, handler: &mut H) -> bool {
        let input = self.rx.get(self.start..self.held).unwrap_or(&[]);
        match self.responder.receive(input, handler) {
            Ok(Status::Complete(used)) => {
                self.start += used;
                true
            }
            Ok(Status::Incomplete { .. }) => false,
            Err(error) => {
                warn!("bad bytes from the host: {}", error);
                self.abort_transaction(handler);
                false
            }
        }
    }

    /// Sends everything the responder has due. A Cancel or Device Reset
    /// stops a transfer between packets.
    async fn transmit<H: DeviceHandler>(
        &mut self,
        handler: &mut H,
        packet: NonZeroUsize,
    ) -> Result<(), Stop> {
        loop {
            let transmit = match self.responder.poll_transmit(self.tx, handler) {
                Ok(Some(transmit)) => transmit,
                Ok(None) => break,
                Err(error) => {
                    warn!("cannot build the reply: {}", error);
                    self.abort_transaction(handler);
                    break;
                }
            };
            let bytes = self.tx.get(..transmit.len).unwrap_or(&[]);
            let zlp = transmit.end_of_transfer && transmit.len.is_multiple_of(packet.get());
            let packets = bytes.chunks(packet.get()).chain(zlp.then_some(&[][..]));
            for chunk in packets {
                match select(self.bulk_in.write(chunk), self.shared.pending_abort()).await {
                    Either::First(result) => result?,
                    Either::Second(()) => return Ok(()),
                }
            }
        }
        Ok(())
    }
}
