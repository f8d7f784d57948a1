//! The guest's initramfs: busybox-static with a link per applet, the kernel
//! modules and their load order, `/init` ([`INIT`]), and gphoto2 with its
//! library closure when it is installed. Packed uncompressed with
//! `cpio -H newc` (under TCG, decompressing costs more than reading).
//!
//! Cached next to a key that lists the init script and the path, size and
//! modification time of every input file: a rerun with the same inputs
//! reuses the archive.

use super::files;
use super::gphoto2::Gphoto2;
use super::kernel::{Kernel, MODULES};
use crate::shell::Cmd;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The guest's `/init`.
pub const INIT: &str = include_str!("init.sh");

/// busybox from the `busybox-static` package.
pub const BUSYBOX: &str = "/bin/busybox";

/// The directories the init script mounts on.
const MOUNT_POINTS: [&str; 7] = [
    "dev",
    "proc",
    "sys",
    "tmp",
    "share",
    "mtproot",
    "lib/modules",
];

/// The archive in `dir`, rebuilt if its inputs changed; `notes` says which.
pub fn prepare(
    dir: &Path,
    kernel: &Kernel,
    gphoto2: Option<&Gphoto2>,
    notes: &mut Vec<String>,
) -> Result<PathBuf, String> {
    let archive = dir.join("initramfs.cpio");
    let key_file = dir.join("initramfs.key");
    let mut inputs = vec![PathBuf::from(BUSYBOX)];
    inputs.extend(kernel.modules.iter().cloned());
    if let Some(gphoto2) = gphoto2 {
        inputs.extend(gphoto2.files.iter().cloned());
    }
    let key = key(&inputs)?;
    if archive.is_file() && fs::read_to_string(&key_file).is_ok_and(|old| old == key) {
        notes.push(format!("initramfs: {} (cached)", size(&archive)));
        return Ok(archive);
    }

    let root = dir.join("initramfs.root");
    files::remove_dir(&root)?;
    for mount_point in MOUNT_POINTS {
        files::create_dir(&root.join(mount_point))?;
    }
    add_busybox(&root)?;
    for (module, path) in MODULES.iter().zip(&kernel.modules) {
        files::copy(path, &root.join("lib/modules").join(format!("{module}.ko")))?;
    }
    files::write(&root.join("lib/modules/order"), MODULES.join("\n") + "\n")?;
    let init = root.join("init");
    files::write(&init, INIT)?;
    make_executable(&init)?;
    if let Some(gphoto2) = gphoto2 {
        for file in &gphoto2.files {
            let relative = file.strip_prefix("/").unwrap_or(file);
            files::copy(file, &root.join(relative))?;
        }
    }

    let packing = dir.join("initramfs.cpio.new");
    Cmd::new("sh")
        .arg("-c")
        .arg(format!(
            "find . -print0 | cpio --null --create --format=newc --owner=0:0 --quiet > '{}'",
            packing.display()
        ))
        .cwd(&root)
        .run()?;
    fs::rename(&packing, &archive)
        .map_err(|error| format!("cannot rename {}: {error}", packing.display()))?;
    files::write(&key_file, key)?;
    files::remove_dir(&root)?;
    notes.push(format!(
        "initramfs: {} (built{})",
        size(&archive),
        if gphoto2.is_some() {
            ", with gphoto2"
        } else {
            ""
        }
    ));
    Ok(archive)
}

/// busybox and a link to it for every applet (not for `busybox` itself,
/// which would make a loop).
fn add_busybox(root: &Path) -> Result<(), String> {
    let bin = root.join("bin");
    files::copy(Path::new(BUSYBOX), &bin.join("busybox"))?;
    let applets = Cmd::new(BUSYBOX).arg("--list").output()?;
    for applet in String::from_utf8_lossy(&applets.stdout)
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty() && *name != "busybox" && !name.contains('/'))
    {
        std::os::unix::fs::symlink("busybox", bin.join(applet))
            .map_err(|error| format!("cannot link applet {applet}: {error}"))?;
    }
    Ok(())
}

fn make_executable(file: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(file, fs::Permissions::from_mode(0o755))
        .map_err(|error| format!("cannot make {} executable: {error}", file.display()))
}

/// What the archive is built from: the init script, then one line per input
/// file with its size and modification time.
fn key(inputs: &[PathBuf]) -> Result<String, String> {
    let mut key = String::from(INIT);
    for input in inputs {
        let meta = fs::metadata(input)
            .map_err(|error| format!("cannot read {}: {error}", input.display()))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_secs());
        key.push_str(&format!("{} {} {modified}\n", input.display(), meta.len()));
    }
    Ok(key)
}

/// A file's size in MB, for the notes.
fn size(file: &Path) -> String {
    let bytes = fs::metadata(file).map_or(0, |meta| meta.len());
    format!("{:.1} MB", bytes as f64 / 1e6)
}
