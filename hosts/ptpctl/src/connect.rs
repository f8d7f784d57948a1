//! Opening the camera the global options name.

use crate::cli::Cli;
use crate::names::parse_vendor;
use ptp_host::usb::discovery::parse_location;
use ptp_host::{Camera, Error, Extension, Options, Result, Target};
use std::time::Duration;

/// The target of `--usb` / `--ip` (USB by default).
pub fn target(cli: &Cli) -> Result<Target> {
    if let Some(host) = &cli.ip {
        return Ok(Target::PtpIp(host.clone()));
    }
    match cli.usb.as_deref() {
        None | Some("") => Ok(Target::Usb(None)),
        Some(location) => parse_location(location)
            .map(|location| Target::Usb(Some(location)))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "--usb takes BUS:ADDR as `ptpctl list` shows it (e.g. 001:004), not `{location}`"
                ))
            }),
    }
}

/// Seconds from the command line as a duration.
pub fn seconds(value: f64, what: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| Error::Invalid(format!("{what} must be a positive number of seconds")))
}

/// Opens the camera.
pub fn open(cli: &Cli) -> Result<Camera> {
    let extension = match (&cli.vendor, cli.raw) {
        (_, true) => Extension::Raw,
        (Some(vendor), false) => Extension::Imposed(parse_vendor(vendor)?),
        (None, false) => Extension::Auto,
    };
    let options = Options {
        timeout: seconds(cli.io_timeout, "--io-timeout")?,
        extension,
        ..Options::default()
    };
    let camera = Camera::open(&target(cli)?, &options)?;
    log::info!("connected: {}", camera.description());
    Ok(camera)
}
