//! `usbip-device export DIR`: the example device's objects as files, read
//! through ptp-embassy's own [`Storage`] of the example object set (the
//! flash objects, then the first capture), so a test can compare what an
//! initiator downloaded with what the firmware serves.

use ptp_embassy::example::{CAPTURES, OBJECTS};
use ptp_embassy::{FlashStore, Storage};
use std::fs;
use std::path::Path;

/// Bytes read from the store at a time.
const CHUNK: usize = 4096;

/// Writes every object of a fresh example store after one capture to
/// `dir`; the names written.
pub fn export(dir: &Path) -> Result<Vec<String>, String> {
    let mut store: FlashStore<CAPTURES> = FlashStore::new(&OBJECTS);
    store
        .capture()
        .map_err(|error| format!("the example store cannot capture: {error}"))?;
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let mut names = Vec::new();
    for handle in (0..).map_while(|index| store.handle_at(index)) {
        let entry = store
            .object(handle)
            .ok_or_else(|| format!("the example store lists handle {handle} but has no object"))?;
        let name = entry.name.to_owned();
        let bytes = read_all(&store, handle, u64::from(entry.size))?;
        let path = dir.join(&name);
        fs::write(&path, &bytes)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        names.push(name);
    }
    Ok(names)
}

/// The `size` bytes of object `handle`.
fn read_all(store: &impl Storage, handle: u32, size: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; CHUNK];
    while (bytes.len() as u64) < size {
        let read = store
            .read(handle, bytes.len() as u64, &mut chunk)
            .map_err(|error| format!("reading object {handle}: {error}"))?;
        if read == 0 {
            return Err(format!(
                "object {handle} ended after {} of its {size} bytes",
                bytes.len()
            ));
        }
        bytes.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
    Ok(bytes)
}
