//! Step `qemu-usb`: `ptpctl` over a Linux guest's USB stack against QEMU's
//! usb-mtp device; the rig is [`crate::qemu_usb`] (also `cargo xtask
//! qemu-usb`). Skipped, loudly, only where its tools are missing, and never
//! under `CI=true`.

use crate::context::Context;
use crate::report::Report;

/// Runs the rig's checks.
pub fn run(context: &mut Context, report: &mut Report) {
    crate::qemu_usb::run(context, report);
}
