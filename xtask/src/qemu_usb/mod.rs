//! `cargo xtask qemu-usb`: `ptpctl` over a real Linux USB stack, against
//! QEMU's own MTP device (`usb-mtp`), in an x86-64 guest under TCG.
//!
//! 1. The guest ([`kernel`], [`initramfs`]): Debian's kernel package and
//!    busybox-static (and gphoto2 with its libraries), cached under
//!    `target/qemu-usb/guest`, so a rerun costs only the boot.
//! 2. The program ([`program`]): `ptpctl`, linked statically.
//! 3. The run ([`fixtures`], [`script`], [`boot`]): a fresh served
//!    directory (with a 50 MiB file), the step script in the 9p share, one
//!    boot.
//! 4. The verdict ([`results`], [`steps`]): the guest's results file, then
//!    each step's check on the host. A report row per step; any failed step
//!    fails the command. QEMU's exit status is not a result.
//!
//! Before the usb-mtp boot, a second boot of the same guest ([`usbip`])
//! presents the firmware's own USB device (ptp-embassy's example device,
//! run on the host) to the kernel over USB/IP, for `ptpctl` and gphoto2.
//!
//! Files of the last run stay in `target/qemu-usb/run` (share with logs,
//! served directory, serial log) for a look after a failure.

mod boot;
mod files;
mod fixtures;
mod gphoto2;
mod initramfs;
mod kernel;
mod program;
mod results;
mod script;
mod steps;
mod usbip;
mod usbip_steps;

use crate::context::Context;
use crate::report::{Outcome, Report};
use crate::shell::{Cmd, which};
use boot::{Booted, Guest};
use gphoto2::Gphoto2;
use results::Results;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use steps::{Evidence, Step};

/// The report's step name.
const STEP: &str = "qemu-usb";

/// The tools the rig runs, with the Debian package of each.
const TOOLS: [(&str, &str); 6] = [
    ("qemu-system-x86_64", "qemu-system-x86"),
    ("cpio", "cpio"),
    ("xz", "xz-utils"),
    ("dpkg-deb", "dpkg"),
    ("apt-get", "apt"),
    ("sha256sum", "coreutils"),
];

/// `cargo xtask qemu-usb`: runs the rig and prints the summary.
pub fn main(args: &[String]) -> ExitCode {
    if let Some(arg) = args.first() {
        eprintln!("xtask qemu-usb: takes no arguments (got `{arg}`)");
        return ExitCode::from(2);
    }
    let start = Instant::now();
    let mut context = Context::from_env();
    let mut report = Report::default();
    run(&mut context, &mut report);
    print!("{}", report.render(start.elapsed()));
    if report.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Adds the rig's checks to `report`: the guest, the program, the boot,
/// then one row per step.
pub fn run(context: &mut Context, report: &mut Report) {
    let dir = context.target_dir("qemu-usb");
    let qemu = match tools(context) {
        Ok(qemu) => qemu,
        Err(outcome) => {
            report.check(STEP, "tools", |_| outcome);
            return;
        }
    };
    let mut guest = None;
    report.check(
        STEP,
        "guest: kernel + initramfs",
        |notes| match prepare_guest(&dir.join("guest"), notes) {
            Ok(prepared) => {
                guest = Some(prepared);
                Outcome::Pass
            }
            Err(error) => Outcome::Fail(error),
        },
    );
    let Some(guest) = guest else { return };

    let run_dir = dir.join("run");
    let share = run_dir.join("share");
    let served = run_dir.join("served");
    let mut built = None;
    report.check(STEP, "ptpctl: static build", |notes| {
        let result = files::remove_dir(&share)
            .and_then(|()| files::create_dir(&share))
            .and_then(|()| program::build(context, &share, notes));
        match result {
            Ok(ptpctl) => {
                built = Some(ptpctl);
                Outcome::Pass
            }
            Err(error) => Outcome::Fail(error),
        }
    });
    let Some(ptpctl) = built else { return };

    let env = guest.gphoto2.as_ref().map(|gphoto2| steps::Gphoto2Env {
        binary: gphoto2.binary.display().to_string(),
        camlibs: gphoto2.camlibs.display().to_string(),
        iolibs: gphoto2.iolibs.display().to_string(),
    });
    usbip::run(
        context,
        report,
        &usbip::Inputs {
            qemu: &qemu,
            vmlinux: &guest.vmlinux,
            initramfs: &guest.initramfs,
            ptpctl: &ptpctl,
            gphoto2: env.as_ref(),
        },
    );
    let (steps, not_run): (Vec<Step>, Vec<Step>) =
        steps::all(env.as_ref()).into_iter().partition(|step| {
            step.needs
                .is_none_or(|feature| program::has(&ptpctl, feature))
        });
    let mut booted = None;
    report.check(STEP, "boot and run the steps", |notes| {
        match boot_and_run(&qemu, &guest, &share, &served, &steps, notes) {
            Ok(run) => {
                let outcome = boot::outcome(&run.booted, &run.results);
                booted = Some(run);
                outcome
            }
            Err(error) => Outcome::Fail(error),
        }
    });
    let Some(run) = booted else { return };
    judge(context, report, &steps, &run, guest.gphoto2.is_some());
    for step in not_run {
        let feature = step
            .needs
            .map(|feature| feature.to_string())
            .unwrap_or_default();
        report.check(STEP, format!("{}: {}", step.name, step.title), |_| {
            Outcome::Skip(format!(
                "not run: there is no `{feature}` yet (`{}` is what the step would run)",
                step.command
            ))
        });
    }
}

/// Finds the tools; `Err` is the outcome to report when one is missing.
fn tools(context: &Context) -> Result<PathBuf, Outcome> {
    for (tool, package) in TOOLS {
        if which(tool).is_none() {
            return Err(context.missing(tool, &format!("apt-get install -y {package}")));
        }
    }
    if !is_static(Path::new(initramfs::BUSYBOX)) {
        return Err(context.missing(
            "a static busybox at /bin/busybox",
            "apt-get install -y busybox-static",
        ));
    }
    which("qemu-system-x86_64")
        .ok_or_else(|| context.missing("qemu-system-x86_64", "apt-get install -y qemu-system-x86"))
}

/// Whether `ldd` calls `binary` static.
fn is_static(binary: &Path) -> bool {
    binary.is_file()
        && Cmd::new("ldd").arg(binary).output().is_ok_and(|output| {
            let text = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            text.contains("not a dynamic executable") || text.contains("statically linked")
        })
}

/// A guest ready to boot.
struct PreparedGuest {
    vmlinux: PathBuf,
    initramfs: PathBuf,
    gphoto2: Option<Gphoto2>,
}

fn prepare_guest(dir: &Path, notes: &mut Vec<String>) -> Result<PreparedGuest, String> {
    files::create_dir(dir)?;
    let kernel = kernel::prepare(&dir.join("kernel"), notes)?;
    let gphoto2 = gphoto2::locate()?;
    if let Some(found) = &gphoto2 {
        notes.push(format!(
            "gphoto2: {} with {} files of its closure",
            found.binary.display(),
            found.files.len()
        ));
    }
    let initramfs = initramfs::prepare(dir, &kernel, gphoto2.as_ref(), notes)?;
    Ok(PreparedGuest {
        vmlinux: kernel.vmlinux,
        initramfs,
        gphoto2,
    })
}

/// What the boot left for the checks.
struct Run {
    booted: Booted,
    results: Result<Results, String>,
    share: PathBuf,
    served: PathBuf,
    big_sha256: String,
    upload_sha256: String,
}

fn boot_and_run(
    qemu: &Path,
    guest: &PreparedGuest,
    share: &Path,
    served: &Path,
    steps: &[Step],
    notes: &mut Vec<String>,
) -> Result<Run, String> {
    fixtures::make(served, share)?;
    let big_sha256 = fixtures::sha256(&served.join(fixtures::BIG.path))?;
    let upload_sha256 = fixtures::sha256(&share.join(fixtures::UPLOAD.path))?;
    let script_steps: Vec<_> = steps.iter().map(Step::script_step).collect();
    files::write(&share.join("steps.sh"), script::render(&script_steps))?;
    let booted = boot::run(&boot::command(&Guest {
        qemu,
        vmlinux: &guest.vmlinux,
        initramfs: &guest.initramfs,
        share,
        served,
    }))?;
    let results = boot::collect(&booted, share, notes)?;
    Ok(Run {
        booted,
        results,
        share: share.to_owned(),
        served: served.to_owned(),
        big_sha256,
        upload_sha256,
    })
}

/// One row per step, judged from the results and the host's files, then
/// the two downloads of the big file side by side.
fn judge(context: &Context, report: &mut Report, steps: &[Step], run: &Run, has_gphoto2: bool) {
    let Ok(results) = &run.results else { return };
    let mut passed = Vec::new();
    for step in steps {
        report.check(STEP, format!("{}: {}", step.name, step.title), |notes| {
            let outcome = judge_step(step, results, run, notes);
            if outcome == Outcome::Pass {
                passed.push(step.name);
            }
            outcome
        });
    }
    report.check(STEP, "50 MiB download: ptpctl and gphoto2", |notes| {
        if has_gphoto2 {
            side_by_side(results, &passed, notes)
        } else {
            context.missing(gphoto2::PACKAGE, "apt-get install -y gphoto2")
        }
    });
}

/// A step passes when the guest ran it, it exited 0 and its check holds.
fn judge_step(step: &Step, results: &Results, run: &Run, notes: &mut Vec<String>) -> Outcome {
    let guest = GuestStep {
        name: step.name,
        command: &step.command,
        exits: step.exits,
    };
    guest.judge(results, &run.share, notes, |step_run, log, after| {
        (step.check)(&Evidence {
            run: step_run,
            log,
            after,
            served: &run.served,
            big_sha256: &run.big_sha256,
            upload_sha256: &run.upload_sha256,
        })
    })
}

/// What both rigs judge the same way about a step the guest ran.
struct GuestStep<'a> {
    name: &'a str,
    command: &'a str,
    /// The exit statuses that let the check run.
    exits: &'a [i32],
}

impl GuestStep<'_> {
    /// Fails unless the guest ran the step and it exited with one of
    /// `exits`; then `check` judges its record, log and follow-up output.
    /// The guest's time for it goes into `notes`.
    fn judge(
        &self,
        results: &Results,
        share: &Path,
        notes: &mut Vec<String>,
        check: impl FnOnce(&results::StepRun, &str, &str) -> Result<Vec<String>, String>,
    ) -> Outcome {
        let Some(step_run) = results.step(self.name) else {
            return Outcome::Fail("the guest did not run this step".to_owned());
        };
        notes.push(format!(
            "guest time {:.2} s",
            step_run.elapsed.as_secs_f64()
        ));
        let log = read_text(&results::log_path(share, self.name));
        if !self.exits.contains(&step_run.exit) {
            return Outcome::Fail(format!(
                "`{}` exited {}:\n{}",
                self.command,
                step_run.exit,
                indent(&log)
            ));
        }
        let after = read_text(&results::after_path(share, self.name));
        match check(step_run, &log, &after) {
            Ok(more) => {
                notes.extend(more);
                Outcome::Pass
            }
            Err(error) => Outcome::Fail(format!("`{}`: {error}\n{}", self.command, indent(&log))),
        }
    }
}

/// Both downloads of the big file in this boot, timed by the guest; only
/// downloads that passed their checks count.
fn side_by_side(results: &Results, passed: &[&str], notes: &mut Vec<String>) -> Outcome {
    let mut missing = Vec::new();
    for (label, name) in [
        ("ptpctl get", steps::PTPCTL_DOWNLOAD),
        ("gphoto2 --get-file", steps::GPHOTO2_DOWNLOAD),
    ] {
        match results.step(name) {
            Some(run) if passed.contains(&name) => {
                let seconds = run.elapsed.as_secs_f64();
                notes.push(format!(
                    "{label}: {seconds:.2} s, {:.1} MB/s",
                    fixtures::BIG.size as f64 / seconds.max(0.01) / 1e6
                ));
            }
            _ => missing.push(name),
        }
    }
    if missing.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(format!("no comparison: {missing:?} did not pass"))
    }
}

fn read_text(path: &Path) -> String {
    files::read(path).map_or_else(
        |error| format!("({error})"),
        |bytes| String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// The last 40 lines of `text`, indented, for a failure.
fn indent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let skip = lines.len().saturating_sub(40);
    lines
        .iter()
        .skip(skip)
        .map(|line| format!("  | {line}\n"))
        .collect()
}
