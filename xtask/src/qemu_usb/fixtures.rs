//! The files of a run: the directory usb-mtp serves (made fresh each run,
//! since the steps upload and delete) and the file the guest uploads. Their
//! bytes are pseudo-random from a seed per name, so they do not compress and
//! differ from one another; the host's SHA-256 of each is what the guest's
//! copies must match.

use super::files;
use crate::shell::Cmd;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// A file to create: its path relative to its directory, and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixture {
    /// Path relative to the served directory (or the share, for [`UPLOAD`]).
    pub path: &'static str,
    /// Size in bytes.
    pub size: u64,
}

impl Fixture {
    /// The file name (the last path component).
    pub fn name(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// The large download: 50 MiB, alone in its folder.
pub const BIG: Fixture = Fixture {
    path: "BIG/big.bin",
    size: 50 * 1024 * 1024,
};

/// The file the `rm` step deletes.
pub const DOOMED: Fixture = Fixture {
    path: "doomed.txt",
    size: 1000,
};

/// Every file usb-mtp serves at the start of a run.
pub const SERVED: [Fixture; 5] = [
    Fixture {
        path: "DCIM/100QEMU/IMG_0001.JPG",
        size: 123_457,
    },
    Fixture {
        path: "DCIM/100QEMU/IMG_0002.JPG",
        size: 65_543,
    },
    Fixture {
        path: "notes.txt",
        size: 42,
    },
    DOOMED,
    BIG,
];

/// An empty folder, which a recursive listing must show too.
pub const EMPTY_DIR: &str = "empty";

/// The file the guest uploads from the share into the served root. Over
/// 512 KiB, so the initiator must split it into several bulk writes (QEMU
/// 7.2 aborts on a larger one), and `(size + 12) % 64 != 0`, because QEMU 7.2
/// stalls on the zero-length packet that would end it.
pub const UPLOAD: Fixture = Fixture {
    path: "upload.bin",
    size: 1_000_003,
};

// What the upload must be, checked when xtask compiles.
const _: () = assert!(
    UPLOAD.size > 512 * 1024,
    "the upload must take several bulk writes"
);
const _: () = assert!(
    !(UPLOAD.size + 12).is_multiple_of(64),
    "the upload would end on a zero-length packet"
);

/// The file the events step creates in the served root (through the second
/// 9p export of that directory) while the initiator waits for ObjectAdded.
pub const EVENT_FILE: &str = "event-added.txt";

/// Creates the served directory `root` (emptied first) and the upload
/// source in `share`.
pub fn make(root: &Path, share: &Path) -> Result<(), String> {
    files::remove_dir(root)?;
    files::create_dir(&root.join(EMPTY_DIR))?;
    for fixture in SERVED {
        write(&root.join(fixture.path), fixture)?;
    }
    write(&share.join(UPLOAD.path), UPLOAD)
}

/// Writes `fixture`'s bytes to `path`.
fn write(path: &Path, fixture: Fixture) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        files::create_dir(parent)?;
    }
    let error = |error: std::io::Error| format!("cannot write {}: {error}", path.display());
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).map_err(error)?);
    let mut state = seed(fixture.path);
    let mut left = fixture.size;
    while left > 0 {
        let word = next(&mut state).to_le_bytes();
        let take = usize::try_from(left.min(8)).unwrap_or(8);
        out.write_all(word.get(..take).unwrap_or(&word))
            .map_err(error)?;
        left -= take as u64;
    }
    out.flush().map_err(error)
}

/// FNV-1a of the name: a different stream for every file.
fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    }) | 1
}

/// xorshift64*.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// The SHA-256 of a file, as lowercase hex (`sha256sum`).
pub fn sha256(path: &Path) -> Result<String, String> {
    let cmd = Cmd::new("sha256sum").arg(path);
    let output = cmd.output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().next() {
        Some(hash) if output.status.success() && hash.len() == 64 => Ok(hash.to_owned()),
        _ => Err(format!("`{cmd}` failed ({}): {text}", output.status)),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn files_get_different_bytes() {
        let mut a = seed("a");
        let mut b = seed("b");
        assert_ne!(next(&mut a), next(&mut b));
        assert_eq!(BIG.name(), "big.bin");
    }
}
