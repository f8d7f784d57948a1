//! The trigger's USB transport: ptp-core client [`Channel`]s over the pipes
//! of an embassy-usb-driver USB host (embassy-usb-host with
//! embassy-usb-synopsys-otg on the STM32F4's OTG_FS); [`connect`], which
//! enumerates a camera and opens them; and [`UsbHostConnector`], the
//! trigger's connector on a host controller.
//!
//! Bulk OUT transfers are sent in whole packets as the client writes them,
//! the last one short or followed by a zero-length packet; a bulk IN read
//! is one transfer (it ends short) or a buffer full of packets. Cancel is
//! the class request 0x64, then Get Device Status (0x67) until the camera
//! is ready, and the bulk IN pipe drained.

use super::runner::Connector;
use super::still_image_interface::{self, EndpointDescription, StillImageInterface};
use core::fmt;
use embassy_futures::select::{Either, select};
use embassy_time::{Duration, Timer};
use embassy_usb_driver::host::{
    HostError, PipeError, UsbHostAllocator, UsbHostController, UsbPipe, pipe,
};
use embassy_usb_driver::{Direction, EndpointAddress, EndpointInfo, EndpointType, Speed};
use embassy_usb_host::{BusController, BusHandle, BusRoute, EnumerationError};
use ptp_core::client::{Channel, Chunk};
use ptp_core::dataset::DeviceStatus;
use ptp_core::framer::Transport;

/// bmRequestType of class requests to the interface, host to device.
const CLASS_OUT: u8 = 0x21;
/// bmRequestType of class requests to the interface, device to host.
const CLASS_IN: u8 = 0xA1;
/// Still Image class request Cancel.
const CANCEL: u8 = 0x64;
/// Still Image class request Get Device Status.
const GET_DEVICE_STATUS: u8 = 0x67;
/// How often Get Device Status is asked after a cancel, and how long.
const STATUS_POLL_MS: u64 = 10;
const STATUS_POLLS: usize = 200;
/// How long the bulk IN pipe must stay quiet to count as drained.
const DRAIN_QUIET_MS: u64 = 20;
/// A bulk or interrupt read gives up (as an idle read) after this long.
pub const READ_TIMEOUT_MS: u64 = 200;
/// The largest full-speed packet.
pub const MAX_PACKET: usize = 64;

/// Why a USB host channel failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum UsbHostError {
    /// A transfer failed (a disconnect shows up as `Disconnected`).
    Pipe(PipeError),
    /// The camera stayed busy after a cancel.
    StillBusy,
    /// Get Device Status returned malformed data.
    BadStatus,
    /// The event channel only reads.
    ReadOnly,
}

impl fmt::Display for UsbHostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsbHostError::Pipe(error) => write!(f, "USB transfer failed: {error:?}"),
            UsbHostError::StillBusy => f.write_str("the camera stayed busy after a cancel"),
            UsbHostError::BadStatus => f.write_str("malformed Get Device Status data"),
            UsbHostError::ReadOnly => f.write_str("the event channel only reads"),
        }
    }
}

impl From<PipeError> for UsbHostError {
    fn from(error: PipeError) -> Self {
        UsbHostError::Pipe(error)
    }
}

/// A SETUP packet for a class request to `interface`.
fn setup(request_type: u8, request: u8, interface: u8, length: u16) -> [u8; 8] {
    let [l0, l1] = length.to_le_bytes();
    [request_type, request, 0, 0, interface, 0, l0, l1]
}

/// Reads one transfer from `pipe`, or `None` after `timeout`.
async fn read_transfer<P: UsbPipe<T, pipe::In>, T: pipe::Type>(
    pipe: &mut P,
    buffer: &mut [u8],
    timeout: Duration,
) -> Result<Option<usize>, PipeError> {
    match select(pipe.request_in(buffer), Timer::after(timeout)).await {
        Either::First(result) => result.map(Some),
        Either::Second(()) => Ok(None),
    }
}

/// The command/data channel: control, bulk IN and bulk OUT pipes of the
/// Still Image interface.
pub struct UsbHostChannel<Ctl, In, Out> {
    control: Ctl,
    bulk_in: In,
    bulk_out: Out,
    interface: u8,
    max_packet_size: usize,
    /// The start of a packet the client has not finished writing.
    pending: [u8; MAX_PACKET],
    pending_len: usize,
    /// Bytes of the current outgoing transfer already sent.
    sent: usize,
}

impl<Ctl, In, Out> UsbHostChannel<Ctl, In, Out>
where
    Ctl: UsbPipe<pipe::Control, pipe::InOut>,
    In: UsbPipe<pipe::Bulk, pipe::In>,
    Out: UsbPipe<pipe::Bulk, pipe::Out>,
{
    /// A channel over the pipes of `interface`, whose bulk endpoints have
    /// packets of `max_packet_size` bytes (at most [`MAX_PACKET`]).
    pub fn new(
        control: Ctl,
        bulk_in: In,
        bulk_out: Out,
        interface: u8,
        max_packet_size: u16,
    ) -> Self {
        UsbHostChannel {
            control,
            bulk_in,
            bulk_out,
            interface,
            max_packet_size: usize::from(max_packet_size).clamp(8, MAX_PACKET),
            pending: [0; MAX_PACKET],
            pending_len: 0,
            sent: 0,
        }
    }

    /// Get Device Status: the status code.
    pub async fn device_status(&mut self) -> Result<u16, UsbHostError> {
        let mut data = [0u8; 32];
        let request = setup(
            CLASS_IN,
            GET_DEVICE_STATUS,
            self.interface,
            data.len() as u16,
        );
        let len = self.control.control_in(&request, &mut data).await?;
        let data = data.get(..len).unwrap_or(&[]);
        DeviceStatus::parse(data)
            .map(|status| status.code)
            .map_err(|_| UsbHostError::BadStatus)
    }

    async fn send_packets(&mut self, bytes: &[u8]) -> Result<(), UsbHostError> {
        self.bulk_out.request_out(bytes, false).await?;
        self.sent += bytes.len();
        Ok(())
    }
}

impl<Ctl, In, Out> Channel for UsbHostChannel<Ctl, In, Out>
where
    Ctl: UsbPipe<pipe::Control, pipe::InOut>,
    In: UsbPipe<pipe::Bulk, pipe::In>,
    Out: UsbPipe<pipe::Bulk, pipe::Out>,
{
    type Error = UsbHostError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), UsbHostError> {
        let packet = self.max_packet_size;
        let mut rest = bytes;
        while !rest.is_empty() {
            if self.pending_len == 0 && rest.len() >= packet {
                // Whole packets straight from the caller's bytes.
                let whole = rest.len() - rest.len() % packet;
                let (now, later) = rest.split_at(whole);
                self.send_packets(now).await?;
                rest = later;
                continue;
            }
            let take = (packet - self.pending_len).min(rest.len());
            let (now, later) = rest.split_at(take);
            if let Some(target) = self
                .pending
                .get_mut(self.pending_len..self.pending_len + take)
            {
                target.copy_from_slice(now);
            }
            self.pending_len += take;
            rest = later;
            if self.pending_len == packet {
                let full = self.pending;
                self.send_packets(full.get(..packet).unwrap_or(&[])).await?;
                self.pending_len = 0;
            }
        }
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), UsbHostError> {
        let last = self.pending.get(..self.pending_len).unwrap_or(&[]);
        let needs_zlp = last.is_empty() && self.sent > 0;
        if !last.is_empty() || needs_zlp {
            self.bulk_out.request_out(last, true).await?;
        }
        self.pending_len = 0;
        self.sent = 0;
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, UsbHostError> {
        let whole = buffer.len() - buffer.len() % self.max_packet_size;
        let buffer = buffer.get_mut(..whole).unwrap_or(&mut []);
        let timeout = Duration::from_millis(READ_TIMEOUT_MS);
        Ok(
            match read_transfer(&mut self.bulk_in, buffer, timeout).await? {
                Some(len) => Chunk {
                    len,
                    end_of_transfer: len < whole,
                },
                None => Chunk::IDLE,
            },
        )
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), UsbHostError> {
        let out = setup(CLASS_OUT, CANCEL, self.interface, request.len() as u16);
        self.control.control_out(&out, request).await?;
        for _ in 0..STATUS_POLLS {
            let mut scratch = [0u8; MAX_PACKET];
            let quiet = Duration::from_millis(DRAIN_QUIET_MS);
            while read_transfer(&mut self.bulk_in, &mut scratch, quiet)
                .await?
                .is_some()
            {}
            if self.device_status().await? == DeviceStatus::OK {
                return Ok(());
            }
            Timer::after_millis(STATUS_POLL_MS).await;
        }
        Err(UsbHostError::StillBusy)
    }
}

/// The event channel: the interrupt IN pipe.
pub struct UsbHostEventChannel<Int> {
    interrupt_in: Int,
}

impl<Int: UsbPipe<pipe::Interrupt, pipe::In>> UsbHostEventChannel<Int> {
    /// A channel over the interrupt pipe.
    pub const fn new(interrupt_in: Int) -> Self {
        UsbHostEventChannel { interrupt_in }
    }
}

impl<Int: UsbPipe<pipe::Interrupt, pipe::In>> Channel for UsbHostEventChannel<Int> {
    type Error = UsbHostError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, _bytes: &[u8]) -> Result<(), UsbHostError> {
        Err(UsbHostError::ReadOnly)
    }

    async fn end_transfer(&mut self) -> Result<(), UsbHostError> {
        Err(UsbHostError::ReadOnly)
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, UsbHostError> {
        let timeout = Duration::from_millis(READ_TIMEOUT_MS);
        Ok(
            match read_transfer(&mut self.interrupt_in, buffer, timeout).await? {
                Some(len) => Chunk {
                    len,
                    end_of_transfer: true,
                },
                None => Chunk::IDLE,
            },
        )
    }

    async fn cancel(&mut self, _request: &[u8]) -> Result<(), UsbHostError> {
        Err(UsbHostError::ReadOnly)
    }
}

/// Why [`connect`] failed.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ConnectError {
    /// Enumeration failed.
    Enumeration(EnumerationError),
    /// The device has no Still Image interface (it is not a camera).
    NotACamera,
    /// No free pipe for an endpoint.
    Pipe(HostError),
}

/// The channels of one connected camera, on allocator `A`'s pipes.
pub type CameraChannels<'d, A> = (
    UsbHostChannel<
        <A as UsbHostAllocator<'d>>::Pipe<pipe::Control, pipe::InOut>,
        <A as UsbHostAllocator<'d>>::Pipe<pipe::Bulk, pipe::In>,
        <A as UsbHostAllocator<'d>>::Pipe<pipe::Bulk, pipe::Out>,
    >,
    UsbHostEventChannel<<A as UsbHostAllocator<'d>>::Pipe<pipe::Interrupt, pipe::In>>,
);

/// A connected camera: its channels, interface and device address.
pub struct Connected<'d, A: UsbHostAllocator<'d>> {
    /// The command/data and event channels.
    pub channels: CameraChannels<'d, A>,
    /// The Still Image interface found.
    pub interface: StillImageInterface,
    /// The address given to the device (free it when it is gone).
    pub address: u8,
}

/// Enumerates the device on `route` (configuration descriptor read into
/// `config`), finds its Still Image interface and opens its pipes.
pub async fn connect<'d, A: UsbHostAllocator<'d>>(
    bus: &BusHandle<'d, A>,
    route: BusRoute,
    config: &mut [u8],
) -> Result<Connected<'d, A>, ConnectError> {
    let (info, len) = bus
        .enumerate(route, config)
        .await
        .map_err(ConnectError::Enumeration)?;
    let address = info.device_address;
    let found = match config.get(..len).and_then(still_image_interface::find) {
        Some(found) => found,
        None => {
            bus.free_address(address);
            return Err(ConnectError::NotACamera);
        }
    };
    let split = info.split();
    let info_for = |endpoint: &EndpointDescription, ep_type| EndpointInfo {
        addr: EndpointAddress::from(endpoint.address),
        ep_type,
        max_packet_size: endpoint.max_packet_size,
        interval_ms: endpoint.interval,
    };
    let control = EndpointInfo {
        addr: EndpointAddress::from_parts(0, Direction::In),
        ep_type: EndpointType::Control,
        max_packet_size: u16::from(info.device_desc.max_packet_size0),
        interval_ms: 0,
    };
    let pipes = (|| {
        let control = bus.alloc_pipe(address, &control, split)?;
        let bulk_in = bus.alloc_pipe(
            address,
            &info_for(&found.bulk_in, EndpointType::Bulk),
            split,
        )?;
        let bulk_out = bus.alloc_pipe(
            address,
            &info_for(&found.bulk_out, EndpointType::Bulk),
            split,
        )?;
        let interrupt = info_for(&found.interrupt_in, EndpointType::Interrupt);
        let interrupt = bus.alloc_pipe(address, &interrupt, split)?;
        Ok((control, bulk_in, bulk_out, interrupt))
    })();
    let (control, bulk_in, bulk_out, interrupt) = match pipes {
        Ok(pipes) => pipes,
        Err(error) => {
            bus.free_address(address);
            return Err(ConnectError::Pipe(error));
        }
    };
    let channel = UsbHostChannel::new(
        control,
        bulk_in,
        bulk_out,
        found.number,
        found.bulk_out.max_packet_size,
    );
    Ok(Connected {
        channels: (channel, UsbHostEventChannel::new(interrupt)),
        interface: found,
        address,
    })
}

/// The trigger's [`Connector`] on a USB host controller: waits for a
/// device on the root port and connects to it; after a lost connection it
/// resets the bus and enumerates the same port again (a camera that is
/// still plugged in comes back; one that is gone is waited for).
pub struct UsbHostConnector<'d, 'b, C: UsbHostController<'d>> {
    controller: BusController<'d, C>,
    bus: BusHandle<'d, C::Allocator>,
    config: &'b mut [u8],
    /// The device of the last connection: its address and speed.
    last: Option<(u8, Speed)>,
}

impl<'d, 'b, C: UsbHostController<'d>> UsbHostConnector<'d, 'b, C> {
    /// A connector on `controller` and `bus` (from `embassy_usb_host::bus`),
    /// reading configuration descriptors into `config` (256 bytes suit a
    /// camera).
    pub fn new(
        controller: BusController<'d, C>,
        bus: BusHandle<'d, C::Allocator>,
        config: &'b mut [u8],
    ) -> Self {
        UsbHostConnector {
            controller,
            bus,
            config,
            last: None,
        }
    }
}

impl<'d, C: UsbHostController<'d>> Connector for UsbHostConnector<'d, '_, C> {
    type Channel<'c>
        = UsbHostChannel<
        <C::Allocator as UsbHostAllocator<'d>>::Pipe<pipe::Control, pipe::InOut>,
        <C::Allocator as UsbHostAllocator<'d>>::Pipe<pipe::Bulk, pipe::In>,
        <C::Allocator as UsbHostAllocator<'d>>::Pipe<pipe::Bulk, pipe::Out>,
    >
    where
        Self: 'c;
    type Events<'c>
        =
        UsbHostEventChannel<<C::Allocator as UsbHostAllocator<'d>>::Pipe<pipe::Interrupt, pipe::In>>
    where
        Self: 'c;
    type Error = ConnectError;

    async fn connect(&mut self) -> Result<(Self::Channel<'_>, Self::Events<'_>), ConnectError> {
        let speed = match self.last.take() {
            Some((address, speed)) => {
                self.bus.free_address(address);
                self.controller.controller_mut().bus_reset().await;
                speed
            }
            None => self.controller.wait_for_connection().await,
        };
        let connected = connect(&self.bus, BusRoute::Direct(speed), self.config).await?;
        info!(
            "USB camera at address {}, interface {}",
            connected.address, connected.interface.number
        );
        self.last = Some((connected.address, speed));
        Ok(connected.channels)
    }
}
