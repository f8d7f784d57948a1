//! Device properties through gphoto2's configuration: `--list-config`,
//! `--get-config` and `--set-config` on the served properties.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_e2e::camera::TestCamera;
use ptp_e2e::gphoto2::Gphoto2;

fn current(text: &str) -> &str {
    text.lines()
        .find_map(|line| line.strip_prefix("Current: "))
        .unwrap_or_else(|| panic!("no Current: line in\n{text}"))
}

#[test]
fn list_config_shows_the_served_properties() {
    let camera = TestCamera::start("list-config");
    let Some(gphoto2) = Gphoto2::for_camera("list_config", camera.addr()) else {
        return;
    };
    let run = gphoto2
        .run(camera.path(), &["--list-config"])
        .expect_success("--list-config");
    for entry in [
        "/main/settings/datetime",
        "/main/status/batterylevel",
        "/main/imgsettings/imagesize",
        "/main/imgsettings/iso",
        "/main/imgsettings/whitebalance",
        "/main/capturesettings/f-number",
        "/main/capturesettings/capturedelay",
        "/main/capturesettings/shutterspeed",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == entry),
            "missing {entry} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn get_and_set_config() {
    let camera = TestCamera::start("set-config");
    let Some(gphoto2) = Gphoto2::for_camera("get_set_config", camera.addr()) else {
        return;
    };
    let get = |name: &str| {
        let run = gphoto2
            .run(camera.path(), &["--get-config", name])
            .expect_success("--get-config");
        current(&run.stdout).to_owned()
    };
    assert_eq!(get("iso"), "100");
    assert_eq!(get("whitebalance"), "Automatic");
    assert_eq!(get("f-number"), "f/5.6");
    assert_eq!(get("imagesize"), "640x480");
    assert_eq!(get("batterylevel"), "87%");
    gphoto2
        .run(
            camera.path(),
            &[
                "--set-config",
                "iso=400",
                "--set-config",
                "whitebalance=Daylight",
                "--set-config",
                "f-number=f/8",
                "--set-config",
                "imagesize=1280x960",
                "--set-config",
                "capturedelay=2.000s",
            ],
        )
        .expect_success("--set-config");
    // A new session sees what the last one set.
    assert_eq!(get("iso"), "400");
    assert_eq!(get("whitebalance"), "Daylight");
    assert_eq!(get("f-number"), "f/8");
    assert_eq!(get("imagesize"), "1280x960");
    assert_eq!(get("capturedelay"), "2.000s");
    // A value outside the enumeration is refused by the camera.
    let refused = gphoto2.run(camera.path(), &["--set-config", "iso=123"]);
    assert!(!refused.success);
    assert!(
        refused.stderr.contains("0x201c") || refused.stdout.contains("0x201c"),
        "{}{}",
        refused.stdout,
        refused.stderr
    );
    assert_eq!(get("iso"), "400");
    // The clock: set to a fixed time, read back within a few seconds.
    gphoto2
        .run(camera.path(), &["--set-config", "datetime=1600000000"])
        .expect_success("--set-config datetime");
    let clock: i64 = get("datetime").parse().unwrap();
    assert!((1_600_000_000..1_600_000_030).contains(&clock), "{clock}");
    // Read-only: the battery level.
    let battery = gphoto2.run(camera.path(), &["--set-config", "batterylevel=50"]);
    assert!(!battery.success);
}
