//! Files that arrive (SendObject, CopyObject, captures) are written to a
//! hidden temporary file next to their destination and linked into place
//! only when complete, never replacing an existing file. A temporary file
//! that is not committed (a dropped connection, a cancel) is removed.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file being written.
#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
    file: Option<File>,
    written: u64,
}

impl TempFile {
    /// Creates `.vcam-<tag>.part` in `dir`.
    pub fn create(dir: &Path, tag: &str) -> io::Result<TempFile> {
        let path = dir.join(format!(".vcam-{tag}.part"));
        let file = File::options().write(true).create_new(true).open(&path)?;
        Ok(TempFile {
            path,
            file: Some(file),
            written: 0,
        })
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("temporary file already closed"))?;
        file.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes to disk and gives the file the name `target`; fails with
    /// `AlreadyExists` (and keeps nothing) if `target` exists.
    pub fn commit(mut self, target: &Path) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        match std::fs::hard_link(&self.path, target) {
            Ok(()) => {}
            // Filesystems without hard links: check, then rename (a small
            // window in which another writer could slip in).
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                if target.exists() {
                    return Err(io::Error::from(io::ErrorKind::AlreadyExists));
                }
                std::fs::rename(&self.path, target)?;
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        std::fs::remove_file(&self.path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Committed files were renamed or unlinked already; otherwise the
        // partial file goes.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes `bytes` to `target` atomically, never replacing a file.
pub fn write_new(target: &Path, tag: &str, bytes: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = TempFile::create(dir, tag)?;
    temp.write(bytes)?;
    temp.commit(target)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn commit_never_overwrites_and_drop_cleans_up() {
        let dir = std::env::temp_dir().join(format!("vcam-upload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("a.jpg");
        write_new(&target, "1", b"first").unwrap();
        let error = write_new(&target, "2", b"second").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        {
            let mut partial = TempFile::create(&dir, "3").unwrap();
            partial.write(b"half").unwrap();
        }
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.jpg"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
