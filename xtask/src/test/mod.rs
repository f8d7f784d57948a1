//! `cargo xtask test [STEP...]`: everything CI checks, in eight steps.
//!
//! | step | checks |
//! |---|---|
//! | `host` | `cargo test --workspace` |
//! | `lint` | clippy with `-D warnings` and rustfmt, for the workspace and the MCU test crate |
//! | `no-std` | ptp-core builds for four bare-metal targets, with and without `defmt`, and without `alloc` or `std` |
//! | `mcu` | ptp-core's tests on an emulated Cortex-M0 and Cortex-M4 (QEMU, defmt-test) |
//! | `qemu-usb` | `ptpctl` in a Linux guest (QEMU, TCG) against QEMU's usb-mtp device, and gphoto2 side by side |
//! | `firmware` | the firmware workspace: ptp-embassy's host tests, clippy and rustfmt; release builds of every board with the size table |
//! | `fuzz` | a short pass of every ptp-core fuzz target (about 30 s each, 8 minutes at most in all) |
//! | `panic-check` | no panic path of ptp-core survives optimisation: a thumbv7em link that fails if one does, and its control |
//!
//! Every check runs even when an earlier one failed; the summary at the end
//! lists each with PASS/FAIL/SKIP and its duration, then every failure in
//! full. The exit status is 1 if anything failed, 2 for a bad command line.

mod firmware;
mod fuzz;
mod host;
mod lint;
mod mcu;
mod no_std;
mod panic_check;
mod qemu_usb;

use crate::context::Context;
use crate::report::Report;
use std::process::ExitCode;
use std::time::Instant;

/// A step: it adds its checks to the report.
type Step = fn(&mut Context, &mut Report);

/// The steps, in the order they run.
const STEPS: [(&str, Step); 8] = [
    ("host", host::run),
    ("lint", lint::run),
    ("no-std", no_std::run),
    ("mcu", mcu::run),
    ("qemu-usb", qemu_usb::run),
    ("firmware", firmware::run),
    ("fuzz", fuzz::run),
    ("panic-check", panic_check::run),
];

/// Runs the steps named in `args` (all when empty) and prints the summary.
pub fn main(args: &[String]) -> ExitCode {
    if let Some(unknown) = args
        .iter()
        .find(|arg| !STEPS.iter().any(|(name, _)| name == arg))
    {
        eprintln!(
            "xtask test: unknown step `{unknown}`; steps are: {}",
            STEPS.map(|(name, _)| name).join(", ")
        );
        return ExitCode::from(2);
    }
    let start = Instant::now();
    let mut context = Context::from_env();
    println!(
        "xtask test: project {}, CI={}",
        context.root.display(),
        context.ci
    );
    let mut report = Report::default();
    for (name, step) in STEPS {
        if args.is_empty() || args.iter().any(|arg| arg == name) {
            step(&mut context, &mut report);
        }
    }
    print!("{}", report.render(start.elapsed()));
    if report.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
