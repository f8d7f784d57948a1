//! `gphoto2 --summary` against the virtual camera: the identity, the store
//! and the properties it serves.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_e2e::camera::TestCamera;
use ptp_e2e::gphoto2::Gphoto2;

#[test]
fn summary_shows_identity_store_and_properties() {
    let camera = TestCamera::start("summary");
    let Some(gphoto2) = Gphoto2::for_camera("summary", camera.addr()) else {
        return;
    };
    let run = gphoto2
        .run(camera.path(), &["--summary"])
        .expect_success("--summary");
    for expected in [
        "Manufacturer: ptp-rs",
        "Model: Virtual Camera",
        "Capture Formats: JPEG",
        "File Download, File Deletion, File Upload",
        "Generic Image Capture",
        "store_00010001",
        "StorageDescription: Virtual card",
        "Access Capability: Read-Write",
        "Battery Level(0x5001):(read only)",
        "Exposure Index (film speed ISO)(0x500f):(readwrite)",
        "value: ISO 100 (100)",
        "Date & Time(0x5011):(readwrite)",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stdout
        );
    }
    // The real free space of the filesystem, not a made-up number.
    let free_line = run
        .stdout
        .lines()
        .find(|l| l.contains("Free Space (Bytes):"))
        .unwrap();
    let free: u64 = free_line
        .split_whitespace()
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    assert!(free > 0, "{free_line}");
    camera.stop();
}
