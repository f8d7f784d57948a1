//! The session API of `ptp-host` (what `ptpctl` is built on) against the
//! virtual camera over loopback PTP/IP: session guards, nested sessions,
//! transaction ids, code-set modes, events with timeouts, errors named for
//! the camera.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_core::codes::{CodeSet, Vendor};
use ptp_e2e::camera::TestCamera;
use ptp_host::objects::ROOT;
use ptp_host::{Camera, Error, ErrorKind, Extension, Options, Target};
use std::time::{Duration, Instant};

fn open(camera: &TestCamera, extension: Extension) -> Camera {
    let options = Options {
        extension,
        guid: Some([0x42; 16]),
        timeout: Duration::from_secs(5),
        ..Options::default()
    };
    Camera::open(&Target::PtpIp(camera.addr().to_string()), &options).unwrap()
}

#[test]
fn guards_open_share_and_close_sessions() {
    let server = TestCamera::start("api-session");
    let mut camera = open(&server, Extension::Auto);
    // DeviceInfo was read outside a session.
    assert!(camera.device_info().supports_operation(0x1009));
    assert_eq!(camera.session_id(), None);
    assert_eq!(camera.next_transaction_id(), 0);
    {
        let mut session = camera.session().unwrap();
        assert!(session.is_outermost());
        assert_eq!(session.id(), 1);
        assert_eq!(session.next_transaction_id(), 1);
        let stores = session.storage_ids().unwrap();
        assert_eq!(stores, [0x0001_0001]);
        assert_eq!(session.next_transaction_id(), 2);
        {
            let mut inner = session.session().unwrap();
            assert!(!inner.is_outermost());
            assert_eq!(inner.id(), 1, "the nested guard shares the session");
            inner.storages().unwrap();
        }
        // The inner guard did not close it.
        assert_eq!(session.session_id(), Some(1));
        assert_eq!(session.next_transaction_id(), 4);
    }
    assert_eq!(camera.session_id(), None, "the outer guard closed it");
    let session = camera.session().unwrap();
    assert_eq!(session.id(), 2, "a new session gets a new id");
}

#[test]
fn code_set_auto_raw_and_imposed() {
    let server = TestCamera::start("api-codes");
    let auto = open(&server, Extension::Auto);
    assert_eq!(auto.code_set(), auto.device_info().code_set());
    drop(auto);
    let raw = open(&server, Extension::Raw);
    assert_eq!(raw.code_set(), CodeSet::STANDARD);
    drop(raw);
    let nikon = open(&server, Extension::Imposed(Vendor::Nikon));
    assert_eq!(nikon.code_set().vendor, Vendor::Nikon);
}

#[test]
fn listing_paths_and_named_errors() {
    let server = TestCamera::start("api-objects");
    let mut camera = open(&server, Extension::Auto);
    let mut session = camera.session().unwrap();
    let root = session.children(0x0001_0001, ROOT).unwrap();
    let dcim = root
        .iter()
        .find(|object| object.filename == "DCIM")
        .unwrap();
    assert!(dcim.is_folder());
    let resolved = session
        .resolve("/store_00010001/DCIM/100VCAM/IMG_0001.JPG")
        .unwrap();
    let ptp_host::objects::Resolved::Object(image) = resolved else {
        panic!("not an object");
    };
    let on_disk = std::fs::metadata(server.path().join("DCIM/100VCAM/IMG_0001.JPG")).unwrap();
    assert_eq!(image.size, Some(on_disk.len()));
    assert_eq!(
        session.path_of(&image).unwrap(),
        "/store_00010001/DCIM/100VCAM/IMG_0001.JPG"
    );
    let error = session.object(0x7777).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Refused);
    let Error::Response {
        code, code_name, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!((*code, *code_name), (0x2009, Some("InvalidObjectHandle")));
    assert!(error.to_string().contains("list again"), "{error}");
}

#[test]
fn events_stream_with_a_timeout() {
    let server = TestCamera::start("api-events");
    let mut camera = open(&server, Extension::Auto);
    let started = Instant::now();
    assert!(
        camera
            .next_event(Duration::from_millis(300))
            .unwrap()
            .is_none()
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    std::fs::write(server.path().join("ADDED.TXT"), b"x").unwrap();
    let events: Vec<_> = camera
        .events(Duration::from_secs(3))
        .take(1)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events[0].code, 0x4002, "ObjectAdded");
    let mut session = camera.session().unwrap();
    let added = session.object(events[0].params.get(0)).unwrap();
    assert_eq!(added.filename, "ADDED.TXT");
}
