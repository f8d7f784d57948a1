//! The host side over the [`HostDouble`]: enumeration (reading the real
//! descriptors embassy-usb builds, finding the interface with the trigger's
//! own descriptor walker), class requests, and a clock.

use super::usb_double::{ControlOutcome, HostDouble, Setup};
use ptp_core::client::Clock;
use ptp_core::dataset::DeviceStatus;
use ptp_embassy::trigger::still_image_interface::{self, StillImageInterface};
use std::future::poll_fn;
use std::task::Poll;
use std::time::Instant;

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
    let device = accepted(
        host.control(get(0x0100, 18), &[]).await,
        "GET_DESCRIPTOR device",
    );
    assert_eq!((device.len(), device[1]), (18, 1), "device descriptor");
    let address = Setup {
        request_type: 0,
        request: SET_ADDRESS,
        value: 5,
        index: 0,
        length: 0,
    };
    accepted(host.control(address, &[]).await, "SET_ADDRESS");
    let head = accepted(
        host.control(get(0x0200, 9), &[]).await,
        "GET_DESCRIPTOR config",
    );
    let total = u16::from_le_bytes([head[2], head[3]]);
    let config = accepted(host.control(get(0x0200, total), &[]).await, "config");
    assert_eq!(config.len(), usize::from(total));
    let interface = still_image_interface::find(&config).expect("an interface of class 6/1/1");
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
    DeviceStatus::parse(&data)
        .expect("a valid device status")
        .code
}
