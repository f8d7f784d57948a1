//! The camera trigger over its USB host transport, against this crate's
//! own device class through the driver double: the standard release on the
//! object server (with a disconnect in between), and the vendor releases
//! (Canon EOS, Nikon, Sony) on a vendor camera double.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use embassy_futures::select::{Either, select};
use ptp_core::client::{Client, EventReader};
use ptp_embassy::flash_store::FIRST_CAPTURE_HANDLE;
use ptp_embassy::trigger::{
    Buffers, Camera, Connector, Release, Report, Settings, TriggerSource, run,
};
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::Poll;
use support::host_pipes::{DoubleChannel, DoubleEvents, channels};
use support::usb_double::HostDouble;
use support::usb_host::{StdClock, enumerate};
use support::vendor_camera::{PICTURE, Vendor, VendorCamera};
use support::{with_device, with_handler};

/// Connects by enumerating the device on the double (as after plugging it
/// in) and opening the trigger's channels on its pipes.
struct DoubleConnector {
    host: HostDouble,
}

impl Connector for DoubleConnector {
    type Channel<'c> = DoubleChannel;
    type Events<'c> = DoubleEvents;
    type Error = ();

    async fn connect(&mut self) -> Result<(DoubleChannel, DoubleEvents), ()> {
        let interface = enumerate(&self.host).await;
        Ok(channels(&self.host, interface))
    }
}

/// Fires at once each time; before the second trigger it resets the bus,
/// as a camera that is unplugged and plugged in again.
struct Script {
    host: HostDouble,
    fired: u32,
}

impl TriggerSource for Script {
    async fn wait(&mut self) {
        self.fired += 1;
        if self.fired == 2 {
            self.host.bus_reset();
        }
    }
}

/// Waits until `reports` holds `count` captures.
async fn captures(reports: &RefCell<Vec<Report>>, count: usize) {
    poll_fn(|cx| {
        let done = reports
            .borrow()
            .iter()
            .filter(|report| matches!(report, Report::Captured(_)))
            .count()
            >= count;
        if done {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

#[test]
fn trigger_captures_and_recovers_from_a_disconnect() {
    let reports = RefCell::new(Vec::new());
    with_device(|host| async {
        let mut connector = DoubleConnector { host: host.clone() };
        let mut source = Script { host, fired: 0 };
        let clock = StdClock::new();
        let mut receive = vec![0u8; 2048];
        let buffers = Buffers {
            receive: &mut receive,
        };
        let settings = Settings {
            capture_timeout_ms: 3_000,
            retry_ms: 10,
            ..Settings::DEFAULT
        };
        let trigger = run(
            &mut connector,
            &mut source,
            &clock,
            buffers,
            &settings,
            |report| reports.borrow_mut().push(report),
        );
        match select(trigger, captures(&reports, 2)).await {
            Either::Second(()) => {}
        }
    });
    let reports = reports.into_inner();
    println!("trigger reports: {reports:?}");
    let captured: Vec<_> = reports
        .iter()
        .filter_map(|report| match report {
            Report::Captured(capture) => Some(*capture),
            _ => None,
        })
        .collect();
    assert_eq!(reports[0], Report::Ready(Release::Standard), "{reports:?}");
    assert_eq!(captured.len(), 2, "{reports:?}");
    assert_eq!(captured[0].object, Some(FIRST_CAPTURE_HANDLE));
    assert!(captured[0].complete);
    // The bus reset dropped the connection: the second trigger found it
    // gone, the trigger connected again and the next capture worked.
    let disconnected = reports.iter().position(|r| *r == Report::Disconnected);
    let ready_again = reports
        .iter()
        .rposition(|r| *r == Report::Ready(Release::Standard));
    assert!(disconnected.is_some(), "{reports:?}");
    assert!(ready_again > disconnected, "{reports:?}");
    assert_eq!(captured[1].object, Some(FIRST_CAPTURE_HANDLE + 1));
}

/// Opens the vendor double as the trigger does and captures once.
fn capture_from(vendor: Vendor) -> (Camera, ptp_embassy::trigger::Capture, VendorCamera) {
    let mut camera_double = VendorCamera::new(vendor);
    let (camera, capture) = with_handler(&mut camera_double, |host| async move {
        let interface = enumerate(&host).await;
        let (channel, event_channel) = channels(&host, interface);
        let clock = StdClock::new();
        let mut client = Client::new(channel, clock, vec![0u8; 1024]);
        client.set_timeout_ms(2_000);
        let mut events = EventReader::new(event_channel, clock);
        let mut camera = Camera::open(&mut client, 1, None).await.unwrap();
        let capture = camera
            .capture(&mut client, &mut events, &clock, 3_000)
            .await
            .unwrap();
        (camera, capture)
    });
    (camera, capture, camera_double)
}

#[test]
fn canon_eos_remote_release_then_get_event() {
    let (camera, capture, double) = capture_from(Vendor::CanonEos);
    assert_eq!(camera.release, Release::CanonEos);
    assert_eq!(capture.object, Some(PICTURE));
    let ops = &double.operations;
    assert_eq!(
        &ops[..5],
        &[0x1001, 0x9114, 0x9115, 0x910F, 0x9116],
        "{ops:x?}"
    );
}

#[test]
fn nikon_capture_to_sdram() {
    let (camera, capture, double) = capture_from(Vendor::Nikon);
    assert_eq!(camera.release, Release::Nikon);
    assert_eq!((capture.object, capture.complete), (Some(PICTURE), true));
    assert_eq!(double.operations, [0x1001, 0x90C0]);
}

#[test]
fn sony_presses_and_releases_the_shutter_buttons() {
    let (camera, capture, double) = capture_from(Vendor::Sony);
    assert_eq!(camera.release, Release::Sony);
    assert_eq!(capture.object, Some(PICTURE));
    assert_eq!(
        double.sony_controls,
        [(0xD2C1, 2), (0xD2C2, 2), (0xD2C2, 1), (0xD2C1, 1)]
    );
    assert_eq!(
        double.operations,
        [
            0x1001, 0x9201, 0x9201, 0x9202, 0x9201, 0x9207, 0x9207, 0x9207, 0x9207
        ]
    );
}
