//! `ptpctl`: the command-line initiator (and `ptpctl serve`, the virtual
//! camera), as a library so the end-to-end tests can build the very same
//! program; `main.rs` only calls [`main`].
//!
//! Exit codes: 0 success, 1 internal error, 2 bad command line (also a
//! USB-only request, `status`, asked over `--ip`), 3 no camera or cannot
//! connect, 4 permission denied, 5 the camera refused the operation, 6
//! protocol or transfer failure (also a device that gives no Get Device
//! Status data), 7 timeout, 8 local file error, 9 not found.

mod cli;
mod commands;
mod connect;
mod names;
mod output;

use clap::Parser;
use ptp_host::{Error, ErrorKind};
use std::process::ExitCode;

/// The exit code for an error.
fn exit_code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::Usage => 2,
        ErrorKind::Connection => 3,
        ErrorKind::Permission => 4,
        ErrorKind::Refused => 5,
        ErrorKind::Protocol => 6,
        ErrorKind::Timeout => 7,
        ErrorKind::File => 8,
        ErrorKind::NotFound => 9,
    }
}

/// Runs `ptpctl` with the process's arguments.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level))
        .format_timestamp(None)
        .init();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(commands::Failure::Host(error)) => {
            eprintln!("ptpctl: {error}");
            ExitCode::from(exit_code(&error))
        }
        Err(commands::Failure::Serve(error)) => {
            eprintln!("ptpctl serve: {error}");
            ExitCode::from(1)
        }
        Err(commands::Failure::Output(error)) => {
            // A closed pipe (`ptpctl ls | head`) is not worth a message.
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("ptpctl: writing output: {error}");
            }
            ExitCode::from(1)
        }
    }
}
