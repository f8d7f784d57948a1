//! `ptpctl storages`.

use super::Outcome;
use crate::output::say;
use crate::output::{print_json, size};
use ptp_host::Camera;

fn access(code: u16) -> &'static str {
    match code {
        0 => "read-write",
        1 => "read-only",
        2 => "read-only, deletable",
        _ => "unknown",
    }
}

/// Lists the stores.
pub fn run(camera: &mut Camera, json: bool) -> Outcome {
    let mut session = camera.session()?;
    let storages = session.storages()?;
    if json {
        let list: Vec<_> = storages
            .iter()
            .map(|storage| {
                serde_json::json!({
                    "id": storage.id,
                    "path": format!("/{}", storage.path_name()),
                    "description": storage.description,
                    "volume_label": storage.volume_label,
                    "storage_type": storage.storage_type,
                    "filesystem_type": storage.filesystem_type,
                    "access": access(storage.access),
                    "max_capacity": storage.max_capacity,
                    "free_space": storage.free_space,
                    "free_images": storage.free_images,
                })
            })
            .collect();
        print_json(&serde_json::Value::from(list))?;
        return Ok(());
    }
    for storage in storages {
        say!(
            "/{}  {:?} {:?}  {}  {} free of {}",
            storage.path_name(),
            storage.description,
            storage.volume_label,
            access(storage.access),
            size(storage.free_space),
            size(storage.max_capacity)
        );
    }
    Ok(())
}
