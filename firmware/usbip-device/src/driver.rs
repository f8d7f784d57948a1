//! An embassy-usb-driver [`Driver`] whose bus is a USB/IP connection: the
//! endpoints, control pipe and bus events of [`Urbs`], which the
//! connection fills with the host's URBs. embassy-usb's `UsbDevice` and
//! ptp-embassy's class and device task run on it unchanged, as on a
//! microcontroller's USB peripheral.
//!
//! Single-threaded (`Rc<RefCell>`): everything runs on the executor in
//! [`executor`](crate::executor); a future that has to wait registers its
//! waker with [`Urbs`], which wakes it on the next change.

use crate::urbs::{CONTROL_MAX_PACKET_SIZE, Urbs};
use embassy_usb_driver::{
    Bus, ControlPipe, Direction, Driver, Endpoint, EndpointAddress, EndpointAllocError,
    EndpointError, EndpointIn, EndpointInfo, EndpointOut, EndpointType, Event, Unsupported,
};
use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;

/// The state the driver's parts share with the connection.
pub type Shared = Rc<RefCell<Urbs>>;

/// Polls `check` until it gives a value; giving one may change the state,
/// so every other waiter is woken then.
async fn wait<T>(shared: &Shared, mut check: impl FnMut(&mut Urbs) -> Option<T>) -> T {
    poll_fn(|cx| {
        let mut urbs = shared.borrow_mut();
        match check(&mut urbs) {
            Some(value) => {
                urbs.wake();
                Poll::Ready(value)
            }
            None => {
                urbs.register(cx.waker());
                Poll::Pending
            }
        }
    })
    .await
}

/// The driver: endpoint numbers are given out from 1 in each direction.
pub struct UsbipDriver {
    shared: Shared,
    next_in: usize,
    next_out: usize,
}

impl UsbipDriver {
    /// A driver over `shared`.
    pub fn new(shared: Shared) -> Self {
        UsbipDriver {
            shared,
            next_in: 1,
            next_out: 1,
        }
    }

    fn alloc(
        &mut self,
        direction: Direction,
        ep_type: EndpointType,
        ep_addr: Option<EndpointAddress>,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<UsbipEndpoint, EndpointAllocError> {
        let next = match direction {
            Direction::In => &mut self.next_in,
            Direction::Out => &mut self.next_out,
        };
        let index = ep_addr.map_or(*next, |addr| addr.index());
        if !(1..=15).contains(&index) {
            return Err(EndpointAllocError);
        }
        *next = (*next).max(index + 1);
        let info = EndpointInfo {
            addr: EndpointAddress::from_parts(index, direction),
            ep_type,
            max_packet_size,
            interval_ms,
        };
        self.shared
            .borrow_mut()
            .add_endpoint(info.addr, max_packet_size);
        Ok(UsbipEndpoint {
            shared: self.shared.clone(),
            info,
        })
    }
}

impl Driver<'static> for UsbipDriver {
    type EndpointOut = UsbipEndpoint;
    type EndpointIn = UsbipEndpoint;
    type ControlPipe = UsbipControlPipe;
    type Bus = UsbipBus;

    fn alloc_endpoint_out(
        &mut self,
        ep_type: EndpointType,
        ep_addr: Option<EndpointAddress>,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<UsbipEndpoint, EndpointAllocError> {
        self.alloc(
            Direction::Out,
            ep_type,
            ep_addr,
            max_packet_size,
            interval_ms,
        )
    }

    fn alloc_endpoint_in(
        &mut self,
        ep_type: EndpointType,
        ep_addr: Option<EndpointAddress>,
        max_packet_size: u16,
        interval_ms: u8,
    ) -> Result<UsbipEndpoint, EndpointAllocError> {
        self.alloc(
            Direction::In,
            ep_type,
            ep_addr,
            max_packet_size,
            interval_ms,
        )
    }

    fn start(self, _control_max_packet_size: u16) -> (UsbipBus, UsbipControlPipe) {
        (
            UsbipBus {
                shared: self.shared.clone(),
            },
            UsbipControlPipe {
                shared: self.shared,
            },
        )
    }
}

/// The bus: the connection's events, endpoint enable and halt.
pub struct UsbipBus {
    shared: Shared,
}

impl Bus for UsbipBus {
    async fn enable(&mut self) {}

    async fn disable(&mut self) {
        let mut urbs = self.shared.borrow_mut();
        urbs.disable_all();
        urbs.wake();
    }

    async fn poll(&mut self) -> Event {
        wait(&self.shared, Urbs::poll_event).await
    }

    fn endpoint_set_enabled(&mut self, ep_addr: EndpointAddress, enabled: bool) {
        let mut urbs = self.shared.borrow_mut();
        urbs.set_enabled(ep_addr, enabled);
        urbs.wake();
    }

    fn endpoint_set_stalled(&mut self, ep_addr: EndpointAddress, stalled: bool) {
        let mut urbs = self.shared.borrow_mut();
        urbs.set_stalled(ep_addr, stalled);
        urbs.wake();
    }

    fn endpoint_is_stalled(&mut self, ep_addr: EndpointAddress) -> bool {
        self.shared.borrow().is_stalled(ep_addr)
    }

    async fn remote_wakeup(&mut self) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
}

/// A bulk or interrupt endpoint (either direction).
pub struct UsbipEndpoint {
    shared: Shared,
    info: EndpointInfo,
}

impl Endpoint for UsbipEndpoint {
    fn info(&self) -> &EndpointInfo {
        &self.info
    }

    async fn wait_enabled(&mut self) {
        let addr = self.info.addr;
        wait(&self.shared, |urbs| urbs.is_enabled(addr).then_some(())).await
    }
}

impl EndpointOut for UsbipEndpoint {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, EndpointError> {
        let addr = self.info.addr;
        wait(&self.shared, |urbs| urbs.read(addr, buf)).await
    }
}

impl EndpointIn for UsbipEndpoint {
    async fn write(&mut self, buf: &[u8]) -> Result<(), EndpointError> {
        let addr = self.info.addr;
        wait(&self.shared, |urbs| urbs.write(addr, buf)).await
    }
}

/// The control pipe: SETUP packets and data stages of endpoint 0's URBs.
pub struct UsbipControlPipe {
    shared: Shared,
}

impl ControlPipe for UsbipControlPipe {
    fn max_packet_size(&self) -> usize {
        CONTROL_MAX_PACKET_SIZE
    }

    async fn setup(&mut self) -> [u8; 8] {
        wait(&self.shared, Urbs::take_setup).await
    }

    async fn data_out(
        &mut self,
        buf: &mut [u8],
        _first: bool,
        _last: bool,
    ) -> Result<usize, EndpointError> {
        self.shared.borrow_mut().control_out(buf)
    }

    async fn data_in(
        &mut self,
        data: &[u8],
        _first: bool,
        last: bool,
    ) -> Result<(), EndpointError> {
        self.shared.borrow_mut().control_in(data, last)
    }

    async fn accept(&mut self) {
        self.shared
            .borrow_mut()
            .finish_control(crate::protocol::status::OK);
    }

    async fn reject(&mut self) {
        self.shared
            .borrow_mut()
            .finish_control(crate::protocol::status::STALL);
    }

    async fn accept_set_address(&mut self, _addr: u8) {
        // vhci-hcd answers SET_ADDRESS itself; a host that sends one anyway
        // gets it accepted.
        self.accept().await;
    }
}
