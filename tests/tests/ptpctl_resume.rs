//! A download killed mid-transfer leaves no file under the destination
//! name, and the next run resumes it (GetPartialObject) to a byte-identical
//! file. `ptpctl get` runs as a process against the virtual camera and is
//! killed with SIGKILL while its part file grows.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod ptpctl_support;

use ptp_e2e::camera::TestCamera;
use ptp_e2e::temp::TempDir;
use ptpctl_support::{command, run};
use std::fs;
use std::time::{Duration, Instant};

const SIZE: usize = 6_000_000;
/// Kill once this much has reached the disk.
const KILL_AFTER: u64 = 1_500_000;

#[test]
fn killed_download_resumes_to_an_identical_file() {
    let camera = TestCamera::start("ctl-resume");
    let config = TempDir::new("ctl-resume-cfg").unwrap();
    let out = TempDir::new("ctl-resume-out").unwrap();
    let data: Vec<u8> = (0..SIZE)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(camera.path().join("BIG.BIN"), &data).unwrap();
    let destination = out.path().join("BIG.BIN");
    let part = out.path().join(".BIG.BIN.ptpctl-part");

    // The camera's directory poll adds the file within a moment.
    let started = Instant::now();
    while !run(&camera, &config, &["ls"])
        .ok()
        .stdout
        .contains("BIG.BIN")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "BIG.BIN never appeared"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // 1 MB/s: six seconds for the whole file, killed after about 1.5.
    let ip = camera.addr().to_string();
    let out_dir = out.path().to_str().unwrap();
    let mut child = command(
        config.path(),
        &[
            "--ip",
            &ip,
            "get",
            "/store_00010001/BIG.BIN",
            "-o",
            out_dir,
            "--limit-rate",
            "1M",
        ],
    )
    .spawn()
    .unwrap();
    let started = Instant::now();
    loop {
        let have = fs::metadata(&part)
            .map(|metadata| metadata.len())
            .unwrap_or(0);
        if have >= KILL_AFTER {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "ptpctl ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the download does not progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !destination.exists(),
        "a partial file under the destination name"
    );
    let kept = fs::metadata(&part).unwrap().len();
    assert!(
        (KILL_AFTER..SIZE as u64).contains(&kept),
        "part file of {kept} bytes"
    );

    // The rerun resumes where the part file ends.
    let json = run(
        &camera,
        &config,
        &["get", "/store_00010001/BIG.BIN", "-o", out_dir, "--json"],
    )
    .ok()
    .json();
    assert_eq!(json[0]["resumed_from"], kept, "{json}");
    assert_eq!(json[0]["bytes"], SIZE);
    assert!(
        fs::read(&destination).unwrap() == data,
        "the resumed file differs"
    );
    assert!(!part.exists(), "the part file stays behind");
}
