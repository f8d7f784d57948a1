//! The one store: the served directory, with the real capacity and free
//! space of the filesystem it is on.

use ptp_core::dataset::StorageInfo;
use ptp_core::wire::PtpString;
use std::path::Path;

/// StorageType: removable RAM, like a memory card.
const REMOVABLE_RAM: u16 = 4;
/// FilesystemType: generic hierarchical.
const HIERARCHICAL: u16 = 2;
/// AccessCapability: read-write.
const READ_WRITE: u16 = 0;

/// Capacity and free bytes of the filesystem holding `dir`.
pub fn space(dir: &Path) -> std::io::Result<(u64, u64)> {
    let stats = rustix::fs::statvfs(dir)?;
    let capacity = stats.f_blocks.saturating_mul(stats.f_frsize);
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    Ok((capacity, free))
}

/// The StorageInfo bytes of the store serving `dir`, labelled `label`.
pub fn emit(dir: &Path, label: &str) -> Result<Vec<u8>, String> {
    let (capacity, free) = space(dir).map_err(|e| format!("statvfs {}: {e}", dir.display()))?;
    let label: String = label.chars().take(64).collect();
    let info = StorageInfo {
        storage_type: REMOVABLE_RAM,
        filesystem_type: HIERARCHICAL,
        access_capability: READ_WRITE,
        max_capacity: capacity,
        free_space_in_bytes: free,
        free_space_in_images: 0xFFFF_FFFF,
        storage_description: PtpString::Str("Virtual card"),
        volume_label: PtpString::Str(&label),
    };
    let mut bytes = vec![0; info.buffer_len()];
    let len = info.emit(&mut bytes).map_err(|e| e.to_string())?;
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn storage_info_has_real_space() {
        let dir = std::env::temp_dir();
        let bytes = emit(&dir, "tmp").unwrap();
        let info = StorageInfo::parse(&bytes).unwrap();
        assert!(info.max_capacity > 0);
        assert!(info.free_space_in_bytes <= info.max_capacity);
        assert!(info.volume_label.eq_str("tmp"));
    }
}
