//! The guest kernel: Debian's packaged kernel, unpacked without installing it.
//!
//! `linux-image-amd64` depends on the current `linux-image-<version>-amd64`
//! package; `apt-get download` fetches that package and `dpkg-deb -x` unpacks
//! it into a scratch directory. The packaged `vmlinuz` is a bzImage holding
//! an xz stream; the uncompressed `vmlinux` inside boots directly with QEMU's
//! `-kernel` (PVH), which saves the decompressor's seconds under TCG. The
//! modules the guest loads are plain `.ko` files, copied out in load order.
//!
//! The result is cached in one directory, written under a temporary name and
//! renamed when complete: a rerun finds it and asks apt nothing (delete the
//! directory to take a newer kernel package).

use super::files;
use crate::shell::Cmd;
use std::fs;
use std::path::{Path, PathBuf};

/// The package whose dependency names the kernel package.
const META_PACKAGE: &str = "linux-image-amd64";

/// The modules the guest loads, in load order: USB host (xHCI), then the
/// virtio transport and 9p file system for the host share, then
/// virtio-serial and USB/IP's virtual host controller for the USB/IP boot.
pub const MODULES: [&str; 17] = [
    "usb-common",
    "usbcore",
    "xhci-hcd",
    "xhci-pci",
    "virtio_ring",
    "virtio",
    "virtio_pci_modern_dev",
    "virtio_pci_legacy_dev",
    "virtio_pci",
    "netfs",
    "fscache",
    "9pnet",
    "9pnet_virtio",
    "9p",
    "virtio_console",
    "usbip-core",
    "vhci-hcd",
];

/// The magic bytes that open an xz stream.
const XZ_MAGIC: [u8; 6] = [0xFD, b'7', b'z', b'X', b'Z', 0x00];

/// The magic bytes that open an ELF file.
const ELF_MAGIC: [u8; 4] = [0x7F, b'E', b'L', b'F'];

/// A kernel ready to boot.
#[derive(Clone, Debug)]
pub struct Kernel {
    /// The Debian package it came from (`linux-image-6.1.0-56-amd64`).
    pub package: String,
    /// The uncompressed kernel for `-kernel`.
    pub vmlinux: PathBuf,
    /// The modules of [`MODULES`], in the same order.
    pub modules: Vec<PathBuf>,
}

/// The kernel cached in `dir`, or a new one built there from the Debian
/// package; `notes` says which.
pub fn prepare(dir: &Path, notes: &mut Vec<String>) -> Result<Kernel, String> {
    if let Some(kernel) = cached(dir) {
        notes.push(format!("kernel: {} (cached)", kernel.package));
        return Ok(kernel);
    }
    let scratch = dir.with_extension("tmp");
    files::remove_dir(&scratch)?;
    files::create_dir(&scratch.join("modules"))?;
    let package = kernel_package()?;
    let deb = download(&package, &scratch)?;
    let unpacked = scratch.join("unpacked");
    Cmd::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&unpacked)
        .run()?;
    extract_vmlinux(&find_vmlinuz(&unpacked.join("boot"))?, &scratch)?;
    for module in MODULES {
        let name = format!("{module}.ko");
        let found = find_file(&unpacked.join("lib/modules"), &name)?
            .ok_or_else(|| format!("{package} has no module {name}"))?;
        files::copy(&found, &scratch.join("modules").join(&name))?;
    }
    files::write(&scratch.join("package"), &package)?;
    // The unpacked package is 400 MB; only vmlinux and the modules are kept.
    files::remove_dir(&unpacked)?;
    files::remove_file(&deb)?;
    files::replace_dir(&scratch, dir)?;
    let kernel = cached(dir).ok_or_else(|| format!("{} is incomplete", dir.display()))?;
    notes.push(format!("kernel: {} (downloaded)", kernel.package));
    Ok(kernel)
}

/// The kernel in `dir`, if every file is there.
fn cached(dir: &Path) -> Option<Kernel> {
    let package = fs::read_to_string(dir.join("package")).ok()?;
    let vmlinux = dir.join("vmlinux");
    let modules: Vec<PathBuf> = MODULES
        .iter()
        .map(|module| dir.join("modules").join(format!("{module}.ko")))
        .collect();
    let complete = vmlinux.is_file() && modules.iter().all(|module| module.is_file());
    complete.then(|| Kernel {
        package: package.trim().to_owned(),
        vmlinux,
        modules,
    })
}

/// The `linux-image-*` package that [`META_PACKAGE`] depends on.
fn kernel_package() -> Result<String, String> {
    let depends = Cmd::new("apt-cache")
        .args(["depends", META_PACKAGE])
        .stdout()?;
    depends
        .lines()
        .filter_map(|line| line.trim().strip_prefix("Depends:"))
        .map(str::trim)
        .find(|name| name.starts_with("linux-image-"))
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "`apt-cache depends {META_PACKAGE}` names no linux-image package \
                 (run `apt-get update`?):\n{depends}"
            )
        })
}

/// Downloads `package` into `dir` and returns the `.deb`; on failure runs
/// `apt-get update` once (stale package lists name files the mirror no longer
/// has) and tries again.
fn download(package: &str, dir: &Path) -> Result<PathBuf, String> {
    let fetch = Cmd::new("apt-get")
        .args(["download", "-q", package])
        .cwd(dir);
    if let Err(first) = fetch.run() {
        println!("{first}; updating the package lists and trying again");
        Cmd::new("apt-get")
            .args(["update", "-qq"])
            .run()
            .map_err(|error| format!("{first}; then {error}"))?;
        fetch.run()?;
    }
    files::list(dir)?
        .into_iter()
        .find(|path| path.extension().is_some_and(|ext| ext == "deb"))
        .ok_or_else(|| {
            format!(
                "apt-get download {package} left no .deb in {}",
                dir.display()
            )
        })
}

/// The one `vmlinuz-*` in `boot`.
fn find_vmlinuz(boot: &Path) -> Result<PathBuf, String> {
    files::list(boot)?
        .into_iter()
        .find(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("vmlinuz-"))
        })
        .ok_or_else(|| format!("no vmlinuz-* in {}", boot.display()))
}

/// Writes `dir/vmlinux`: the xz stream inside `vmlinuz`, decompressed.
fn extract_vmlinux(vmlinuz: &Path, dir: &Path) -> Result<(), String> {
    let image = files::read(vmlinuz)?;
    let start = image
        .windows(XZ_MAGIC.len())
        .position(|window| window == XZ_MAGIC)
        .ok_or_else(|| format!("{} holds no xz stream", vmlinuz.display()))?;
    let stream = dir.join("vmlinux.xz");
    files::write(&stream, image.get(start..).unwrap_or_default())?;
    // The stream is followed by the bzImage's trailer: decode one stream only.
    let cmd = Cmd::new("xz").args(["-dc", "--single-stream"]).arg(&stream);
    println!("$ {cmd}");
    let output = cmd.output()?;
    if !output.status.success() || !output.stdout.starts_with(&ELF_MAGIC) {
        return Err(format!(
            "`{cmd}` did not give an ELF kernel ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    files::write(&dir.join("vmlinux"), &output.stdout)?;
    files::remove_file(&stream)
}

/// The first file named `name` under `dir`, searched depth first.
fn find_file(dir: &Path, name: &str) -> Result<Option<PathBuf>, String> {
    for path in files::list(dir)? {
        if path.is_dir() {
            if let Some(found) = find_file(&path, name)? {
                return Ok(Some(found));
            }
        } else if path.file_name().is_some_and(|file| file == name) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn modules_load_dependencies_first() {
        let position = |name| MODULES.iter().position(|module| *module == name);
        assert!(position("usbcore") < position("xhci-hcd"));
        assert!(position("xhci-hcd") < position("xhci-pci"));
        assert!(position("virtio_pci") < position("9pnet_virtio"));
        assert!(position("9pnet") < position("9p"));
        assert!(position("virtio") < position("virtio_console"));
        assert!(position("usbcore") < position("usbip-core"));
        assert!(position("usbip-core") < position("vhci-hcd"));
    }
}
