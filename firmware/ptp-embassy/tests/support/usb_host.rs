//! The host side over the [`HostDouble`]: enumeration (reading the real
//! descriptors embassy-usb builds), and ptp-core client [`Channel`]s on the
//! still-image interface's bulk pipes and interrupt endpoint.

use super::usb_double::{ControlOutcome, HostDouble, Setup};
use embassy_futures::select::{Either, select};
use ptp_core::client::{Channel, Chunk, Clock};
use ptp_core::dataset::DeviceStatus;
use ptp_core::framer::Transport;
use std::future::poll_fn;
use std::task::Poll;
use std::time::{Duration, Instant};

/// How long a channel read waits before it reports an idle chunk.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Waits until `deadline` (wakes itself, so any executor can run it).
pub async fn sleep_until(deadline: Instant) {
    poll_fn(|cx| {
        if Instant::now() >= deadline {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// Milliseconds since the clock was made.
#[derive(Clone, Copy)]
pub struct StdClock(pub Instant);

impl StdClock {
    /// A clock starting now.
    pub fn new() -> Self {
        StdClock(Instant::now())
    }
}

impl Clock for StdClock {
    fn now_ms(&self) -> u64 {
        self.0.elapsed().as_millis() as u64
    }
}

/// What enumeration found: the still-image interface and its endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StillImageInterface {
    /// bInterfaceNumber.
    pub number: u8,
    /// Bulk IN endpoint address.
    pub bulk_in: u8,
    /// Bulk OUT endpoint address.
    pub bulk_out: u8,
    /// Interrupt IN endpoint address.
    pub interrupt_in: u8,
}

const GET_DESCRIPTOR: u8 = 6;
const SET_ADDRESS: u8 = 5;
const SET_CONFIGURATION: u8 = 9;

fn accepted(outcome: ControlOutcome, what: &str) -> Vec<u8> {
    match outcome {
        ControlOutcome::Accepted(data) => data,
        ControlOutcome::Stalled => panic!("{what} stalled"),
    }
}

/// Attaches the device, reads its descriptors, finds the interface of class
/// 6/1/1 and sets configuration 1.
pub async fn enumerate(host: &HostDouble) -> StillImageInterface {
    host.attach();
    let get = |value: u16, length: u16| Setup {
        request_type: 0x80,
        request: GET_DESCRIPTOR,
        value,
        index: 0,
        length,
    };
    let device = accepted(host.control(get(0x0100, 18), &[]).await, "GET_DESCRIPTOR device");
    assert_eq!((device.len(), device[1]), (18, 1), "device descriptor");
    let address = Setup {
        request_type: 0,
        request: SET_ADDRESS,
        value: 5,
        index: 0,
        length: 0,
    };
    accepted(host.control(address, &[]).await, "SET_ADDRESS");
    let head = accepted(host.control(get(0x0200, 9), &[]).await, "GET_DESCRIPTOR config");
    let total = u16::from_le_bytes([head[2], head[3]]);
    let config = accepted(host.control(get(0x0200, total), &[]).await, "config");
    assert_eq!(config.len(), usize::from(total));
    let interface = find_still_image(&config).expect("an interface of class 6/1/1");
    let configure = Setup {
        request_type: 0,
        request: SET_CONFIGURATION,
        value: 1,
        index: 0,
        length: 0,
    };
    accepted(host.control(configure, &[]).await, "SET_CONFIGURATION");
    interface
}

/// Walks a configuration descriptor for the still-image interface.
fn find_still_image(config: &[u8]) -> Option<StillImageInterface> {
    let mut found: Option<StillImageInterface> = None;
    let mut rest = config;
    while rest.len() >= 2 {
        let len = usize::from(rest[0]);
        if len < 2 || len > rest.len() {
            return None;
        }
        let descriptor = &rest[..len];
        match descriptor[1] {
            // Interface: class, subclass, protocol at 5..8.
            4 if descriptor[5..8] == [6, 1, 1] => {
                found = Some(StillImageInterface {
                    number: descriptor[2],
                    bulk_in: 0,
                    bulk_out: 0,
                    interrupt_in: 0,
                });
            }
            4 if found.is_some_and(|f| f.interrupt_in != 0) => break,
            5 => {
                if let Some(interface) = found.as_mut() {
                    let (address, attributes) = (descriptor[2], descriptor[3] & 3);
                    match (address & 0x80 != 0, attributes) {
                        (true, 2) => interface.bulk_in = address,
                        (false, 2) => interface.bulk_out = address,
                        (true, 3) => interface.interrupt_in = address,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        rest = &rest[len..];
    }
    found.filter(|f| f.bulk_in != 0 && f.bulk_out != 0 && f.interrupt_in != 0)
}

/// A still-image class request on `interface`.
pub async fn class_request(
    host: &HostDouble,
    interface: u8,
    request: u8,
    data_in_length: u16,
    data_out: &[u8],
) -> ControlOutcome {
    let direction_in = data_in_length > 0;
    let setup = Setup {
        request_type: if direction_in { 0xA1 } else { 0x21 },
        request,
        value: 0,
        index: u16::from(interface),
        length: if direction_in {
            data_in_length
        } else {
            data_out.len() as u16
        },
    };
    host.control(setup, data_out).await
}

/// Get Device Status, parsed by ptp-core: the code.
pub async fn device_status(host: &HostDouble, interface: u8) -> u16 {
    let data = accepted(
        class_request(host, interface, 0x67, 64, &[]).await,
        "Get Device Status",
    );
    DeviceStatus::parse(&data).expect("a valid device status").code
}

/// Why a channel on the double failed.
#[derive(Debug, PartialEq, Eq)]
pub enum UsbDoubleError {
    /// The endpoint is disabled (the device was reset or deconfigured).
    Disabled,
    /// A class request was stalled.
    Stalled,
    /// The operation does not exist on this channel.
    Unsupported,
    /// The device stayed busy after a cancel.
    StillBusy,
}

impl std::fmt::Display for UsbDoubleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The client's [`Channel`] on the bulk pipes of the double.
pub struct UsbChannel {
    host: HostDouble,
    interface: StillImageInterface,
    max_packet_size: usize,
    /// Bytes of the outgoing transfer not yet sent as a full packet.
    pending: Vec<u8>,
    /// Bytes of the outgoing transfer sent so far.
    sent: usize,
}

impl UsbChannel {
    /// A channel over the interface's bulk pipes.
    pub fn new(host: HostDouble, interface: StillImageInterface) -> Self {
        let max_packet_size = host.max_packet_size(interface.bulk_out);
        UsbChannel {
            host,
            interface,
            max_packet_size,
            pending: Vec::new(),
            sent: 0,
        }
    }

    async fn send(&mut self, packet: &[u8]) -> Result<(), UsbDoubleError> {
        match self.host.write_packet(self.interface.bulk_out, packet).await {
            true => Ok(()),
            false => Err(UsbDoubleError::Disabled),
        }
    }
}

impl Channel for UsbChannel {
    type Error = UsbDoubleError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), UsbDoubleError> {
        self.pending.extend_from_slice(bytes);
        while self.pending.len() > self.max_packet_size {
            let packet: Vec<u8> = self.pending.drain(..self.max_packet_size).collect();
            self.send(&packet).await?;
            self.sent += packet.len();
        }
        Ok(())
    }

    async fn end_transfer(&mut self) -> Result<(), UsbDoubleError> {
        let last = std::mem::take(&mut self.pending);
        let total = self.sent + last.len();
        self.sent = 0;
        if !last.is_empty() {
            self.send(&last).await?;
        }
        if total % self.max_packet_size == 0 {
            self.send(&[]).await?;
        }
        Ok(())
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, UsbDoubleError> {
        let address = self.interface.bulk_in;
        let first = match select(
            self.host.read_packet(address),
            sleep_until(Instant::now() + POLL_INTERVAL),
        )
        .await
        {
            Either::First(packet) => packet.ok_or(UsbDoubleError::Disabled)?,
            Either::Second(()) => return Ok(Chunk::IDLE),
        };
        let mut len = 0;
        let mut packet = first;
        loop {
            buffer[len..len + packet.len()].copy_from_slice(&packet);
            len += packet.len();
            if packet.len() < self.max_packet_size {
                return Ok(Chunk {
                    len,
                    end_of_transfer: true,
                });
            }
            if buffer.len() - len < self.max_packet_size {
                return Ok(Chunk {
                    len,
                    end_of_transfer: false,
                });
            }
            packet = self
                .host
                .read_packet(address)
                .await
                .ok_or(UsbDoubleError::Disabled)?;
        }
    }

    async fn cancel(&mut self, request: &[u8]) -> Result<(), UsbDoubleError> {
        let number = self.interface.number;
        match class_request(&self.host, number, 0x64, 0, request).await {
            ControlOutcome::Accepted(_) => {}
            ControlOutcome::Stalled => return Err(UsbDoubleError::Stalled),
        }
        // Drain what the device had queued, until Get Device Status says OK.
        for _ in 0..100 {
            while let Either::First(Some(_)) = select(
                self.host.read_packet(self.interface.bulk_in),
                sleep_until(Instant::now() + Duration::from_millis(5)),
            )
            .await
            {}
            if device_status(&self.host, number).await == DeviceStatus::OK {
                return Ok(());
            }
        }
        Err(UsbDoubleError::StillBusy)
    }
}

/// A [`Channel`] on the interrupt endpoint, for the client's `EventReader`.
pub struct UsbEventChannel {
    host: HostDouble,
    address: u8,
}

impl UsbEventChannel {
    /// A channel over the interface's interrupt endpoint.
    pub fn new(host: HostDouble, interface: StillImageInterface) -> Self {
        UsbEventChannel {
            host,
            address: interface.interrupt_in,
        }
    }
}

impl Channel for UsbEventChannel {
    type Error = UsbDoubleError;

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    async fn write(&mut self, _bytes: &[u8]) -> Result<(), UsbDoubleError> {
        Err(UsbDoubleError::Unsupported)
    }

    async fn end_transfer(&mut self) -> Result<(), UsbDoubleError> {
        Err(UsbDoubleError::Unsupported)
    }

    async fn read(&mut self, buffer: &mut [u8]) -> Result<Chunk, UsbDoubleError> {
        match select(
            self.host.read_packet(self.address),
            sleep_until(Instant::now() + POLL_INTERVAL),
        )
        .await
        {
            Either::First(Some(packet)) => {
                let len = packet.len().min(buffer.len());
                buffer[..len].copy_from_slice(&packet[..len]);
                Ok(Chunk {
                    len,
                    end_of_transfer: true,
                })
            }
            Either::First(None) => Err(UsbDoubleError::Disabled),
            Either::Second(()) => Ok(Chunk::IDLE),
        }
    }

    async fn cancel(&mut self, _request: &[u8]) -> Result<(), UsbDoubleError> {
        Err(UsbDoubleError::Unsupported)
    }
}
