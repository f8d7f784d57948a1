//! A test double of an embassy-usb-driver [`Driver`]: the device side of a
//! USB bus kept in memory, with a [`HostDouble`] handle that plays the host
//! (SETUP packets on the control pipe, bulk and interrupt packets).
//!
//! It models what the class code relies on: packets of at most
//! wMaxPacketSize, short packets and ZLPs as they were sent, endpoints that
//! are disabled until SET_CONFIGURATION and again on a bus reset, reads and
//! writes that fail with `Disabled` then, a bounded queue per endpoint (a
//! device write waits until the host reads), and STALL of a rejected
//! control request. It is single-threaded (`Rc<RefCell>`); its futures
//! register wakers, so any executor runs it.

use embassy_usb::driver::{
    Bus, ControlPipe, Direction, Driver, Endpoint, EndpointAddress, EndpointAllocError,
    EndpointError, EndpointIn, EndpointInfo, EndpointOut, EndpointType, Event, Unsupported,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// Packets an endpoint queue holds before its writer waits.
const QUEUE_DEPTH: usize = 2;
/// The control pipe's max packet size.
pub const CONTROL_MAX_PACKET_SIZE: usize = 64;

/// How a control transfer ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlOutcome {
    /// Status stage ACKed, with the IN data (empty for OUT requests).
    Accepted(Vec<u8>),
    /// The device stalled the request.
    Stalled,
}

#[derive(Debug)]
struct EndpointState {
    info: EndpointInfo,
    enabled: bool,
    stalled: bool,
    packets: VecDeque<Vec<u8>>,
}

#[derive(Debug, Default)]
struct ControlState {
    setup: Option<[u8; 8]>,
    data_out: VecDeque<Vec<u8>>,
    data_in: Vec<u8>,
    outcome: Option<ControlOutcome>,
}

#[derive(Debug, Default)]
struct BusState {
    events: VecDeque<Event>,
    enabled: bool,
    endpoints: BTreeMap<u8, EndpointState>,
    control: ControlState,
    wakers: Vec<Waker>,
}

impl BusState {
    fn endpoint(&mut self, address: EndpointAddress) -> &mut EndpointState {
        self.endpoints
            .get_mut(&u8::from(address))
            .expect("the double allocated this endpoint")
    }

    fn wake_all(&mut self) {
        for waker in self.wakers.drain(..) {
            waker.wake();
        }
    }

    fn disable_endpoints(&mut self) {
        for endpoint in self.endpoints.values_mut() {
            endpoint.enabled = false;
            endpoint.packets.clear();
        }
    }
}

type Shared = Rc<RefCell<BusState>>;

/// Polls `check` against the state until it returns `Some`; wakes every
/// waiter when it does (the state may have changed).
async fn wait<T>(shared: &Shared, mut check: impl FnMut(&mut BusState) -> Option<T>) -> T {
    poll_fn(|cx| {
        let mut state = shared.borrow_mut();
        match check(&mut state) {
            Some(value) => {
                state.wake_all();
                Poll::Ready(value)
            }
            None => {
                if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
                    state.wakers.push(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    })
    .await
}

/// The device-side driver double. Make one with [`double`].
pub struct DriverDouble {
    shared: Shared,
    next_in: usize,
    next_out: usize,
}

/// A driver double and the host handle on the same in-memory bus.
pub fn double() -> (DriverDouble, HostDouble) {
    let shared: Shared = Rc::default();
    (
        DriverDouble {
            shared: shared.clone(),
            next_in: 1,
            next_out: 1,
        },
        HostDouble { shared },
    )
}

impl DriverDouble {
    fn alloc(
        &mut self,
        direction: Direction,
        ep_type: EndpointType,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<EndpointDouble, EndpointAllocError> {
        let next = match direction {
            Direction::In => &mut self.next_in,
            Direction::Out => &mut self.next_out,
        };
        if *next > 15 {
            return Err(EndpointAllocError);
        }
        let addr = EndpointAddress::from_parts(*next, direction);
        *next += 1;
        let info = EndpointInfo {
            addr,
            ep_type,
            max_packet_size,
            interval_ms,
        };
        self.shared.borrow_mut().endpoints.insert(
            u8::from(addr),
            EndpointState {
                info,
                enabled: false,
                stalled: false,
                packets: VecDeque::new(),
            },
        );
        Ok(EndpointDouble {
            shared: self.shared.clone(),
            info,
        })
    }
}

impl<'a> Driver<'a> for DriverDouble {
    type EndpointOut = EndpointDouble;
    type EndpointIn = EndpointDouble;
    type ControlPipe = ControlPipeDouble;
    type Bus = BusDouble;

    fn alloc_endpoint_out(
        &mut self,
        ep_type: EndpointType,
        _ep_addr: Option<EndpointAddress>,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<EndpointDouble, EndpointAllocError> {
        self.alloc(Direction::Out, ep_type, max_packet_size, interval_ms)
    }

    fn alloc_endpoint_in(
        &mut self,
        ep_type: EndpointType,
        _ep_addr: Option<EndpointAddress>,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<EndpointDouble, EndpointAllocError> {
        self.alloc(Direction::In, ep_type, max_packet_size, interval_ms)
    }

    fn start(self, _control_max_packet_size: u16) -> (BusDouble, ControlPipeDouble) {
        (
            BusDouble {
                shared: self.shared.clone(),
            },
            ControlPipeDouble {
                shared: self.shared,
            },
        )
    }
}

/// The bus double: events the host queued, endpoint enable and stall.
pub struct BusDouble {
    shared: Shared,
}

impl Bus for BusDouble {
    async fn enable(&mut self) {
        self.shared.borrow_mut().enabled = true;
    }

    async fn disable(&mut self) {
        let mut state = self.shared.borrow_mut();
        state.enabled = false;
        state.disable_endpoints();
        state.wake_all();
    }

    async fn poll(&mut self) -> Event {
        wait(&self.shared, |state| {
            let event = state.events.pop_front()?;
            if event == Event::Reset {
                // What the hardware does on a bus reset.
                state.disable_endpoints();
            }
            Some(event)
        })
        .await
    }

    fn endpoint_set_enabled(&mut self, ep_addr: EndpointAddress, enabled: bool) {
        let mut state = self.shared.borrow_mut();
        let endpoint = state.endpoint(ep_addr);
        endpoint.enabled = enabled;
        if !enabled {
            endpoint.packets.clear();
        }
        state.wake_all();
    }

    fn endpoint_set_stalled(&mut self, ep_addr: EndpointAddress, stalled: bool) {
        self.shared.borrow_mut().endpoint(ep_addr).stalled = stalled;
    }

    fn endpoint_is_stalled(&mut self, ep_addr: EndpointAddress) -> bool {
        self.shared.borrow_mut().endpoint(ep_addr).stalled
    }

    async fn remote_wakeup(&mut self) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
}

/// One endpoint double (either direction).
pub struct EndpointDouble {
    shared: Shared,
    info: EndpointInfo,
}

impl Endpoint for EndpointDouble {
    fn info(&self) -> &EndpointInfo {
        &self.info
    }

    async fn wait_enabled(&mut self) {
        let addr = self.info.addr;
        wait(&self.shared, |state| {
            state.endpoint(addr).enabled.then_some(())
        })
        .await
    }
}

impl EndpointOut for EndpointDouble {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, EndpointError> {
        let addr = self.info.addr;
        let packet = wait(&self.shared, |state| {
            let endpoint = state.endpoint(addr);
            if !endpoint.enabled {
                return Some(Err(EndpointError::Disabled));
            }
            endpoint.packets.pop_front().map(Ok)
        })
        .await?;
        let target = buf
            .get_mut(..packet.len())
            .ok_or(EndpointError::BufferOverflow)?;
        target.copy_from_slice(&packet);
        Ok(packet.len())
    }
}

impl EndpointIn for EndpointDouble {
    async fn write(&mut self, buf: &[u8]) -> Result<(), EndpointError> {
        if buf.len() > usize::from(self.info.max_packet_size) {
            return Err(EndpointError::BufferOverflow);
        }
        let addr = self.info.addr;
        wait(&self.shared, |state| {
            let endpoint = state.endpoint(addr);
            if !endpoint.enabled {
                return Some(Err(EndpointError::Disabled));
            }
            (endpoint.packets.len() < QUEUE_DEPTH).then(|| {
                endpoint.packets.push_back(buf.to_vec());
                Ok(())
            })
        })
        .await
    }
}

/// The control pipe double: SETUP packets and data stages from the host.
pub struct ControlPipeDouble {
    shared: Shared,
}

impl ControlPipeDouble {
    fn finish(&mut self, outcome: ControlOutcome) {
        let mut state = self.shared.borrow_mut();
        state.control.outcome = Some(outcome);
        state.wake_all();
    }
}

impl ControlPipe for ControlPipeDouble {
    fn max_packet_size(&self) -> usize {
        CONTROL_MAX_PACKET_SIZE
    }

    async fn setup(&mut self) -> [u8; 8] {
        wait(&self.shared, |state| state.control.setup.take()).await
    }

    async fn data_out(
        &mut self,
        buf: &mut [u8],
        _first: bool,
        _last: bool,
    ) -> Result<usize, EndpointError> {
        let packet = wait(&self.shared, |state| state.control.data_out.pop_front()).await;
        let target = buf
            .get_mut(..packet.len())
            .ok_or(EndpointError::BufferOverflow)?;
        target.copy_from_slice(&packet);
        Ok(packet.len())
    }

    async fn data_in(
        &mut self,
        data: &[u8],
        _first: bool,
        last: bool,
    ) -> Result<(), EndpointError> {
        let mut state = self.shared.borrow_mut();
        state.control.data_in.extend_from_slice(data);
        if last {
            let data = std::mem::take(&mut state.control.data_in);
            state.control.outcome = Some(ControlOutcome::Accepted(data));
            state.wake_all();
        }
        Ok(())
    }

    async fn accept(&mut self) {
        let data = std::mem::take(&mut self.shared.borrow_mut().control.data_in);
        self.finish(ControlOutcome::Accepted(data));
    }

    async fn reject(&mut self) {
        self.shared.borrow_mut().control.data_in.clear();
        self.finish(ControlOutcome::Stalled);
    }

    async fn accept_set_address(&mut self, _addr: u8) {
        self.accept().await;
    }
}

/// A SETUP packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// bmRequestType.
    pub request_type: u8,
    /// bRequest.
    pub request: u8,
    /// wValue.
    pub value: u16,
    /// wIndex.
    pub index: u16,
    /// wLength.
    pub length: u16,
}

impl Setup {
    /// The SETUP packet in `bytes`.
    pub fn from_bytes(bytes: &[u8; 8]) -> Self {
        let [request_type, request, v0, v1, i0, i1, l0, l1] = *bytes;
        Setup {
            request_type,
            request,
            value: u16::from_le_bytes([v0, v1]),
            index: u16::from_le_bytes([i0, i1]),
            length: u16::from_le_bytes([l0, l1]),
        }
    }

    fn bytes(&self) -> [u8; 8] {
        let [v0, v1] = self.value.to_le_bytes();
        let [i0, i1] = self.index.to_le_bytes();
        let [l0, l1] = self.length.to_le_bytes();
        [self.request_type, self.request, v0, v1, i0, i1, l0, l1]
    }
}

/// The host's end of the double: cloneable, so several host tasks (the
/// command pipe, the event pipe) can share the bus.
#[derive(Clone)]
pub struct HostDouble {
    shared: Shared,
}

impl HostDouble {
    /// Plugs the device in: power, then a bus reset.
    pub fn attach(&self) {
        let mut state = self.shared.borrow_mut();
        state.events.push_back(Event::PowerDetected);
        state.events.push_back(Event::Reset);
        state.wake_all();
    }

    /// A bus reset, as after re-plugging: the device must be enumerated
    /// and configured again.
    pub fn bus_reset(&self) {
        let mut state = self.shared.borrow_mut();
        state.events.push_back(Event::Reset);
        state.wake_all();
    }

    /// One control transfer; `data` is the OUT data stage (empty for IN
    /// requests, whose data comes back in the outcome).
    pub async fn control(&self, setup: Setup, data: &[u8]) -> ControlOutcome {
        {
            let mut state = self.shared.borrow_mut();
            assert!(
                state.control.setup.is_none(),
                "one control transfer at a time"
            );
            state.control = ControlState {
                setup: Some(setup.bytes()),
                data_out: data
                    .chunks(CONTROL_MAX_PACKET_SIZE)
                    .map(<[u8]>::to_vec)
                    .collect(),
                ..ControlState::default()
            };
            state.wake_all();
        }
        wait(&self.shared, |state| state.control.outcome.take()).await
    }

    /// Sends one packet to an OUT endpoint, waiting while its queue is
    /// full; `false` if the endpoint is disabled.
    pub async fn write_packet(&self, address: u8, packet: &[u8]) -> bool {
        wait(&self.shared, |state| {
            let endpoint = state.endpoint(EndpointAddress::from(address));
            assert!(packet.len() <= usize::from(endpoint.info.max_packet_size));
            if !endpoint.enabled {
                return Some(false);
            }
            (endpoint.packets.len() < QUEUE_DEPTH).then(|| {
                endpoint.packets.push_back(packet.to_vec());
                true
            })
        })
        .await
    }

    /// The next packet from an IN endpoint; `None` if it is disabled.
    pub async fn read_packet(&self, address: u8) -> Option<Vec<u8>> {
        wait(&self.shared, |state| {
            let endpoint = state.endpoint(EndpointAddress::from(address));
            match endpoint.packets.pop_front() {
                Some(packet) => Some(Some(packet)),
                None if !endpoint.enabled => Some(None),
                None => None,
            }
        })
        .await
    }

    /// The max packet size of an endpoint.
    pub fn max_packet_size(&self, address: u8) -> usize {
        let mut state = self.shared.borrow_mut();
        usize::from(
            state
                .endpoint(EndpointAddress::from(address))
                .info
                .max_packet_size,
        )
    }
}
