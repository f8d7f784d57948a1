//! The virtual camera's events and the operations gphoto2's command line
//! does not reach (GetPartialObject, MoveObject, CopyObject, capture
//! delay), through a raw PTP/IP client.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_core::dataset::{DeviceInfo, ObjectInfo};
use ptp_e2e::camera::TestCamera;
use ptp_e2e::raw_client::{EventSeen, RawClient};
use std::time::{Duration, Instant};

const OBJECT_ADDED: u16 = 0x4002;
const OBJECT_REMOVED: u16 = 0x4003;
const DEVICE_PROP_CHANGED: u16 = 0x4006;
const CAPTURE_COMPLETE: u16 = 0x400D;

fn handles(client: &mut RawClient, parent: u32) -> Vec<u32> {
    let (data, reply) = client
        .transaction(0x1007, &[0xFFFF_FFFF, 0, parent], None)
        .unwrap();
    assert_eq!(reply.code, 0x2001);
    data[4..]
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

fn name_of(client: &mut RawClient, handle: u32) -> String {
    let (info, reply) = client.transaction(0x1008, &[handle], None).unwrap();
    assert_eq!(reply.code, 0x2001);
    ObjectInfo::parse(&info).unwrap().filename.chars().collect()
}

fn handle_of(client: &mut RawClient, name: &str) -> u32 {
    handles(client, 0)
        .into_iter()
        .find(|h| name_of(client, *h) == name)
        .unwrap()
}

fn wait_event(client: &mut RawClient, code: u16) -> EventSeen {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(event) = client
            .next_event(Duration::from_millis(500))
            .filter(|event| event.code == code)
        {
            return event;
        }
    }
    panic!("no event 0x{code:04X} within 5 s");
}

#[test]
fn device_info_lists_exactly_what_is_answered() {
    let camera = TestCamera::start("device-info");
    let mut client = RawClient::open(camera.addr(), "ops").unwrap();
    let (data, _) = client.transaction(0x1001, &[], None).unwrap();
    let info = DeviceInfo::parse(&data).unwrap();
    let listed: Vec<u16> = info.operations_supported.iter().collect();
    assert_eq!(listed, virtual_camera::device_info::OPERATIONS);
    // Something not listed is refused as not supported.
    assert!(!listed.contains(&0x100F));
    assert_eq!(
        client
            .transaction(0x100F, &[0x0001_0001, 0], None)
            .unwrap()
            .1
            .code,
        0x2005
    );
}

#[test]
fn files_appearing_and_vanishing_become_events() {
    let camera = TestCamera::start("watch");
    let mut client = RawClient::open(camera.addr(), "watch").unwrap();
    std::fs::write(camera.path().join("dropped.txt"), b"new").unwrap();
    let added = wait_event(&mut client, OBJECT_ADDED);
    let handle = added.params[0];
    assert_eq!(name_of(&mut client, handle), "dropped.txt");
    std::fs::remove_file(camera.path().join("dropped.txt")).unwrap();
    let removed = wait_event(&mut client, OBJECT_REMOVED);
    assert_eq!(removed.params, [handle]);
    assert_eq!(
        client.transaction(0x1008, &[handle], None).unwrap().1.code,
        0x2009
    );
}

#[test]
fn setting_a_property_sends_prop_changed() {
    let camera = TestCamera::start("prop-event");
    let mut client = RawClient::open(camera.addr(), "props").unwrap();
    let reply = client
        .transaction(0x1016, &[0x500F], Some(&400u16.to_le_bytes()))
        .unwrap()
        .1;
    assert_eq!(reply.code, 0x2001);
    assert_eq!(
        wait_event(&mut client, DEVICE_PROP_CHANGED).params,
        [0x500F]
    );
    let (value, _) = client.transaction(0x1015, &[0x500F], None).unwrap();
    assert_eq!(value, 400u16.to_le_bytes());
    assert_eq!(
        client.transaction(0x1017, &[0x500F], None).unwrap().1.code,
        0x2001
    );
    let (value, _) = client.transaction(0x1015, &[0x500F], None).unwrap();
    assert_eq!(value, 100u16.to_le_bytes());
}

#[test]
fn capture_answers_at_once_then_sends_both_events() {
    let camera = TestCamera::start("capture-events");
    let mut client = RawClient::open(camera.addr(), "capture").unwrap();
    // A 2 s self-timer: the response must not wait for it.
    let reply = client
        .transaction(0x1016, &[0x5012], Some(&2000u32.to_le_bytes()))
        .unwrap()
        .1;
    assert_eq!(reply.code, 0x2001);
    let started = Instant::now();
    let reply = client.transaction(0x100E, &[0, 0], None).unwrap().1;
    assert_eq!(reply.code, 0x2001);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    // OpenSession was transaction 0, SetDevicePropValue 1.
    let capture_tid = 2;
    // A second capture while the first runs: busy.
    assert_eq!(
        client.transaction(0x100E, &[0, 0], None).unwrap().1.code,
        0x2019
    );
    let added = wait_event(&mut client, OBJECT_ADDED);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(added.transaction_id, capture_tid);
    let complete = wait_event(&mut client, CAPTURE_COMPLETE);
    assert_eq!(complete.transaction_id, capture_tid);
    assert_eq!(name_of(&mut client, added.params[0]), "CAPT0001.JPG");
    let (jpeg, reply) = client
        .transaction(0x1009, &[added.params[0]], None)
        .unwrap();
    assert_eq!(reply.code, 0x2001);
    assert_eq!(
        jpeg,
        std::fs::read(camera.path().join("CAPT0001.JPG")).unwrap()
    );
}

#[test]
fn partial_objects_move_and_copy() {
    let camera = TestCamera::start("partial");
    let mut client = RawClient::open(camera.addr(), "partial").unwrap();
    let checker = handle_of(&mut client, "checker.jpg");
    let original = std::fs::read(camera.path().join("checker.jpg")).unwrap();
    let (part, reply) = client
        .transaction(0x101B, &[checker, 1000, 500], None)
        .unwrap();
    assert_eq!(reply.code, 0x2001);
    assert_eq!(reply.params, [500]);
    assert_eq!(part, &original[1000..1500]);
    let len = original.len() as u32;
    let (tail, reply) = client
        .transaction(0x101B, &[checker, len - 10, 500], None)
        .unwrap();
    assert_eq!(
        (tail.as_slice(), reply.params.as_slice()),
        (&original[original.len() - 10..], &[10][..])
    );

    let dcim = handle_of(&mut client, "DCIM");
    let reply = client
        .transaction(0x101A, &[checker, 0x0001_0001, dcim], None)
        .unwrap()
        .1;
    assert_eq!(reply.code, 0x2001);
    assert_eq!(
        std::fs::read(camera.path().join("DCIM/checker.jpg")).unwrap(),
        original
    );
    let copy = reply.params[0];
    assert_eq!(name_of(&mut client, copy), "checker.jpg");
    // Moving the original onto the copy's name: refused, nothing lost.
    assert_eq!(
        client
            .transaction(0x1019, &[checker, 0x0001_0001, dcim], None)
            .unwrap()
            .1
            .code,
        0x200F
    );
    // Moving the copy back to the root under its name: refused too; moving
    // IMG_0001 up works.
    let img = handle_of(&mut client, "IMG_0001.JPG");
    assert_eq!(
        client
            .transaction(0x1019, &[img, 0x0001_0001, 0xFFFF_FFFF], None)
            .unwrap()
            .1
            .code,
        0x2001
    );
    assert!(camera.path().join("IMG_0001.JPG").exists());
    assert!(!camera.path().join("DCIM/100VCAM/IMG_0001.JPG").exists());
    assert!(handles(&mut client, 0xFFFF_FFFF).contains(&img));
    // A folder cannot move into itself.
    assert_eq!(
        client
            .transaction(0x1019, &[dcim, 0x0001_0001, dcim], None)
            .unwrap()
            .1
            .code,
        0x201A
    );
}

#[test]
fn thumbnails_match_what_object_info_announces() {
    let camera = TestCamera::start("thumb-sizes");
    let mut client = RawClient::open(camera.addr(), "thumbs").unwrap();
    // checker.jpg carries an EXIF thumbnail; IMG_0001.JPG gets a generated one.
    for name in ["checker.jpg", "IMG_0001.JPG"] {
        let handle = handle_of(&mut client, name);
        let (info, _) = client.transaction(0x1008, &[handle], None).unwrap();
        let info = ObjectInfo::parse(&info).unwrap();
        let (thumb, reply) = client.transaction(0x100A, &[handle], None).unwrap();
        assert_eq!(reply.code, 0x2001);
        assert_eq!(info.thumb_format, 0x3808, "{name}");
        assert_eq!(thumb.len(), info.thumb_compressed_size as usize, "{name}");
        let header = virtual_camera::jpeg::parse_header(&thumb).unwrap();
        let size = header.size.unwrap();
        assert_eq!(
            (u32::from(size.0), u32::from(size.1)),
            (info.thumb_pix_width, info.thumb_pix_height)
        );
    }
    let readme = handle_of(&mut client, "README.txt");
    assert_eq!(
        client.transaction(0x100A, &[readme], None).unwrap().1.code,
        0x2010
    );
}
