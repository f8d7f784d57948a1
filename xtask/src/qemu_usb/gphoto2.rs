//! Debian's `gphoto2` for the guest: the binary, the PTP camlib (`ptp2.so`)
//! and the libusb iolib (`usb1.so`), their `ldd` closure and the dynamic
//! loader. The initramfs holds each at the path it has here, so the loader
//! finds the libraries where `ldd` found them; the guest only sets `CAMLIBS`,
//! `IOLIBS` and `HOME`.

use super::files;
use crate::shell::{Cmd, which};
use std::path::{Path, PathBuf};

/// The apt package.
pub const PACKAGE: &str = "gphoto2";

/// gphoto2 as found on this machine.
#[derive(Clone, Debug)]
pub struct Gphoto2 {
    /// The `gphoto2` binary.
    pub binary: PathBuf,
    /// The camlib directory (`CAMLIBS`).
    pub camlibs: PathBuf,
    /// The iolib directory (`IOLIBS`).
    pub iolibs: PathBuf,
    /// Every file the guest needs, absolute, the binary included.
    pub files: Vec<PathBuf>,
}

/// Finds gphoto2 and its closure; `None` if it is not installed.
pub fn locate() -> Result<Option<Gphoto2>, String> {
    let Some(binary) = which("gphoto2") else {
        return Ok(None);
    };
    let libraries = ldd(&binary)?;
    let libgphoto2 = libraries
        .iter()
        .find(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("libgphoto2.so"))
        })
        .ok_or_else(|| format!("{} does not link libgphoto2", binary.display()))?;
    let libdir = libgphoto2
        .parent()
        .ok_or_else(|| format!("{} has no directory", libgphoto2.display()))?;
    let camlibs = versioned_dir(&libdir.join("libgphoto2"))?;
    let iolibs = versioned_dir(&libdir.join("libgphoto2_port"))?;
    let plugins = [camlibs.join("ptp2.so"), iolibs.join("usb1.so")];
    let mut files = vec![binary.clone()];
    files.extend(libraries);
    for plugin in &plugins {
        files.extend(ldd(plugin)?);
    }
    files.extend(plugins);
    files.sort();
    files.dedup();
    Ok(Some(Gphoto2 {
        binary,
        camlibs,
        iolibs,
        files,
    }))
}

/// The one versioned subdirectory of `dir` (`libgphoto2/2.5.30`).
fn versioned_dir(dir: &Path) -> Result<PathBuf, String> {
    let mut dirs: Vec<PathBuf> = files::list(dir)?
        .into_iter()
        .filter(|path| path.is_dir())
        .collect();
    match (dirs.pop(), dirs.is_empty()) {
        (Some(only), true) => Ok(only),
        _ => Err(format!(
            "expected one version directory in {}",
            dir.display()
        )),
    }
}

/// The libraries `binary` loads, and the loader, as `ldd` lists them.
fn ldd(binary: &Path) -> Result<Vec<PathBuf>, String> {
    let cmd = Cmd::new("ldd").arg(binary);
    let output = cmd.output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("`{cmd}` failed ({}):\n{text}", output.status));
    }
    parse_ldd(&text).map_err(|error| format!("`{cmd}`: {error}"))
}

/// The paths in `ldd` output: `name => /path (0x…)` and `/loader (0x…)`;
/// the vDSO (no path) is not a file.
fn parse_ldd(text: &str) -> Result<Vec<PathBuf>, String> {
    let mut paths = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let target = line.split_once("=>").map_or(line, |(_, target)| target);
        let path = target.split_whitespace().next().unwrap_or_default();
        if target.contains("not found") {
            return Err(format!("a library is missing: {line}"));
        }
        if path.starts_with('/') {
            paths.push(PathBuf::from(path));
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn ldd_output_gives_libraries_and_loader() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\
                    \tlibgphoto2.so.6 => /lib/x86_64-linux-gnu/libgphoto2.so.6 (0x00007f1)\n\
                    \t/lib64/ld-linux-x86-64.so.2 (0x00007f2)\n";
        assert_eq!(
            parse_ldd(text),
            Ok(vec![
                PathBuf::from("/lib/x86_64-linux-gnu/libgphoto2.so.6"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2"),
            ])
        );
        let missing = parse_ldd("\tlibfoo.so.1 => not found\n");
        assert!(missing.is_err_and(|error| error.contains("libfoo.so.1")));
    }
}
