//! The camera trigger over PTP/IP against the virtual camera (a real
//! PTP/IP responder, hosts/virtual-camera) on loopback: the handshake,
//! DeviceInfo, OpenSession, InitiateCapture and the events ObjectAdded and
//! CaptureComplete on the event connection; then the camera goes away and
//! comes back, and the trigger connects again.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use embassy_futures::block_on;
use embassy_futures::select::{Either, select};
use ptp_core::client::ptpip_init::InitError;
use ptp_embassy::trigger::ptpip::{PtpIpConnector, PtpIpError};
use ptp_embassy::trigger::{Buffers, Release, Report, Settings, TriggerSource, run};
use ptp_embassy::trigger::{Connector, TimedError};
use std::cell::RefCell;
use std::future::poll_fn;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::task::Poll;
use std::time::{Duration, Instant};
use support::std_tcp::StdTcp;
use support::usb_host::{StdClock, sleep_until};
use virtual_camera::{Config, RunningServer, Server};

/// A fresh directory for the camera's storage.
fn storage(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ptp-embassy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn serve(dir: &PathBuf, listen: SocketAddr) -> RunningServer {
    let mut config = Config::new(dir);
    config.listen = listen;
    Server::bind(config).unwrap().spawn().unwrap()
}

/// Fires at once; before the second trigger it restarts the camera (the
/// connection breaks, the camera comes back on the same address).
struct Restart {
    dir: PathBuf,
    server: Option<RunningServer>,
    fired: u32,
}

impl TriggerSource for Restart {
    async fn wait(&mut self) {
        self.fired += 1;
        if self.fired == 2 {
            let old = self.server.take().unwrap();
            let addr = old.local_addr();
            old.stop().unwrap();
            self.server = Some(serve(&self.dir, addr));
        }
    }
}

#[test]
fn trigger_captures_from_the_virtual_camera_and_reconnects() {
    let dir = storage("trigger");
    let server = serve(&dir, "127.0.0.1:0".parse().unwrap());
    let addr = server.local_addr();
    let mut source = Restart {
        dir: dir.clone(),
        server: Some(server),
        fired: 0,
    };
    let mut connector = PtpIpConnector::new(StdTcp { addr }, [7; 16], "ptp-embassy trigger test");
    let clock = StdClock::new();
    let mut receive = vec![0u8; 4096];
    let buffers = Buffers {
        receive: &mut receive,
    };
    let settings = Settings {
        capture_timeout_ms: 10_000,
        retry_ms: 50,
        ..Settings::DEFAULT
    };
    let reports = RefCell::new(Vec::new());
    let two_captures = poll_fn(|cx| {
        let count = reports
            .borrow()
            .iter()
            .filter(|report| matches!(report, Report::Captured(_)))
            .count();
        if count >= 2 {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    });
    let limit = sleep_until(Instant::now() + Duration::from_secs(60));
    let trigger = run(
        &mut connector,
        &mut source,
        &clock,
        buffers,
        &settings,
        |report| reports.borrow_mut().push(report),
    );
    match block_on(select(trigger, select(two_captures, limit))) {
        Either::Second(Either::First(())) => {}
        Either::Second(Either::Second(())) => {
            panic!("no two captures in 60 s: {:?}", reports.borrow())
        }
    }
    let reports = reports.into_inner();
    println!("trigger reports: {reports:?}");
    assert_eq!(reports[0], Report::Ready(Release::Standard), "{reports:?}");
    let captures: Vec<_> = reports
        .iter()
        .filter_map(|report| match report {
            Report::Captured(capture) => Some(*capture),
            _ => None,
        })
        .collect();
    for capture in &captures {
        assert!(capture.complete, "{reports:?}");
        assert!(capture.object.is_some(), "{reports:?}");
    }
    let disconnected = reports.iter().position(|r| *r == Report::Disconnected);
    let ready_again = reports
        .iter()
        .rposition(|r| *r == Report::Ready(Release::Standard));
    assert!(
        disconnected.is_some() && ready_again > disconnected,
        "{reports:?}"
    );
    // The camera stored both pictures.
    let pictures = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("CAPT"))
        .count();
    assert_eq!(pictures, 2);
    drop(source);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_camera_that_never_answers_the_handshake_fails_it() {
    // Accepts the connections and says nothing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut connector =
        PtpIpConnector::new(StdTcp { addr }, [7; 16], "silent test").with_handshake_timeout_ms(200);
    let started = Instant::now();
    let limit = sleep_until(started + Duration::from_secs(10));
    let result = match block_on(select(connector.connect(), limit)) {
        Either::First(result) => result.map(drop),
        Either::Second(()) => panic!("the handshake hung"),
    };
    assert!(
        matches!(
            result,
            Err(PtpIpError::Init(InitError::Io(TimedError::TimedOut)))
        ),
        "{:?}",
        result.err()
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(listener);
}
