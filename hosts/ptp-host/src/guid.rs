//! The initiator GUID PTP/IP cameras remember a computer by: made once per
//! user and kept in the config directory.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;

/// `$XDG_CONFIG_HOME/ptpctl/guid`, or `$HOME/.config/ptpctl/guid`.
pub fn guid_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("ptpctl").join("guid"))
}

/// The user's GUID: read from [`guid_path`], or made and saved there. If
/// it cannot be saved, a fresh one is used for this run (and a warning
/// logged), so cameras that pair by GUID will ask again next time.
pub fn user_guid() -> [u8; 16] {
    let Some(path) = guid_path() else {
        log::warn!("no HOME or XDG_CONFIG_HOME: using a one-time PTP/IP GUID");
        return random_guid();
    };
    if let Some(guid) = fs::read_to_string(&path).ok().and_then(|text| parse(&text)) {
        return guid;
    }
    let guid = random_guid();
    let saved = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&path, format!("{}\n", format_guid(&guid))));
    if let Err(error) = saved {
        log::warn!("cannot save the PTP/IP GUID to {}: {error}", path.display());
    }
    guid
}

/// A random GUID (from the OS-seeded hasher keys).
pub fn random_guid() -> [u8; 16] {
    let mut guid = [0u8; 16];
    for (index, half) in guid.chunks_mut(8).enumerate() {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(index);
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|time| time.as_nanos())
                .unwrap_or_default(),
        );
        half.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    guid
}

/// 32 hex digits.
pub fn format_guid(guid: &[u8; 16]) -> String {
    guid.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn parse(text: &str) -> Option<[u8; 16]> {
    let text = text.trim();
    if text.len() != 32 {
        return None;
    }
    let mut guid = [0u8; 16];
    for (index, byte) in guid.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * index..2 * index + 2)?, 16).ok()?;
    }
    Some(guid)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn guid_text_round_trips() {
        let guid = random_guid();
        assert_eq!(parse(&format_guid(&guid)), Some(guid));
        assert_eq!(parse("xyz"), None);
        assert_ne!(random_guid(), random_guid());
    }
}
