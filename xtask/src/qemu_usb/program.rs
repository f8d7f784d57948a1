//! The program the guest runs: `ptpctl`, built for x86-64 Linux and linked
//! statically (`-C target-feature=+crt-static`), so the busybox guest needs
//! no C library. libusb is compiled into it from rusb's bundled source:
//! `LIBUSB_1.0_NO_PKG_CONFIG` (the pkg-config crate's switch) stops
//! libusb1-sys from linking the system's libusb, whose static link needs a
//! static libudev that Debian does not ship; without pkg-config, libusb1-sys
//! builds its vendored copy (no udev: the guest has none either).
//!
//! The build has its own target directory (its flags differ from every other
//! build's) and a release profile without LTO, so a rerun after a change is
//! quick while the transfers still run optimised code.

use super::files;
use super::steps::Feature;
use crate::context::Context;
use crate::shell::Cmd;
use std::path::{Path, PathBuf};

/// The package built for the guest.
pub const PACKAGE: &str = "ptpctl";

/// The target it is built for.
pub const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Builds [`PACKAGE`] statically and copies it to `share/ptpctl`.
pub fn build(context: &Context, share: &Path, notes: &mut Vec<String>) -> Result<PathBuf, String> {
    let target_dir = context.target_dir("qemu-usb/cargo");
    context
        .cargo([
            "build",
            "--release",
            "--package",
            PACKAGE,
            "--target",
            TARGET,
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .env("LIBUSB_1.0_NO_PKG_CONFIG", "1")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
        .run()?;
    let built = target_dir.join(TARGET).join("release").join(PACKAGE);
    check_static(&built)?;
    let copy = share.join(PACKAGE);
    files::copy(&built, &copy)?;
    let size = std::fs::metadata(&copy).map_or(0, |meta| meta.len());
    notes.push(format!(
        "{PACKAGE}: static {TARGET} binary, {:.1} MB",
        size as f64 / 1e6
    ));
    Ok(copy)
}

/// Whether `ptpctl` (the static binary runs on the build machine too) has
/// `feature`: `ptpctl <command> --help` succeeds and lists the option.
pub fn has(ptpctl: &Path, feature: Feature) -> bool {
    let help = Cmd::new(ptpctl).arg(feature.command).arg("--help").output();
    help.is_ok_and(|output| {
        output.status.success()
            && feature
                .option
                .is_none_or(|option| String::from_utf8_lossy(&output.stdout).contains(option))
    })
}

/// Fails unless `ldd` calls `binary` static.
pub fn check_static(binary: &Path) -> Result<(), String> {
    let cmd = Cmd::new("ldd").arg(binary);
    let output = cmd.output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if text.contains("statically linked") || text.contains("not a dynamic executable") {
        Ok(())
    } else {
        Err(format!(
            "{} is dynamically linked; the guest has no C library:\n{text}",
            binary.display()
        ))
    }
}
