//! What the guest does with the firmware device over USB/IP, step by step,
//! and how the host judges each step: `ptpctl` (list, DeviceInfo, Get
//! Device Status, listing, two downloads, a capture with its download)
//! then Debian's gphoto2 (summary, file list, a download). Downloads are
//! compared by SHA-256 with the files `usbip-device export` wrote from the
//! firmware's own object set ([`Expected`]).

use super::script::ScriptStep;
use super::steps::Gphoto2Env;
use crate::json::Json;
use std::collections::BTreeMap;

/// `ptpctl` in the guest.
const PTPCTL: &str = "/share/ptpctl";

/// The example device's one storage, as a `ptpctl` path.
const STORE: &str = "/store_00010001";

/// The USB ids of the example device (pid.codes test VID/PID).
const VENDOR_ID: &str = "1209";
/// See [`VENDOR_ID`].
const PRODUCT_ID: &str = "0001";

/// Manufacturer and model the bridge's device reports.
const MANUFACTURER: &str = "ptp-rs";
/// See [`MANUFACTURER`].
const MODEL: &str = "ptp-embassy over USB/IP";

/// The flash objects and the first capture, by file name.
const README: &str = "README.TXT";
/// See [`README`].
const DOT: &str = "DOT.PNG";
/// See [`README`].
const CAPTURE: &str = "CAPT0001.PGM";

/// The file names every download is checked against.
pub const EXPECTED_FILES: [&str; 3] = [README, DOT, CAPTURE];

/// The SHA-256 of each object the firmware serves, by file name.
pub type Expected = BTreeMap<String, String>;

/// One step.
#[derive(Clone, Debug)]
pub struct Step {
    /// A short name (a file name in the share's `out/`).
    pub name: &'static str,
    /// What it does, for the report.
    pub title: &'static str,
    /// The guest command, timed.
    pub command: String,
    /// An untimed follow-up (a checksum).
    pub after: Option<String>,
    /// Judges the step once its command exited 0.
    pub check: fn(&Evidence<'_>) -> Result<Vec<String>, String>,
}

impl Step {
    /// The step as the guest script runs it.
    pub fn script_step(&self) -> ScriptStep {
        ScriptStep {
            name: self.name.to_owned(),
            command: self.command.clone(),
            after: self.after.clone(),
        }
    }
}

/// What the host knows after the run, for one step's check.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The step's output.
    pub log: &'a str,
    /// The follow-up's output.
    pub after: &'a str,
    /// What the downloads must match.
    pub expected: &'a Expected,
}

/// The steps, in order; the gphoto2 steps only with `gphoto2`.
pub fn all(gphoto2: Option<&Gphoto2Env>) -> Vec<Step> {
    let mut steps = vec![
        ptpctl(
            "list",
            "list: the kernel enumerated 1209:0001",
            "list --json",
            check_list,
        ),
        ptpctl("info", "GetDeviceInfo", "info", check_info),
        ptpctl(
            "status",
            "Get Device Status (class request 0x67)",
            "status",
            check_status,
        ),
        ptpctl(
            "ls",
            "ls of the storage",
            &format!("ls {STORE}"),
            check_listing,
        ),
        Step {
            after: Some(checksum(&format!("/tmp/{README}"))),
            ..ptpctl(
                "get-readme",
                "get README.TXT, bytes equal to the firmware's",
                &format!("get {STORE}/{README} -o /tmp"),
                check_readme,
            )
        },
        Step {
            after: Some(checksum(&format!("/tmp/{DOT}"))),
            ..ptpctl(
                "get-png",
                "get DOT.PNG, bytes equal to the firmware's",
                &format!("get {STORE}/{DOT} -o /tmp"),
                check_dot,
            )
        },
        Step {
            after: Some(checksum(&format!("/tmp/capture/{CAPTURE}"))),
            ..ptpctl(
                "capture",
                "InitiateCapture: ObjectAdded + CaptureComplete, then the picture",
                "capture --timeout 20 --download /tmp/capture",
                check_capture,
            )
        },
    ];
    if let Some(env) = gphoto2 {
        let run = |arguments: &str| {
            format!(
                "CAMLIBS={} IOLIBS={} {} --port usb: {arguments}",
                env.camlibs, env.iolibs, env.binary
            )
        };
        steps.extend([
            Step {
                name: "gphoto2-summary",
                title: "gphoto2 --summary",
                command: run("--summary"),
                after: None,
                check: check_summary,
            },
            Step {
                name: "gphoto2-list",
                title: "gphoto2 --list-files",
                command: run("--list-files"),
                after: None,
                check: check_gphoto2_list,
            },
            Step {
                name: "gphoto2-get",
                title: "gphoto2 --get-file of DOT.PNG, bytes equal to the firmware's",
                // gphoto2 numbers files as --list-files shows them, by name:
                // CAPT0001.PGM (from the capture step), DOT.PNG, README.TXT.
                command: run(&format!(
                    "--quiet --folder {STORE} --get-file 2 --filename /tmp/gphoto2-{DOT}"
                )),
                after: Some(checksum(&format!("/tmp/gphoto2-{DOT}"))),
                check: check_dot,
            },
        ]);
    }
    steps
}

/// A `ptpctl` step.
fn ptpctl(
    name: &'static str,
    title: &'static str,
    arguments: &str,
    check: fn(&Evidence<'_>) -> Result<Vec<String>, String>,
) -> Step {
    Step {
        name,
        title,
        command: format!("{PTPCTL} {arguments}"),
        after: None,
        check,
    }
}

/// The untimed follow-up of a download: its checksum.
fn checksum(file: &str) -> String {
    format!("sha256sum {file}")
}

fn check_list(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    let json = Json::parse(evidence.log).map_err(|error| format!("not JSON: {error}"))?;
    let cameras = json.as_array().ok_or("not a JSON array of cameras")?;
    let field = |camera: &Json, key| camera.get(key).and_then(Json::as_str).map(str::to_owned);
    let found = cameras.iter().find(|camera| {
        field(camera, "vendor_id").as_deref() == Some(VENDOR_ID)
            && field(camera, "product_id").as_deref() == Some(PRODUCT_ID)
    });
    match found {
        Some(camera) => Ok(vec![format!(
            "found {VENDOR_ID}:{PRODUCT_ID} at {}",
            field(camera, "usb").unwrap_or_default()
        )]),
        None => Err(format!(
            "no camera {VENDOR_ID}:{PRODUCT_ID} (the firmware over USB/IP) in the list"
        )),
    }
}

fn check_info(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &[MANUFACTURER, MODEL, "InitiateCapture"])
}

/// The device answers Get Device Status with OK (0x2001) when idle.
fn check_status(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &["2001"])?;
    let said = evidence.log.lines().next().unwrap_or_default().trim();
    Ok(vec![format!("ptpctl said: {said}")])
}

fn check_listing(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &[README, DOT])
}

fn check_readme(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    same_as_firmware(evidence, README)
}

fn check_dot(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    same_as_firmware(evidence, DOT)
}

fn check_capture(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &["captured", CAPTURE])?;
    same_as_firmware(evidence, CAPTURE)
}

fn check_summary(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &[MANUFACTURER, MODEL])
}

fn check_gphoto2_list(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    // The capture step ran before: the picture is listed too.
    require(evidence.log, &EXPECTED_FILES)
}

/// Compares the first word of `sha256sum` output with the SHA-256 of the
/// firmware's `name`.
fn same_as_firmware(evidence: &Evidence<'_>, name: &str) -> Result<Vec<String>, String> {
    let expected = evidence
        .expected
        .get(name)
        .ok_or_else(|| format!("usbip-device export wrote no {name}"))?;
    let got = evidence.after.split_whitespace().next().unwrap_or_default();
    if got == expected {
        Ok(vec![format!("{name}: SHA-256 equal to the firmware's")])
    } else {
        Err(format!(
            "the guest's copy of {name} has SHA-256 {got:?}, the firmware's is {expected} ({})",
            evidence.after.trim()
        ))
    }
}

/// Passes when `log` contains every one of `needles` (case-insensitively).
fn require(log: &str, needles: &[&str]) -> Result<Vec<String>, String> {
    let lower = log.to_lowercase();
    let missing: Vec<&str> = needles
        .iter()
        .copied()
        .filter(|needle| !lower.contains(&needle.to_lowercase()))
        .collect();
    if missing.is_empty() {
        Ok(Vec::new())
    } else {
        Err(format!("the output lacks {missing:?}"))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn expected() -> Expected {
        EXPECTED_FILES
            .iter()
            .map(|name| (name.to_string(), format!("sha-of-{name}")))
            .collect()
    }

    fn evidence<'a>(log: &'a str, after: &'a str, expected: &'a Expected) -> Evidence<'a> {
        Evidence {
            log,
            after,
            expected,
        }
    }

    #[test]
    fn downloads_must_match_the_firmware_bytes() {
        let expected = expected();
        let good = "sha-of-DOT.PNG  /tmp/DOT.PNG\n";
        assert!(check_dot(&evidence("", good, &expected)).is_ok());
        let other = "sha-of-README.TXT  /tmp/DOT.PNG\n";
        assert!(check_dot(&evidence("", other, &expected)).is_err());
        assert!(check_readme(&evidence("", "", &expected)).is_err());
        let capture = "captured 0x00000100 CAPT0001.PGM -> /tmp/capture/CAPT0001.PGM";
        let sum = "sha-of-CAPT0001.PGM  /tmp/capture/CAPT0001.PGM";
        assert!(check_capture(&evidence(capture, sum, &expected)).is_ok());
        assert!(check_capture(&evidence("", sum, &expected)).is_err());
    }

    #[test]
    fn list_and_status_must_name_the_firmware() {
        let expected = expected();
        let found = r#"[{"usb":"001:002","vendor_id":"1209","product_id":"0001"}]"#;
        assert!(check_list(&evidence(found, "", &expected)).is_ok());
        let other = r#"[{"usb":"001:002","vendor_id":"46f4","product_id":"0004"}]"#;
        assert!(check_list(&evidence(other, "", &expected)).is_err());
        assert!(check_status(&evidence("status: 0x2001 OK", "", &expected)).is_ok());
        assert!(check_status(&evidence("status: 0x2019 Busy", "", &expected)).is_err());
    }

    #[test]
    fn every_step_has_a_unique_name() {
        let env = Gphoto2Env {
            binary: "/usr/bin/gphoto2".to_owned(),
            camlibs: "/c".to_owned(),
            iolibs: "/i".to_owned(),
        };
        let steps = all(Some(&env));
        let mut names: Vec<&str> = steps.iter().map(|step| step.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), steps.len());
        assert_eq!(all(None).len(), steps.len() - 3);
    }
}
