//! Project automation, run as `cargo xtask <command>` (an alias in
//! `.cargo/config.toml`). Plain Rust with no dependencies, so it builds in
//! seconds; every external tool is run through [`shell::Cmd`].
//!
//! Commands:
//! - `test [STEP...]`: the whole check that CI runs (see [`test`]); with step
//!   names, only those steps.
//! - `qemu-usb`: `ptpctl` in a Linux guest against QEMU's MTP device (see
//!   [`qemu_usb`]).
//! - `run [-- ARGS]`: the demo, a virtual camera and `ptpctl` against it;
//!   with arguments, `ptpctl ARGS` (see [`run`]).
//! - `firmware [--board B]`, `flash --board B`: the microcontroller
//!   firmware (see [`firmware`]).
//! - `fuzz [--time S] [TARGET...]`: ptp-core's fuzz targets, with
//!   executions and crashes per target (see [`fuzz`]).
//! - `help`: the usage text.
//!
//! Any other command prints the usage and exits with status 2.

mod context;
mod firmware;
mod fuzz;
mod json;
mod qemu_usb;
mod report;
mod run;
mod shell;
mod test;
mod toolchain;

use std::process::ExitCode;

/// The usage text.
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test [STEP...]   build and test everything CI checks; STEP is one or more of
                   host, lint, no-std, mcu, qemu-usb, firmware, fuzz, panic-check
                   (default: all, in that order)
  qemu-usb         ptpctl over a Linux guest's USB stack against QEMU's usb-mtp
  run [-- ARGS]    the demo: a virtual camera on a sample directory and ptpctl
                   against it (info, ls, capture, get); with ARGS, ptpctl ARGS
  firmware [--board B]  release builds of the firmware, with a size table
                   against each board's bare embassy-usb skeleton
  flash --board B [--bin NAME]  build and flash with probe-rs
  fuzz [--time S] [TARGET...]  run ptp-core's fuzz targets S seconds each
                   (default 60), with executions and crashes per target
  help             show this text

environment:
  CI=true          a missing tool fails its step instead of skipping it
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "test" => test::main(rest),
        Some((command, rest)) if command == "firmware" => firmware::main(rest),
        Some((command, rest)) if command == "flash" => firmware::flash::main(rest),
        Some((command, rest)) if command == "run" => run::main(rest),
        Some((command, rest)) if command == "qemu-usb" => qemu_usb::main(rest),
        Some((command, rest)) if command == "fuzz" => fuzz::main(rest),
        Some((command, _)) if matches!(command.as_str(), "help" | "-h" | "--help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some((command, _)) => {
            eprintln!("xtask: unknown command `{command}`\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
