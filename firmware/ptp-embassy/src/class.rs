//! The USB Still Image class interface (PIMA 15740 USB SIC 1.0): one
//! interface of class 6, subclass 1, protocol 1 with a bulk IN, a bulk OUT
//! and an interrupt IN endpoint, and the class requests of
//! [`control`](crate::control).
//!
//! Written like embassy-usb's own classes: the caller owns a [`State`],
//! [`StillImageClass::new`] allocates the interface and endpoints on the
//! `Builder` and registers the control handler. [`Device`](crate::Device)
//! then runs ptp-core's responder over the endpoints.

use crate::control::{Control, Shared};
use core::mem::MaybeUninit;
use embassy_usb::Builder;
use embassy_usb::driver::{Driver, Endpoint};

/// bInterfaceClass: Still Image.
pub const CLASS_STILL_IMAGE: u8 = 0x06;
/// bInterfaceSubClass: Still Image Capture.
pub const SUBCLASS_STILL_IMAGE_CAPTURE: u8 = 0x01;
/// bInterfaceProtocol: PIMA 15740 (PTP).
pub const PROTOCOL_PIMA_15740: u8 = 0x01;

/// wMaxPacketSize of the interrupt endpoint: one event container (at most
/// 24 bytes) always goes out as a single short packet.
pub const EVENT_MAX_PACKET_SIZE: u16 = 32;
/// bInterval of the interrupt endpoint, in milliseconds.
pub const EVENT_INTERVAL_MS: u8 = 10;

/// The class's state, owned by the caller (put it in a `StaticCell`): the
/// control handler and what it shares with the device task.
pub struct State<'a> {
    control: MaybeUninit<Control<'a>>,
    shared: Shared,
}

impl Default for State<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl State<'_> {
    /// A new state.
    pub const fn new() -> Self {
        State {
            control: MaybeUninit::uninit(),
            shared: Shared::new(),
        }
    }
}

/// The Still Image interface and its three endpoints.
pub struct StillImageClass<'d, D: Driver<'d>> {
    pub(crate) bulk_in: D::EndpointIn,
    pub(crate) bulk_out: D::EndpointOut,
    pub(crate) interrupt_in: D::EndpointIn,
    pub(crate) shared: &'d Shared,
}

impl<'d, D: Driver<'d>> StillImageClass<'d, D> {
    /// Adds the interface to `builder` with bulk endpoints of
    /// `max_packet_size` bytes (64 at full speed, 512 at high speed) and an
    /// interrupt endpoint of [`EVENT_MAX_PACKET_SIZE`].
    pub fn new(
        builder: &mut Builder<'d, D>,
        state: &'d mut State<'d>,
        max_packet_size: u16,
    ) -> Self {
        let mut function = builder.function(
            CLASS_STILL_IMAGE,
            SUBCLASS_STILL_IMAGE_CAPTURE,
            PROTOCOL_PIMA_15740,
        );
        let mut interface = function.interface();
        let number = interface.interface_number();
        let mut alt = interface.alt_setting(
            CLASS_STILL_IMAGE,
            SUBCLASS_STILL_IMAGE_CAPTURE,
            PROTOCOL_PIMA_15740,
            None,
        );
        let bulk_in = alt.endpoint_bulk_in(None, max_packet_size);
        let bulk_out = alt.endpoint_bulk_out(None, max_packet_size);
        let interrupt_in =
            alt.endpoint_interrupt_in(None, EVENT_MAX_PACKET_SIZE, EVENT_INTERVAL_MS);
        drop(function);
        let control = state.control.write(Control {
            interface: number,
            shared: &state.shared,
        });
        builder.handler(control);
        StillImageClass {
            bulk_in,
            bulk_out,
            interrupt_in,
            shared: &state.shared,
        }
    }

    /// The bulk endpoints' max packet size.
    pub fn max_packet_size(&self) -> u16 {
        self.bulk_in.info().max_packet_size
    }
}
