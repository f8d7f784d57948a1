//! Step `host`: the workspace's own tests on the build machine.

use crate::context::Context;
use crate::report::{Outcome, Report};

/// `cargo test --workspace`.
pub fn run(context: &mut Context, report: &mut Report) {
    report.check("host", "cargo test --workspace", |_| {
        match context.cargo(["test", "--workspace"]).run() {
            Ok(()) => Outcome::Pass,
            Err(error) => Outcome::Fail(error),
        }
    });
}
