//! The firmware's USB device in the guest, over USB/IP: a second boot of
//! the same guest in which the Linux kernel enumerates ptp-embassy's
//! example device (run on the host by `firmware/usbip-device`) and
//! `ptpctl` and gphoto2 drive it through the real USB stack.
//!
//! ```text
//! host: usbip-device ──unix socket── QEMU virtio-serial ── guest: /dev/vportNpM
//!                                                                 │ usbip-relay
//!                                            vhci-hcd ── socketpair ┘
//! ```
//!
//! 1. Build ([`build`]): `usbip-device` for the host (into the firmware
//!    workspace's `target/firmware`, shared with `cargo xtask test
//!    firmware`) and `usbip-relay` static for the guest; `usbip-device
//!    export` writes the firmware's objects (and its first capture), whose
//!    SHA-256 every download must match.
//! 2. Boot ([`boot_and_run`]): the bridge is started first (it retries its
//!    connection until QEMU listens); the guest's `/init` runs
//!    `attach.sh` (the relay attaches a socket pair to vhci-hcd port 0 as
//!    a full-speed device and relays it to the serial port), waits for
//!    1-1 (vhci-hcd's USB 2 bus is bus 1: there is no other controller),
//!    then runs the steps of [`usbip_steps`](super::usbip_steps).
//! 3. Verdict: a row per step, and one for the bridge itself, which must
//!    end cleanly when QEMU closes the socket (its log, with every URB, is
//!    `target/qemu-usb/usbip/share/out/bridge.log`).

use super::boot::{self, Booted, Guest};
use super::results::Results;
use super::steps::Gphoto2Env;
use super::usbip_steps::{self, EXPECTED_FILES, Evidence, Expected, Step};
use super::{GuestStep, STEP, files, fixtures, program, read_text, script};
use crate::context::Context;
use crate::firmware::FIRMWARE_DIR;
use crate::report::{Outcome, Report};
use crate::shell::wait_until;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The bridge's package (host).
const BRIDGE: &str = "usbip-device";
/// The relay's package (guest, static).
const RELAY: &str = "usbip-relay";

/// How long the bridge may take to end after QEMU did.
const BRIDGE_END: Duration = Duration::from_secs(10);

/// What the USB/IP boot needs from the rest of the rig.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// `qemu-system-x86_64`.
    pub qemu: &'a Path,
    /// The guest kernel.
    pub vmlinux: &'a Path,
    /// The guest initramfs.
    pub initramfs: &'a Path,
    /// The static `ptpctl`.
    pub ptpctl: &'a Path,
    /// gphoto2 in the guest, if it is installed.
    pub gphoto2: Option<&'a Gphoto2Env>,
}

/// The built programs and what the downloads must match.
struct Built {
    bridge: PathBuf,
    relay: PathBuf,
    expected: Expected,
}

/// What the boot left for the checks.
struct Run {
    booted: Booted,
    results: Result<Results, String>,
    bridge: Result<Option<ExitStatus>, String>,
}

/// Adds the USB/IP rows to `report`.
pub fn run(context: &Context, report: &mut Report, inputs: &Inputs<'_>) {
    let dir = context.target_dir("qemu-usb/usbip");
    let share = dir.join("share");
    let mut built = None;
    report.check(
        STEP,
        "usbip: build usbip-device and usbip-relay",
        |notes| match build(context, &dir, notes) {
            Ok(done) => {
                built = Some(done);
                Outcome::Pass
            }
            Err(error) => Outcome::Fail(error),
        },
    );
    let Some(built) = built else { return };

    let steps = usbip_steps::all(inputs.gphoto2);
    let mut booted = None;
    report.check(
        STEP,
        "usbip: boot and run the steps",
        |notes| match boot_and_run(inputs, &built, &dir, &share, &steps, notes) {
            Ok(run) => {
                let outcome = boot::outcome(&run.booted, &run.results);
                booted = Some(run);
                outcome
            }
            Err(error) => Outcome::Fail(error),
        },
    );
    let Some(run) = booted else { return };
    if let Ok(results) = &run.results {
        for step in &steps {
            report.check(
                STEP,
                format!("usbip {}: {}", step.name, step.title),
                |notes| judge_step(step, results, &share, &built.expected, notes),
            );
        }
    }
    report.check(STEP, "usbip: the bridge ended cleanly", |notes| {
        bridge_outcome(&run.bridge, &share, notes)
    });
}

/// Builds both programs and exports the firmware's objects.
fn build(context: &Context, dir: &Path, notes: &mut Vec<String>) -> Result<Built, String> {
    let firmware = context.root.join(FIRMWARE_DIR);
    let bridge_target = context.target_dir("firmware");
    context
        .cargo(["build", "--package", BRIDGE])
        .env("CARGO_TARGET_DIR", &bridge_target)
        .cwd(&firmware)
        .run()?;
    let bridge = bridge_target.join("debug").join(BRIDGE);

    let relay_target = context.target_dir("qemu-usb/relay");
    context
        .cargo([
            "build",
            "--release",
            "--package",
            RELAY,
            "--target",
            program::TARGET,
        ])
        .env("CARGO_TARGET_DIR", &relay_target)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .cwd(&firmware)
        .run()?;
    let relay = relay_target
        .join(program::TARGET)
        .join("release")
        .join(RELAY);
    program::check_static(&relay)?;

    let exported = dir.join("firmware-objects");
    files::remove_dir(&exported)?;
    crate::shell::Cmd::new(&bridge)
        .arg("export")
        .arg(&exported)
        .run()?;
    let mut expected = Expected::new();
    for name in EXPECTED_FILES {
        expected.insert(name.to_owned(), fixtures::sha256(&exported.join(name))?);
    }
    notes.push(format!(
        "{BRIDGE}: {}; {RELAY}: static, {} bytes; firmware objects in {}",
        bridge.display(),
        std::fs::metadata(&relay).map_or(0, |meta| meta.len()),
        exported.display()
    ));
    Ok(Built {
        bridge,
        relay,
        expected,
    })
}

/// `/share/attach.sh`: finds the serial port named `usbip`, starts the
/// relay on it in the background. `/init` then waits for the device.
fn attach_script() -> String {
    "#!/bin/sh\n\
     # Written by xtask/src/qemu_usb/usbip.rs; run by /init before it waits for 1-1.\n\
     mkdir -p /share/out\n\
     port=\n\
     tries=0\n\
     while [ -z \"$port\" ]; do\n\
     \x20   for dir in /sys/class/virtio-ports/*; do\n\
     \x20       [ \"$(cat \"$dir/name\" 2>/dev/null)\" = usbip ] && port=/dev/${dir##*/}\n\
     \x20   done\n\
     \x20   tries=$((tries + 1))\n\
     \x20   [ -n \"$port\" ] || [ \"$tries\" -le 50 ] || { echo \"qemu-usb: no virtio-serial port named usbip\"; exit 1; }\n\
     \x20   [ -n \"$port\" ] || sleep 0.1\n\
     done\n\
     [ -e \"$port\" ] || { echo \"qemu-usb: $port is missing\"; exit 1; }\n\
     /share/usbip-relay \"$port\" > /share/out/relay.log 2>&1 &\n\
     echo \"qemu-usb: usbip-relay started on $port\"\n"
        .to_owned()
}

fn boot_and_run(
    inputs: &Inputs<'_>,
    built: &Built,
    dir: &Path,
    share: &Path,
    steps: &[Step],
    notes: &mut Vec<String>,
) -> Result<Run, String> {
    files::remove_dir(share)?;
    files::create_dir(&share.join("out"))?;
    // usb-mtp is not in this boot; the init script still mounts a `mtproot`.
    let served = dir.join("served");
    files::remove_dir(&served)?;
    files::create_dir(&served)?;
    files::copy(inputs.ptpctl, &share.join("ptpctl"))?;
    files::copy(&built.relay, &share.join(RELAY))?;
    files::write(&share.join("attach.sh"), attach_script())?;
    let script_steps: Vec<_> = steps.iter().map(Step::script_step).collect();
    files::write(&share.join("steps.sh"), script::render(&script_steps))?;

    let socket = dir.join("usbip.sock");
    files::remove_file(&socket)?;
    let log = share.join("out/bridge.log");
    let mut bridge = spawn_bridge(&built.bridge, &socket, &log)?;
    let booted = boot::run(&boot::usbip_command(
        &Guest {
            qemu: inputs.qemu,
            vmlinux: inputs.vmlinux,
            initramfs: inputs.initramfs,
            share,
            served: &served,
        },
        &socket,
    ));
    // The bridge ends when QEMU closes the socket; reap it whatever happened.
    let bridge = wait_until(&mut bridge, Instant::now() + BRIDGE_END);
    let booted = booted?;
    let results = boot::collect(&booted, share, notes)?;
    Ok(Run {
        booted,
        results,
        bridge,
    })
}

/// Starts `usbip-device serve` on `socket`, its output into `log`.
fn spawn_bridge(bridge: &Path, socket: &Path, log: &Path) -> Result<Child, String> {
    let file =
        File::create(log).map_err(|error| format!("cannot create {}: {error}", log.display()))?;
    let err = file
        .try_clone()
        .map_err(|error| format!("cannot share {}: {error}", log.display()))?;
    println!(
        "$ {} serve {} --verbose 2> {} &",
        bridge.display(),
        socket.display(),
        log.display()
    );
    Command::new(bridge)
        .arg("serve")
        .arg(socket)
        .arg("--verbose")
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", bridge.display()))
}

/// A step passes when the guest ran it, it exited 0 and its check holds.
fn judge_step(
    step: &Step,
    results: &Results,
    share: &Path,
    expected: &Expected,
    notes: &mut Vec<String>,
) -> Outcome {
    let guest = GuestStep {
        name: step.name,
        command: &step.command,
        exits: &[0],
    };
    guest.judge(results, share, notes, |_, log, after| {
        (step.check)(&Evidence {
            log,
            after,
            expected,
        })
    })
}

/// The bridge must have ended by itself, with status 0, once QEMU closed
/// the socket; its last line (the URB counts) goes into the notes.
fn bridge_outcome(
    bridge: &Result<Option<ExitStatus>, String>,
    share: &Path,
    notes: &mut Vec<String>,
) -> Outcome {
    let log = read_text(&share.join("out/bridge.log"));
    // The last line that is not a URB of the verbose log: the summary or
    // the error.
    let urb = ["submit #", "complete #", "unlink #"];
    let last = log
        .lines()
        .rev()
        .find(|line| !urb.iter().any(|word| line.contains(word)))
        .unwrap_or_default()
        .to_owned();
    match bridge {
        Ok(Some(status)) if status.success() => {
            notes.push(last);
            Outcome::Pass
        }
        Ok(Some(status)) => Outcome::Fail(format!("the bridge exited with {status}: {last}")),
        Ok(None) => Outcome::Fail(format!(
            "the bridge was still running {} s after QEMU ended; killed. Last line: {last}",
            BRIDGE_END.as_secs()
        )),
        Err(error) => Outcome::Fail(error.clone()),
    }
}
