//! One boot of the guest: QEMU's x86-64 PC under TCG (the machine's `/dev/kvm`
//! is a nested software hypervisor, slower than TCG), the kernel booted
//! directly (PVH), an xHCI controller with QEMU's `usb-mtp` device serving
//! the fixture directory, and two 9p exports: the run's share (steps,
//! programs, results) and the served directory itself (so the guest can
//! change it behind the device's back, for events). The USB/IP boot
//! ([`usbip_command`]) has no xHCI controller: a virtio-serial port carries
//! USB/IP to the bridge on the host instead.
//!
//! `-nodefaults` leaves out the default network card (no user networking
//! here). QEMU's exit status says nothing about the tests: the results are
//! the files the guest writes to the share; the serial log (with `\r`
//! stripped) is kept for failures.

use super::files;
use super::results::{self, Results};
use crate::report::{Outcome, seconds};
use crate::shell::{Cmd, pipe};
use std::path::Path;
use std::time::Duration;

/// The storage description usb-mtp reports (its `desc` option).
pub const STORAGE_DESCRIPTION: &str = "ptp-qemu-usb";

/// How long one boot may take before QEMU is killed; a run takes about
/// 20 s, the rest is room for a slow CI machine.
pub const TIME_LIMIT: Duration = Duration::from_secs(300);

/// What to boot.
#[derive(Clone, Copy, Debug)]
pub struct Guest<'a> {
    /// `qemu-system-x86_64`.
    pub qemu: &'a Path,
    /// The uncompressed kernel.
    pub vmlinux: &'a Path,
    /// The initramfs.
    pub initramfs: &'a Path,
    /// The share mounted at `/share`.
    pub share: &'a Path,
    /// The directory usb-mtp serves, also mounted at `/mtproot`.
    pub served: &'a Path,
}

/// How a boot ended.
#[derive(Debug)]
pub struct Booted {
    /// The serial console, line by line.
    pub serial: Vec<String>,
    /// QEMU's standard error.
    pub stderr: String,
    /// Whether QEMU was killed at [`TIME_LIMIT`].
    pub timed_out: bool,
    /// How long QEMU ran.
    pub elapsed: Duration,
}

/// QEMU's command line for `guest`, with usb-mtp serving `guest.served`.
pub fn command(guest: &Guest<'_>) -> Cmd {
    machine(guest)
        .args(["-device", "qemu-xhci,id=xhci"])
        .arg("-device")
        .arg(format!(
            "usb-mtp,bus=xhci.0,rootdir={},readonly=off,desc={STORAGE_DESCRIPTION}",
            option_value(guest.served)
        ))
}

/// QEMU's command line for `guest` with a virtio-serial port named
/// `usbip` (the guest's `/dev/vportNpM`) on the unix socket `socket`,
/// where QEMU listens for the USB/IP bridge; no USB controller.
pub fn usbip_command(guest: &Guest<'_>, socket: &Path) -> Cmd {
    machine(guest)
        .args(["-device", "virtio-serial-pci"])
        .arg("-chardev")
        .arg(format!(
            "socket,path={},server=on,wait=off,id=usbip",
            option_value(socket)
        ))
        .args(["-device", "virtserialport,chardev=usbip,name=usbip"])
}

/// The machine, kernel and 9p exports every boot has.
fn machine(guest: &Guest<'_>) -> Cmd {
    Cmd::new(guest.qemu)
        .args(["-nodefaults", "-no-user-config", "-no-reboot"])
        .args([
            "-accel",
            "tcg,thread=multi",
            "-cpu",
            "max",
            "-smp",
            "1",
            "-m",
            "1024",
        ])
        .args(["-display", "none", "-serial", "stdio"])
        .arg("-kernel")
        .arg(guest.vmlinux)
        .arg("-initrd")
        .arg(guest.initramfs)
        .args(["-append", "console=ttyS0 quiet panic=-1"])
        .arg("-virtfs")
        .arg(virtfs(guest.share, "share"))
        .arg("-virtfs")
        .arg(virtfs(guest.served, "mtproot"))
}

/// Boots with `qemu` (a [`command`]) and waits for the guest to power off
/// (or kills it at the limit).
pub fn run(qemu: &Cmd) -> Result<Booted, String> {
    let strip = Cmd::new("tr").args(["-d", "\\r"]);
    let output = pipe(qemu, &strip, TIME_LIMIT)?;
    let serial: Vec<String> = output.stdout.lines().map(str::to_owned).collect();
    for line in &serial {
        println!("  | {line}");
    }
    Ok(Booted {
        serial,
        stderr: output.stderr,
        timed_out: output.first.is_none(),
        elapsed: output.elapsed,
    })
}

/// `-virtfs` for a directory exported under `tag`.
fn virtfs(dir: &Path, tag: &str) -> String {
    format!(
        "local,path={},mount_tag={tag},security_model=none,id={tag}",
        option_value(dir)
    )
}

/// A path as a QEMU option value (a comma is written twice).
fn option_value(path: &Path) -> String {
    path.to_string_lossy().replace(',', ",,")
}

/// A boot passes when the guest wrote a complete results file; otherwise
/// the failure shows the serial log's tail and QEMU's stderr.
pub fn outcome(booted: &Booted, results: &Result<Results, String>) -> Outcome {
    let problem = match (results, booted.timed_out) {
        (_, true) => format!("QEMU was killed after {} s", TIME_LIMIT.as_secs()),
        (Err(error), false) => format!("no results from the guest: {error}"),
        (Ok(results), false) if !results.complete => {
            format!("the guest stopped after {} steps", results.steps.len())
        }
        (Ok(_), false) => return Outcome::Pass,
    };
    let skip = booted.serial.len().saturating_sub(30);
    let mut text = format!("{problem}\n--- serial (last 30 lines) ---\n");
    for line in booted.serial.iter().skip(skip) {
        text.push_str(&format!("| {line}\n"));
    }
    for line in booted.stderr.lines() {
        text.push_str(&format!("! {line}\n"));
    }
    Outcome::Fail(text)
}

/// After a boot: keeps the serial log in the share (`out/serial.log`),
/// notes QEMU's time, and reads the guest's results file (its error is a
/// result too: the boot's verdict reports it).
pub fn collect(
    booted: &Booted,
    share: &Path,
    notes: &mut Vec<String>,
) -> Result<Result<Results, String>, String> {
    let serial_log = share.join("out/serial.log");
    files::write(&serial_log, booted.serial.join("\n") + "\n")?;
    notes.push(format!(
        "QEMU ran {} (TCG); serial log {}",
        seconds(booted.elapsed),
        serial_log.display()
    ));
    Ok(files::read(&share.join(results::RESULTS))
        .and_then(|bytes| Results::parse(&String::from_utf8_lossy(&bytes))))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn command_has_no_network_and_escapes_commas() {
        let guest = Guest {
            qemu: Path::new("qemu-system-x86_64"),
            vmlinux: Path::new("/k/vmlinux"),
            initramfs: Path::new("/k/initramfs.cpio"),
            share: Path::new("/r/share"),
            served: Path::new("/r/a,b"),
        };
        let line = command(&guest).to_string();
        assert!(line.contains(" -nodefaults "), "{line}");
        assert!(
            line.contains("usb-mtp,bus=xhci.0,rootdir=/r/a,,b,readonly=off"),
            "{line}"
        );
        assert!(
            line.contains("local,path=/r/share,mount_tag=share,"),
            "{line}"
        );
        assert!(
            !line.contains("-nic") && !line.contains("-netdev"),
            "{line}"
        );
        let usbip = usbip_command(&guest, Path::new("/r/u.sock")).to_string();
        assert!(
            usbip.contains("socket,path=/r/u.sock,server=on,wait=off,id=usbip"),
            "{usbip}"
        );
        assert!(
            !usbip.contains("usb-mtp") && !usbip.contains("-netdev"),
            "{usbip}"
        );
    }
}
