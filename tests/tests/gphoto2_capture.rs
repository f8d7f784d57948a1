//! `gphoto2 --capture-image-and-download`: InitiateCapture answered at once,
//! ObjectAdded and CaptureComplete on the event connection, the new image
//! downloaded (and deleted from the camera by gphoto2).
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_e2e::camera::TestCamera;
use ptp_e2e::gphoto2::Gphoto2;
use ptp_e2e::temp::{TempDir, files};
use std::time::{Duration, Instant};

#[test]
fn capture_image_and_download() {
    let camera = TestCamera::start("capture");
    let Some(gphoto2) = Gphoto2::for_camera("capture_image_and_download", camera.addr()) else {
        return;
    };
    let download = TempDir::new("capture-dl").unwrap();
    let started = Instant::now();
    let run = gphoto2
        .run(download.path(), &["--capture-image-and-download"])
        .expect_success("--capture-image-and-download");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        run.stdout
            .contains("New file is in location /store_00010001/CAPT0001.JPG"),
        "{}",
        run.stdout
    );
    let got = files(download.path());
    assert_eq!(got.len(), 1, "{got:?}");
    let bytes = std::fs::read(download.path().join(&got[0])).unwrap();
    let header = virtual_camera::jpeg::parse_header(&bytes).unwrap();
    // ImageSize's default.
    assert_eq!(header.size, Some((640, 480)));
    // gphoto2 deletes the capture from the camera after downloading it.
    assert!(!camera.path().join("CAPT0001.JPG").exists());
}

#[test]
fn capture_image_keeps_it_on_the_camera_at_the_set_size() {
    let camera = TestCamera::start("capture-keep");
    let Some(gphoto2) = Gphoto2::for_camera("capture_image", camera.addr()) else {
        return;
    };
    gphoto2
        .run(camera.path(), &["--set-config", "imagesize=320x240"])
        .expect_success("--set-config imagesize");
    gphoto2
        .run(camera.path(), &["--capture-image"])
        .expect_success("--capture-image");
    let bytes = std::fs::read(camera.path().join("CAPT0001.JPG")).unwrap();
    let header = virtual_camera::jpeg::parse_header(&bytes).unwrap();
    assert_eq!(header.size, Some((320, 240)));
}
