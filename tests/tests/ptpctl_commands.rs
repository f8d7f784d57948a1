//! Every `ptpctl` command over PTP/IP against the virtual camera (a real
//! responder on ptp-core's engine, on an ephemeral loopback port), run as
//! a process: text and `--json` output, exit codes, error messages.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod ptpctl_support;

use ptp_core::ptpip::Packet;
use ptp_e2e::camera::TestCamera;
use ptp_e2e::relay::{Relay, packets};
use ptp_e2e::temp::TempDir;
use ptpctl_support::{Run, command, run};
use std::fs;
use std::time::Duration;

const STORE: &str = "/store_00010001";

fn setup(tag: &str) -> (TestCamera, TempDir) {
    (
        TestCamera::start(tag),
        TempDir::new(&format!("{tag}-cfg")).unwrap(),
    )
}

fn names(listing: &serde_json::Value) -> Vec<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn info_names_operations_and_keeps_the_guid() {
    let (camera, config) = setup("ctl-info");
    let text = run(&camera, &config, &["info"]).ok();
    assert!(
        text.stdout.contains("0x1001  GetDeviceInfo"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("0x101B  GetPartialObject"));
    let json = run(&camera, &config, &["info", "--json"]).ok().json();
    assert!(json["model"].as_str().unwrap().contains("Virtual Camera"));
    let operations = json["operations"].as_array().unwrap();
    assert!(
        operations
            .iter()
            .any(|op| op["name"] == "GetObject" && op["code"] == 0x1009)
    );
    // The GUID is made once and kept in the config directory.
    let guid_file = config.path().join("ptpctl/guid");
    let guid = fs::read_to_string(&guid_file).unwrap();
    assert_eq!(guid.trim().len(), 32);
    run(&camera, &config, &["storages"]).ok();
    assert_eq!(fs::read_to_string(&guid_file).unwrap(), guid);
    // Raw mode and an imposed vendor change only the names.
    let raw = run(&camera, &config, &["--raw", "info", "--json"])
        .ok()
        .json();
    assert_eq!(raw["code_set"]["vendor"], "standard");
    let imposed = run(
        &camera,
        &config,
        &["--vendor", "canon_eos", "info", "--json"],
    )
    .ok()
    .json();
    assert_eq!(imposed["code_set"]["vendor"], "canon_eos");
}

#[test]
fn storages_and_listing() {
    let (camera, config) = setup("ctl-ls");
    let storages = run(&camera, &config, &["storages", "--json"]).ok().json();
    assert_eq!(storages[0]["path"], STORE);
    assert!(storages[0]["max_capacity"].as_u64().unwrap() > 0);
    let text = run(&camera, &config, &["storages"]).ok();
    assert!(text.stdout.starts_with(STORE), "{}", text.stdout);

    let root = names(&run(&camera, &config, &["ls", "--json"]).ok().json());
    assert!(root.contains(&format!("{STORE}/DCIM")), "{root:?}");
    assert!(root.contains(&format!("{STORE}/README.txt")));
    assert!(!root.iter().any(|path| path.ends_with("IMG_0001.JPG")));
    let all = names(&run(&camera, &config, &["ls", "-R", "--json"]).ok().json());
    assert!(
        all.contains(&format!("{STORE}/DCIM/100VCAM/IMG_0001.JPG")),
        "{all:?}"
    );
    let folder = run(&camera, &config, &["ls", &format!("{STORE}/DCIM/100VCAM")]).ok();
    assert_eq!(folder.stdout.lines().count(), 2, "{}", folder.stdout);
    assert!(folder.stdout.contains("IMG_0002.JPG"));
    let missing = run(&camera, &config, &["ls", "/nope"]);
    assert_eq!(missing.code, 9, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("`nope` in `/nope` not found"),
        "{}",
        missing.stderr
    );
}

#[test]
fn get_by_path_handle_all_and_new() {
    let (camera, config) = setup("ctl-get");
    let out = TempDir::new("ctl-get-out").unwrap();
    let out_path = out.path().to_str().unwrap();
    let image = format!("{STORE}/DCIM/100VCAM/IMG_0001.JPG");
    let got = run(&camera, &config, &["get", &image, "-o", out_path]).ok();
    assert!(got.stdout.contains("IMG_0001.JPG"), "{}", got.stdout);
    let original = camera.path().join("DCIM/100VCAM/IMG_0001.JPG");
    assert_eq!(
        fs::read(out.path().join("IMG_0001.JPG")).unwrap(),
        fs::read(&original).unwrap()
    );
    // By handle, as `ls --json` gives it.
    let listing = run(&camera, &config, &["ls", "-R", "--json"]).ok().json();
    let readme = listing
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "README.txt")
        .unwrap();
    let handle = readme["handle"].as_u64().unwrap().to_string();
    let json = run(
        &camera,
        &config,
        &["get", &handle, "-o", out_path, "--json"],
    )
    .ok()
    .json();
    assert_eq!(json[0]["bytes"], readme["size"]);
    // --all gets every file; --new skips those already there.
    let json = run(
        &camera,
        &config,
        &["get", "--all", "--new", "-o", out_path, "--json"],
    )
    .ok()
    .json();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 4, "{json}");
    let skipped = entries
        .iter()
        .filter(|entry| entry["skipped"] == true)
        .count();
    assert_eq!(skipped, 2, "IMG_0001.JPG and README.txt were there: {json}");
    assert_eq!(ptp_e2e::temp::files(out.path()).len(), 4);
    let bad = run(&camera, &config, &["get", "0x7777", "-o", out_path]);
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    assert!(bad.stderr.contains("InvalidObjectHandle"), "{}", bad.stderr);
}

#[test]
fn put_then_rm() {
    let (camera, config) = setup("ctl-put");
    let source = TempDir::new("ctl-put-src").unwrap();
    let file = source.path().join("upload.jpg");
    let data: Vec<u8> = (0..700_001u32).map(|i| (i % 253) as u8).collect();
    fs::write(&file, &data).unwrap();
    let json = run(
        &camera,
        &config,
        &[
            "put",
            file.to_str().unwrap(),
            "--to",
            &format!("{STORE}/DCIM"),
            "--json",
        ],
    )
    .ok()
    .json();
    assert!(json["handle"].as_u64().unwrap() > 0);
    assert_eq!(
        fs::read(camera.path().join("DCIM/upload.jpg")).unwrap(),
        data
    );
    let gone = run(
        &camera,
        &config,
        &["rm", &format!("{STORE}/DCIM/upload.jpg")],
    )
    .ok();
    assert!(
        gone.stdout.contains("deleted upload.jpg"),
        "{}",
        gone.stdout
    );
    assert!(!camera.path().join("DCIM/upload.jpg").exists());
    let missing = run(&camera, &config, &["put", "/no/such/file"]);
    assert_eq!(missing.code, 8, "{}", missing.stderr);
}

#[test]
fn capture_and_download() {
    let (camera, config) = setup("ctl-capture");
    let out = TempDir::new("ctl-capture-out").unwrap();
    let json = run(
        &camera,
        &config,
        &[
            "capture",
            "--download",
            out.path().to_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    let name = json[0]["name"].as_str().unwrap();
    let saved = fs::read(out.path().join(name)).unwrap();
    assert_eq!(&saved[..2], [0xFF, 0xD8], "a JPEG");
    assert_eq!(Some(saved.len() as u64), json[0]["size"].as_u64());
}

#[test]
fn properties_read_and_write() {
    let (camera, config) = setup("ctl-props");
    let all = run(&camera, &config, &["props", "--json"]).ok().json();
    let fnumber = all
        .as_array()
        .unwrap()
        .iter()
        .find(|prop| prop["name"] == "FNumber")
        .expect("FNumber listed");
    assert!(fnumber["form"]["enumeration"].is_array(), "{fnumber}");
    let text = run(&camera, &config, &["props"]).ok();
    assert!(text.stdout.contains("BatteryLevel"), "{}", text.stdout);

    run(&camera, &config, &["prop", "set", "fnumber", "800"]).ok();
    let after = run(&camera, &config, &["prop", "get", "0x5007", "--json"])
        .ok()
        .json();
    assert_eq!(after["value"], 800);
    let refused = run(&camera, &config, &["prop", "set", "FNumber", "801"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("one of 280"), "{}", refused.stderr);
    let read_only = run(&camera, &config, &["prop", "set", "BatteryLevel", "5"]);
    assert_eq!(read_only.code, 2);
    assert!(
        read_only.stderr.contains("read-only"),
        "{}",
        read_only.stderr
    );
    let unknown = run(&camera, &config, &["prop", "get", "NoSuchProperty"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("ptpctl codes"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn events_report_a_new_file() {
    let (camera, config) = setup("ctl-events");
    let ip = camera.addr().to_string();
    let child = command(
        config.path(),
        &[
            "--ip",
            &ip,
            "events",
            "--timeout",
            "20",
            "--count",
            "1",
            "--json",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    // Give it time to connect, then add a file to the served directory.
    std::thread::sleep(Duration::from_millis(1500));
    fs::write(camera.path().join("NEW.JPG"), b"new").unwrap();
    let done: Run = child.wait_with_output().unwrap().into();
    let event: serde_json::Value = serde_json::from_str(done.ok().stdout.trim()).unwrap();
    assert_eq!(event["name"], "ObjectAdded");
    assert_eq!(event["code"], 0x4002);
    // Nothing happens: the timeout ends it.
    let quiet = run(&camera, &config, &["events", "--timeout", "0.5"]).ok();
    assert_eq!(quiet.stdout, "");
}

#[test]
fn events_list_the_roots_in_a_session_that_ctrl_c_closes() {
    // Through a relay that records the wire: what `events` sends before it
    // waits, and that Ctrl-C (SIGINT) closes the session before it exits.
    let (camera, config) = setup("ctl-events-wire");
    let relay = Relay::start(camera.addr(), 2);
    let ip = relay.addr.to_string();
    let mut child = command(config.path(), &["--ip", &ip, "-v", "events"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for "waiting for events" (-v) on stderr, then interrupt.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("waiting for events") {
        let mut line = String::new();
        assert!(
            std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0,
            "ptpctl ended first: {said}"
        );
        said.push_str(&line);
    }
    // The shell's own `kill` (no procps needed).
    let interrupted = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "ptpctl did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{said}");
    let recorded = relay.finish();
    let requests: Vec<(u16, Vec<u32>)> = packets(&recorded[0].sent)
        .iter()
        .filter_map(|packet| match packet {
            Packet::OperationRequest { message, .. } => {
                Some((message.code, message.params.iter().collect()))
            }
            _ => None,
        })
        .collect();
    let codes: Vec<u16> = requests.iter().map(|(code, _)| *code).collect();
    // GetDeviceInfo, OpenSession, GetStorageIDs, the root of the one
    // store, then (after Ctrl-C) CloseSession.
    assert_eq!(
        codes,
        [0x1001, 0x1002, 0x1004, 0x1007, 0x1003],
        "{requests:?}"
    );
    assert_eq!(requests[3].1, [0x0001_0001, 0, 0xFFFF_FFFF]);
}

#[test]
fn status_is_refused_over_ptpip() {
    // Get Device Status is a USB class request: over PTP/IP there is none
    // to send. The refusal comes before connecting (exit 2, as for any
    // command line that asks for something impossible).
    let (camera, config) = setup("ctl-status");
    for args in [&["status"][..], &["status", "--json"][..]] {
        let refused = run(&camera, &config, args);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("exists only on USB"),
            "{}",
            refused.stderr
        );
        assert_eq!(refused.stdout, "");
    }
    // Nothing listens on port 1, yet the answer is the same: no connection
    // was tried.
    let nowhere: Run = command(config.path(), &["--ip", "127.0.0.1:1", "status"])
        .output()
        .unwrap()
        .into();
    assert_eq!(nowhere.code, 2, "{}", nowhere.stderr);
}

#[test]
fn raw_operations() {
    let (camera, config) = setup("ctl-raw");
    let ids = run(&camera, &config, &["raw", "GetStorageIDs", "--json"])
        .ok()
        .json();
    assert_eq!(ids["response_name"], "OK");
    assert_eq!(ids["data_hex"], "0100000001000100");
    let text = run(&camera, &config, &["raw", "0x1004"]).ok();
    assert!(
        text.stdout.contains("GetStorageIDs -> 0x2001 OK"),
        "{}",
        text.stdout
    );
    let out = TempDir::new("ctl-raw-out").unwrap();
    let info = out.path().join("device-info.bin");
    run(
        &camera,
        &config,
        &["raw", "0x1001", "--data-in", info.to_str().unwrap()],
    )
    .ok();
    let bytes = fs::read(&info).unwrap();
    let parsed = ptp_core::dataset::DeviceInfo::parse(&bytes).unwrap();
    assert!(parsed.supports_operation(0x1009));
    let refused = run(&camera, &config, &["raw", "0x1009", "0x7777"]);
    assert_eq!(refused.code, 5);
    assert!(
        refused.stdout.contains("0x2009 InvalidObjectHandle"),
        "{}",
        refused.stdout
    );
}

#[test]
fn codes_and_usage_errors() {
    let config = TempDir::new("ctl-codes").unwrap();
    let codes: Run = command(config.path(), &["codes", "--kind", "ops"])
        .output()
        .unwrap()
        .into();
    let codes = codes.ok();
    assert!(
        codes.stdout.contains("0x101B  GetPartialObject"),
        "{}",
        codes.stdout
    );
    let nikon: Run = command(
        config.path(),
        &["codes", "--vendor", "nikon", "--kind", "ops", "--json"],
    )
    .output()
    .unwrap()
    .into();
    let nikon = nikon.ok().json();
    assert!(nikon.as_array().unwrap().len() > 50);
    let vendors: Run = command(config.path(), &["codes", "--vendor", "list"])
        .output()
        .unwrap()
        .into();
    assert!(vendors.ok().stdout.contains("canon_eos"));
    let bad: Run = command(config.path(), &["codes", "--kind", "nope"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bad.code, 2);
    // Nothing listens on port 1: a connection error, exit 3.
    let refused: Run = command(config.path(), &["--ip", "127.0.0.1:1", "info"])
        .output()
        .unwrap()
        .into();
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("cannot connect"),
        "{}",
        refused.stderr
    );
}

#[test]
fn list_reports_usb_cameras_or_why_not() {
    let config = TempDir::new("ctl-list").unwrap();
    let list: Run = command(config.path(), &["list", "--json"])
        .output()
        .unwrap()
        .into();
    // A machine without USB says so (exit 3) instead of panicking; one
    // with USB lists what it finds (none here: no camera is attached).
    match list.code {
        0 => assert!(list.json().is_array()),
        3 => assert!(
            list.stderr.contains("USB is not available"),
            "{}",
            list.stderr
        ),
        other => panic!("exit {other}: {}", list.stderr),
    }
}
