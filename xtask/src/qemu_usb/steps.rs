//! What the guest does, step by step, and how the host judges each step.
//!
//! Every step but the last is one `ptpctl` command (USB is its default
//! transport) against usb-mtp; the last downloads the same 50 MiB file with
//! Debian's gphoto2, for a side-by-side time in the same boot. A step
//! passes only when its command exited as expected and its check holds:
//! checksums against the host's copy, the served directory on the host after
//! an upload or a delete, the names a listing must show.
//!
//! A step that needs a `ptpctl` feature (a command or an option) runs only
//! when `ptpctl <command> --help` shows it; otherwise the step is reported
//! as not run, naming the missing feature.

use super::boot::STORAGE_DESCRIPTION;
use super::fixtures::{self, BIG, DOOMED, EMPTY_DIR, EVENT_FILE, SERVED, UPLOAD};
use super::results::StepRun;
use super::script::ScriptStep;
use crate::json::Json;
use std::path::Path;

/// `ptpctl` in the guest.
const PTPCTL: &str = "/share/ptpctl";

/// usb-mtp's one storage, as a `ptpctl` path.
const STORE: &str = "/store_00010001";

/// The step that downloads the big file with ptpctl.
pub const PTPCTL_DOWNLOAD: &str = "get";

/// The step that downloads it with gphoto2.
pub const GPHOTO2_DOWNLOAD: &str = "gphoto2-get";

/// How far into the big file the cancel step cancels its download.
const CANCEL_AFTER: u64 = 4 * 1024 * 1024;

/// `ptpctl`'s exit status for a protocol or transfer failure.
const EXIT_PROTOCOL: i32 = 6;

/// A `ptpctl` feature a step needs: a subcommand, and an option of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Feature {
    /// The subcommand (`get`).
    pub command: &'static str,
    /// An option `ptpctl <command> --help` must list (`--cancel-after`).
    pub option: Option<&'static str>,
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.option {
            Some(option) => write!(f, "ptpctl {} {option}", self.command),
            None => write!(f, "ptpctl {}", self.command),
        }
    }
}

/// One step.
#[derive(Clone, Debug)]
pub struct Step {
    /// A short name (a file name in the share's `out/`).
    pub name: &'static str,
    /// What it does, for the report.
    pub title: &'static str,
    /// The guest command, timed.
    pub command: String,
    /// An untimed follow-up (a checksum of what was downloaded).
    pub after: Option<String>,
    /// The exit statuses that let the check run.
    pub exits: &'static [i32],
    /// The `ptpctl` feature the step needs beyond the basic commands.
    pub needs: Option<Feature>,
    /// Judges the step once its command exited with one of `exits`.
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
    /// The guest's record of the step.
    pub run: &'a StepRun,
    /// The step's output.
    pub log: &'a str,
    /// The follow-up's output.
    pub after: &'a str,
    /// The directory usb-mtp served, as it is now.
    pub served: &'a Path,
    /// The host's SHA-256 of the big file.
    pub big_sha256: &'a str,
    /// The host's SHA-256 of the upload source.
    pub upload_sha256: &'a str,
}

/// Where gphoto2 and its plugins are in the guest.
#[derive(Clone, Debug)]
pub struct Gphoto2Env {
    /// The binary.
    pub binary: String,
    /// `CAMLIBS`.
    pub camlibs: String,
    /// `IOLIBS`.
    pub iolibs: String,
}

/// The steps, in order; the gphoto2 step only with `gphoto2`.
pub fn all(gphoto2: Option<&Gphoto2Env>) -> Vec<Step> {
    let big = format!("{STORE}/{}", BIG.path);
    let mut steps = vec![
        ptpctl("list", "list USB cameras", "list --json", check_list),
        ptpctl("info", "GetDeviceInfo", "info", check_info),
        ptpctl(
            "storages",
            "GetStorageIDs + GetStorageInfo",
            "storages",
            check_storages,
        ),
        ptpctl(
            "ls-r",
            "ls -R of the whole storage",
            &format!("ls -R {STORE}"),
            check_listing,
        ),
        Step {
            after: Some(checksum("/tmp/big.bin")),
            ..ptpctl(
                PTPCTL_DOWNLOAD,
                "get the 50 MiB file",
                &format!("get {big} -o /tmp"),
                check_big,
            )
        },
        ptpctl(
            "put",
            "put a 1 MB file (several bulk writes)",
            &format!("put /share/{} --to {STORE}", UPLOAD.path),
            check_put,
        ),
        Step {
            after: Some(checksum(&format!("/tmp/{}", UPLOAD.name()))),
            ..ptpctl(
                "get-back",
                "get the uploaded file back",
                &format!("get {STORE}/{} -o /tmp", UPLOAD.path),
                check_got_back,
            )
        },
        ptpctl(
            "rm",
            "delete a file",
            &format!("rm {STORE}/{}", DOOMED.path),
            check_rm,
        ),
        // The file appears in the served directory (through its 9p export)
        // while ptpctl waits for events.
        ptpctl(
            "events",
            "ObjectAdded after a file appears on the device",
            &format!(
                "events --timeout 8 --count 1 & sleep 4; echo added > /mtproot/{EVENT_FILE}; wait $!"
            ),
            check_events,
        ),
        Step {
            after: Some(checksum("/tmp/big.bin")),
            needs: Some(Feature {
                command: "get",
                option: Some("--cancel-after"),
            }),
            ..ptpctl(
                "cancel",
                "cancel a download midway, then the same session finishes it",
                &format!("get {big} -o /tmp --cancel-after {CANCEL_AFTER}"),
                check_cancel,
            )
        },
        // A download killed mid-transfer leaves usb-mtp with the session
        // open; the next ptpctl must close it and carry on.
        Step {
            name: "stale-session",
            title: "after a killed download, the next ptpctl closes the stale session",
            command: format!(
                "mkdir -p /tmp/stale; {PTPCTL} get {big} -o /tmp/stale & sleep 1; kill -9 $!; \
                 sleep 1; rm -rf /tmp/stale; {PTPCTL} -v ls {STORE}"
            ),
            after: None,
            exits: &[0],
            needs: None,
            check: check_stale_session,
        },
        Step {
            exits: &[0, EXIT_PROTOCOL],
            needs: Some(Feature {
                command: "status",
                option: None,
            }),
            ..ptpctl(
                "status",
                "Get Device Status (class request 0x67)",
                "status",
                check_status,
            )
        },
    ];
    if let Some(env) = gphoto2 {
        steps.push(Step {
            name: GPHOTO2_DOWNLOAD,
            title: "gphoto2 --get-file of the 50 MiB file (side by side)",
            command: format!(
                "CAMLIBS={} IOLIBS={} {} --quiet --port usb: \
                 --folder {STORE}/{} --get-file 1 --filename /tmp/gphoto2-big.bin",
                env.camlibs,
                env.iolibs,
                env.binary,
                BIG.path.rsplit_once('/').map_or("", |(folder, _)| folder)
            ),
            after: Some(checksum("/tmp/gphoto2-big.bin")),
            exits: &[0],
            needs: None,
            check: check_big,
        });
    }
    steps
}

/// A `ptpctl` step that must exit 0. `arguments` may hold more shell after
/// the first command (`&`, `;`): `ptpctl` is put in front only.
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
        exits: &[0],
        needs: None,
        check,
    }
}

/// The untimed follow-up of a download: its checksum, then the file goes
/// (the guest's memory is its disk).
fn checksum(file: &str) -> String {
    format!("sha256sum {file}; rm -f {file}")
}

fn check_list(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    let json = Json::parse(evidence.log).map_err(|error| format!("not JSON: {error}"))?;
    let cameras = json.as_array().ok_or("not a JSON array of cameras")?;
    let field = |camera: &Json, key| camera.get(key).and_then(Json::as_str).map(str::to_owned);
    let found = cameras.iter().find(|camera| {
        field(camera, "vendor_id").as_deref() == Some("46f4")
            && field(camera, "product_id").as_deref() == Some("0004")
    });
    match found {
        Some(camera) => Ok(vec![format!(
            "found 46f4:0004 at {} ({} camera(s) listed)",
            field(camera, "usb").unwrap_or_default(),
            cameras.len()
        )]),
        None => Err("no camera 46f4:0004 (QEMU usb-mtp) in the list".to_owned()),
    }
}

fn check_info(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    // usb-mtp's DeviceInfo: manufacturer "QEMU", model "QEMU filesharing".
    require(evidence.log, &["QEMU", "filesharing", "GetObject"])
}

fn check_storages(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &[STORAGE_DESCRIPTION])
}

fn check_listing(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    let mut names: Vec<&str> = SERVED.iter().map(|fixture| fixture.name()).collect();
    names.extend(["DCIM", "100QEMU", "BIG", EMPTY_DIR]);
    require(evidence.log, &names)
}

fn check_big(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    same_as_host(evidence.after, evidence.big_sha256)?;
    let seconds = evidence.run.elapsed.as_secs_f64();
    Ok(vec![format!(
        "{} bytes in {seconds:.2} s = {:.1} MB/s, SHA-256 equal to the host's",
        BIG.size,
        BIG.size as f64 / seconds.max(0.01) / 1e6
    )])
}

fn check_stale_session(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    require(evidence.log, &["closing it first"]).map_err(|error| {
        format!("{error}: the second ptpctl did not meet the killed one's session")
    })?;
    require(evidence.log, &["DCIM"])?;
    Ok(vec![
        "SessionAlreadyOpened after the kill: closed, reopened, listed".to_owned(),
    ])
}

fn check_put(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    let arrived = evidence.served.join(UPLOAD.path);
    let sha = fixtures::sha256(&arrived)
        .map_err(|error| format!("the upload is not in the served directory: {error}"))?;
    if sha != evidence.upload_sha256 {
        return Err(format!(
            "{} has SHA-256 {sha}, the source {}",
            arrived.display(),
            evidence.upload_sha256
        ));
    }
    Ok(vec![format!(
        "{} bytes arrived on the host intact in {:.2} s",
        UPLOAD.size,
        evidence.run.elapsed.as_secs_f64()
    )])
}

fn check_got_back(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    same_as_host(evidence.after, evidence.upload_sha256)?;
    Ok(vec!["SHA-256 equal to the uploaded source".to_owned()])
}

fn check_rm(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    let path = evidence.served.join(DOOMED.path);
    if path.exists() {
        Err(format!("{} is still on the host", path.display()))
    } else {
        Ok(vec![format!("{} is gone from the host", DOOMED.path)])
    }
}

fn check_events(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    if !evidence.served.join(EVENT_FILE).is_file() {
        return Err(format!("the guest did not create {EVENT_FILE} through 9p"));
    }
    require(evidence.log, &["0x4002"]).map_err(|error| {
        format!(
            "{error}: no ObjectAdded (0x4002). usb-mtp queues it only for a folder listed \
             (GetObjectHandles) in the session that is open when the file appears"
        )
    })?;
    Ok(vec!["ObjectAdded (0x4002) arrived".to_owned()])
}

fn check_cancel(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    same_as_host(evidence.after, evidence.big_sha256)?;
    Ok(vec![format!(
        "cancelled at {CANCEL_AFTER} bytes; the same session then delivered the whole file"
    )])
}

/// usb-mtp (QEMU 7.2) does not implement Get Device Status: it answers the
/// request with a zero-length data stage. `ptpctl` must say so, as a
/// message (exit 0) or a protocol failure (exit 6); claiming the device
/// said OK (0x2001), crashing or hanging fails.
fn check_status(evidence: &Evidence<'_>) -> Result<Vec<String>, String> {
    if evidence.log.contains("2001") {
        return Err("usb-mtp sends no status bytes, yet ptpctl reports OK (0x2001)".to_owned());
    }
    let said = evidence.log.lines().last().unwrap_or_default().trim();
    Ok(vec![format!("ptpctl exited {}: {said}", evidence.run.exit)])
}

/// Compares the first word of `sha256sum` output with the host's hash.
fn same_as_host(sha256sum: &str, host: &str) -> Result<(), String> {
    let got = sha256sum.split_whitespace().next().unwrap_or_default();
    if got == host {
        Ok(())
    } else {
        Err(format!(
            "the guest's copy has SHA-256 {got:?}, the host's {host} ({})",
            sha256sum.trim()
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
    use std::time::Duration;

    fn evidence<'a>(run: &'a StepRun, log: &'a str, after: &'a str) -> Evidence<'a> {
        Evidence {
            run,
            log,
            after,
            served: Path::new("/nonexistent"),
            big_sha256: "aa",
            upload_sha256: "bb",
        }
    }

    fn run() -> StepRun {
        StepRun {
            name: "x".to_owned(),
            exit: 0,
            elapsed: Duration::from_secs(2),
        }
    }

    #[test]
    fn list_must_name_the_qemu_device() {
        let run = run();
        let found = r#"[{"usb":"001:002","vendor_id":"46f4","product_id":"0004"}]"#;
        assert!(check_list(&evidence(&run, found, "")).is_ok());
        let other = r#"[{"usb":"001:003","vendor_id":"04a9","product_id":"0004"}]"#;
        assert!(check_list(&evidence(&run, other, "")).is_err());
        assert!(check_list(&evidence(&run, "46f4:0004", "")).is_err());
    }

    #[test]
    fn downloads_must_match_the_host_checksum() {
        let run = run();
        assert!(check_big(&evidence(&run, "", "aa  /tmp/big.bin\n")).is_ok());
        assert!(check_big(&evidence(&run, "", "ab  /tmp/big.bin\n")).is_err());
        assert!(check_big(&evidence(&run, "", "sha256sum: can't open\n")).is_err());
        assert!(check_got_back(&evidence(&run, "", "bb  x\n")).is_ok());
    }

    #[test]
    fn host_side_checks_look_at_the_served_directory() {
        let run = run();
        // Nothing exists under /nonexistent: the upload did not arrive, the
        // event file was not made, and the deleted file is gone.
        assert!(check_put(&evidence(&run, "", "")).is_err());
        assert!(check_events(&evidence(&run, "0x4002 ObjectAdded", "")).is_err());
        assert!(check_rm(&evidence(&run, "", "")).is_ok());
    }

    #[test]
    fn status_must_not_invent_an_answer() {
        let run = run();
        assert!(check_status(&evidence(&run, "device status: 0x2001 OK", "")).is_err());
        let honest = "ptpctl: Get Device Status: the device answered 0 bytes";
        assert!(check_status(&evidence(&run, honest, "")).is_ok());
    }

    #[test]
    fn every_step_has_a_unique_name_and_the_gphoto2_step_is_last() {
        let env = Gphoto2Env {
            binary: "/usr/bin/gphoto2".to_owned(),
            camlibs: "/c".to_owned(),
            iolibs: "/i".to_owned(),
        };
        let steps = all(Some(&env));
        let mut names: Vec<&str> = steps.iter().map(|step| step.name).collect();
        assert_eq!(names.last(), Some(&GPHOTO2_DOWNLOAD));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), steps.len());
        assert_eq!(all(None).len(), steps.len() - 1);
    }
}
