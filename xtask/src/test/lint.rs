//! Step `lint`: clippy with warnings denied and rustfmt's check, for the
//! workspace and for the MCU test crate (which is its own workspace, so the
//! workspace-wide commands do not see it). Nothing is reformatted.

use super::mcu::{FIRMWARE_TESTS, MACHINES};
use crate::context::Context;
use crate::report::{Outcome, Report};
use crate::toolchain::Route;

/// Runs the lint checks.
pub fn run(context: &mut Context, report: &mut Report) {
    report.check("lint", "clippy (workspace)", |_| {
        if !context.cargo(["clippy", "--version"]).succeeds() {
            return context.missing("clippy", "rustup component add clippy");
        }
        result(
            context
                .cargo([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
                .run(),
        )
    });
    report.check("lint", "clippy (ptp-core, USB only)", |_| {
        result(
            context
                .cargo([
                    "clippy",
                    "-p",
                    "ptp-core",
                    "--no-default-features",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
                .run(),
        )
    });
    report.check("lint", "rustfmt (workspace)", |_| {
        if !context.cargo(["fmt", "--version"]).succeeds() {
            return context.missing("rustfmt", "rustup component add rustfmt");
        }
        result(context.cargo(["fmt", "--all", "--check"]).run())
    });

    let firmware = context.root.join(FIRMWARE_TESTS);
    // The Cortex-M4 target: the crate only builds for bare-metal ARM.
    let target = MACHINES
        .last()
        .map_or("thumbv7em-none-eabihf", |machine| machine.target);
    report.check("lint", "clippy (firmware tests)", |notes| {
        if !context.cargo(["clippy", "--version"]).succeeds() {
            return context.missing("clippy", "rustup component add clippy");
        }
        match context.toolchains.route(target) {
            Ok(Route::Rustup) => {}
            Ok(route) => {
                return Outcome::Skip(format!(
                    "clippy needs rustup's {target} target; this machine builds it with the {route}"
                ));
            }
            Err(missing) => return context.missing(&missing.what, &missing.install),
        }
        notes.push(format!("target {target}"));
        let target_dir = context.target_dir("mcu");
        result(
            context
                .cargo([
                    "clippy",
                    "--tests",
                    "--bins",
                    "--target",
                    target,
                    "--target-dir",
                ])
                .arg(target_dir)
                .args(["--", "-D", "warnings"])
                .cwd(&firmware)
                .run(),
        )
    });
    report.check("lint", "rustfmt (firmware tests)", |_| {
        if !context.cargo(["fmt", "--version"]).succeeds() {
            return context.missing("rustfmt", "rustup component add rustfmt");
        }
        result(context.cargo(["fmt", "--check"]).cwd(&firmware).run())
    });
}

fn result(outcome: Result<(), String>) -> Outcome {
    match outcome {
        Ok(()) => Outcome::Pass,
        Err(error) => Outcome::Fail(error),
    }
}
