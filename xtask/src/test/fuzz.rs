//! Step `fuzz`: a short pass of every fuzz target of ptp-core (see
//! [`crate::fuzz`]): about [`SECONDS_PER_TARGET`] seconds each, less when
//! all of them together would exceed [`TOTAL_SECONDS`]. One row per target
//! with its executions; a crash fails the row with the saved input's path.
//! Also checks the fuzz crate's formatting (it is its own workspace, so the
//! `lint` step does not see it).
//!
//! Missing tools: without cargo-fuzz the step is a loud skip locally and a
//! failure under CI (where it is installed first); without a nightly
//! toolchain the fuzzers are built with `RUSTC_BOOTSTRAP=1`.

use crate::context::Context;
use crate::fuzz::{self, FUZZ_CRATE};
use crate::report::{Outcome, Report};
use std::time::Duration;

/// The time each target gets when there are few.
const SECONDS_PER_TARGET: u64 = 30;
/// The most all targets together get.
const TOTAL_SECONDS: u64 = 8 * 60;

/// The short fuzz pass and the fuzz crate's format check.
pub fn run(context: &mut Context, report: &mut Report) {
    report.check("fuzz", "rustfmt (fuzz crate)", |_| {
        if !context.cargo(["fmt", "--version"]).succeeds() {
            return context.missing("rustfmt", "rustup component add rustfmt");
        }
        let crate_dir = context.root.join(FUZZ_CRATE);
        match context.cargo(["fmt", "--check"]).cwd(crate_dir).run() {
            Ok(()) => Outcome::Pass,
            Err(error) => Outcome::Fail(error),
        }
    });
    let targets = match fuzz::targets(context) {
        Ok(targets) => targets,
        Err(error) => {
            report.check("fuzz", "targets", |_| Outcome::Fail(error));
            return;
        }
    };
    let time = time_per_target(targets.len());
    let mut ready = false;
    report.check("fuzz", "build (cargo fuzz build)", |notes| {
        let toolchain = match fuzz::tools(context) {
            Ok(toolchain) => toolchain,
            Err(error) if context.ci => return Outcome::Fail(error),
            Err(error) => return Outcome::Skip(error),
        };
        notes.push(format!("toolchain: {toolchain:?}"));
        match fuzz::build(context, &toolchain) {
            Ok(()) => {
                ready = true;
                notes.push(format!(
                    "{} targets, {} s each",
                    targets.len(),
                    time.as_secs()
                ));
                Outcome::Pass
            }
            Err(error) => Outcome::Fail(error),
        }
    });
    if !ready {
        return;
    }
    for target in &targets {
        report.check("fuzz", target.as_str(), |notes| {
            let run = fuzz::run(context, target, time);
            if let Some(count) = run.executions {
                notes.push(format!("{count} executions"));
            }
            match run.failure {
                Some(failure) => Outcome::Fail(failure),
                None => Outcome::Pass,
            }
        });
    }
}

/// [`SECONDS_PER_TARGET`], or less so that `count` targets fit
/// [`TOTAL_SECONDS`] (at least one second each).
fn time_per_target(count: usize) -> Duration {
    let count = u64::try_from(count.max(1)).unwrap_or(u64::MAX);
    Duration::from_secs((TOTAL_SECONDS / count).clamp(1, SECONDS_PER_TARGET))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn the_pass_stays_within_its_total() {
        assert_eq!(time_per_target(4), Duration::from_secs(30));
        assert_eq!(time_per_target(17), Duration::from_secs(28));
        assert_eq!(time_per_target(1000), Duration::from_secs(1));
        assert_eq!(time_per_target(0), Duration::from_secs(30));
    }
}
