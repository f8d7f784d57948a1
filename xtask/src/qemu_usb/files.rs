//! File-system helpers whose errors name the path, for the report.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

/// Creates `dir` and its parents.
pub fn create_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))
}

/// Removes a directory tree if it exists.
pub fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {error}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Removes a file if it exists.
pub fn remove_file(file: &Path) -> Result<(), String> {
    match fs::remove_file(file) {
        Err(error) if error.kind() != ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {error}", file.display()))
        }
        _ => Ok(()),
    }
}

/// Copies a file (following symbolic links), creating the target's parents.
pub fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        create_dir(parent)?;
    }
    fs::copy(from, to).map(drop).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}

/// Writes `contents` to `file`, creating its parents.
pub fn write(file: &Path, contents: impl AsRef<[u8]>) -> Result<(), String> {
    if let Some(parent) = file.parent() {
        create_dir(parent)?;
    }
    fs::write(file, contents).map_err(|error| format!("cannot write {}: {error}", file.display()))
}

/// Reads a file.
pub fn read(file: &Path) -> Result<Vec<u8>, String> {
    fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))
}

/// Renames `from` to `to`, replacing a directory at `to`.
pub fn replace_dir(from: &Path, to: &Path) -> Result<(), String> {
    remove_dir(to)?;
    fs::rename(from, to).map_err(|error| {
        format!(
            "cannot rename {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}

/// The paths in `dir`, sorted.
pub fn list(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    paths.sort();
    Ok(paths)
}
