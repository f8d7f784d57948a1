//! Step `firmware`: the firmware workspace (`firmware/`, its own
//! workspace).
//!
//! | check | what |
//! |---|---|
//! | `ptp-embassy (host)` | its tests on the build machine (the Still Image class, device task and object server driven through an embassy-usb-driver double by ptp-core's client; the camera trigger against the class and against the virtual camera), and those of the USB/IP bridge (`usbip-device`, `usbip-relay`; the bridge against a real kernel is in the `qemu-usb` step); clippy with `-D warnings`, rustfmt's check of the firmware crates |
//! | one per board | `cargo xtask firmware --board B`: release builds of every firmware and its baselines, the size table in the notes; clippy with `-D warnings` for the board's crate on its target |
//!
//! Everything builds into `target/firmware` (host and each target in its
//! own subdirectory, as Cargo does), so the boards share the embassy
//! crates they have in common and CI builds nothing twice.

use crate::context::Context;
use crate::firmware::{self, BOARDS, Board, FIRMWARE_DIR};
use crate::report::{Outcome, Report};
use crate::shell::Cmd;

/// The firmware workspace's crates.
const FIRMWARE_PACKAGES: [&str; 5] = [
    "ptp-embassy",
    "usbip-device",
    "usbip-relay",
    "board-stm32f411",
    "board-rp2040",
];

/// The crates that build for the build machine: tested and linted there.
const HOST_PACKAGES: [&str; 3] = ["ptp-embassy", "usbip-device", "usbip-relay"];

/// Runs the host check, then builds and lints every board.
pub fn run(context: &mut Context, report: &mut Report) {
    report.check("firmware", "ptp-embassy (host)", |_| host(context));
    for board in BOARDS {
        report.check("firmware", board.description, |notes| {
            board_check(context, board, notes)
        });
    }
}

/// Builds the board's firmware (size table into the notes), then clippy.
fn board_check(context: &mut Context, board: Board, notes: &mut Vec<String>) -> Outcome {
    let built = match firmware::build(context, board) {
        Ok(built) => built,
        Err(error) => return Outcome::Fail(error),
    };
    notes.extend(firmware::table(&[built]).lines().map(str::to_owned));
    let route = match context.toolchains.route(board.target) {
        Ok(route) => route,
        Err(missing) => return context.missing(&missing.what, &missing.install),
    };
    let clippy = cargo(
        context,
        &[
            "clippy",
            "--release",
            "-p",
            board.package,
            "--target",
            board.target,
        ],
    )
    .args(["--", "-D", "warnings"]);
    match route.apply(clippy).run() {
        Ok(()) => Outcome::Pass,
        Err(error) => Outcome::Fail(error),
    }
}

/// A cargo command in the firmware workspace, building into its target dir.
fn cargo(context: &Context, args: &[&str]) -> Cmd {
    context
        .cargo(args)
        .env("CARGO_TARGET_DIR", context.target_dir("firmware"))
        .cwd(context.root.join(FIRMWARE_DIR))
}

fn host(context: &Context) -> Outcome {
    let mut errors = Vec::new();
    let packages = HOST_PACKAGES.iter().flat_map(|package| ["-p", package]);
    let commands = [
        cargo(context, &["test"]).args(packages.clone()),
        cargo(context, &["clippy", "--all-targets"])
            .args(packages)
            .args(["--", "-D", "warnings"]),
        // Only the firmware's own crates: `--all` would take in ptp-core and
        // the virtual camera, path dependencies checked by the `lint` step.
        cargo(context, &["fmt", "--check"])
            .args(FIRMWARE_PACKAGES.iter().flat_map(|package| ["-p", package])),
    ];
    for command in commands {
        if let Err(error) = command.run() {
            errors.push(error);
        }
    }
    Outcome::from_errors(errors)
}
