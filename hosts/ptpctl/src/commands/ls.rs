//! `ptpctl ls [PATH] [-R]`.

use super::{Outcome, object_json};
use crate::cli::LsArgs;
use crate::names::parse_handle;
use crate::output::print_json;
use crate::output::say;
use ptp_host::objects::{Object, ROOT, Resolved};
use ptp_host::{Camera, Result};

/// How deep `-R` descends.
const MAX_DEPTH: usize = 32;

/// One listed entry: the object and its path.
struct Entry {
    object: Object,
    path: String,
}

/// Lists objects.
pub fn run(camera: &mut Camera, args: &LsArgs) -> Outcome {
    let mut session = camera.session()?;
    let start = match args.path.as_deref() {
        Some(text) if parse_handle(text).is_some() => {
            let handle = parse_handle(text).unwrap_or_default();
            Resolved::Object(session.object(handle)?)
        }
        None | Some("/") => {
            let storages = session.storages()?;
            if storages.len() != 1 {
                return list_stores(&mut session, &storages, args);
            }
            session.resolve("/")?
        }
        Some(path) => session.resolve(path)?,
    };
    let mut entries = Vec::new();
    match &start {
        Resolved::Object(object) if !object.is_folder() => {
            let path = session.path_of(object)?;
            entries.push(Entry {
                object: object.clone(),
                path,
            });
        }
        other => {
            let base = match other {
                Resolved::Store(storage) => format!("/{}", storage.path_name()),
                Resolved::Object(object) => session.path_of(object)?,
            };
            let (storage_id, parent) = other.as_parent();
            walk(
                &mut session,
                storage_id,
                parent,
                &base,
                args.recursive,
                0,
                &mut entries,
            )?;
        }
    }
    print(&session, &entries, args.json.json)
}

fn list_stores(
    camera: &mut Camera,
    storages: &[ptp_host::objects::Storage],
    args: &LsArgs,
) -> Outcome {
    let mut entries = Vec::new();
    let mut stores = Vec::new();
    for storage in storages {
        let base = format!("/{}", storage.path_name());
        if args.recursive {
            walk(camera, storage.id, ROOT, &base, true, 0, &mut entries)?;
        } else {
            stores.push(base);
        }
    }
    if args.recursive {
        return print(camera, &entries, args.json.json);
    }
    if args.json.json {
        let list: Vec<_> = stores
            .iter()
            .map(|path| serde_json::json!({"path": path, "folder": true, "store": true}))
            .collect();
        print_json(&serde_json::Value::from(list))?;
    } else {
        for path in stores {
            say!("{path}/");
        }
    }
    Ok(())
}

fn walk(
    camera: &mut Camera,
    storage_id: u32,
    parent: u32,
    base: &str,
    recursive: bool,
    depth: usize,
    entries: &mut Vec<Entry>,
) -> Result<()> {
    for object in camera.children(storage_id, parent)? {
        let path = format!("{base}/{}", object.filename);
        let descend = recursive && object.is_folder() && depth < MAX_DEPTH;
        let handle = object.handle;
        entries.push(Entry {
            object,
            path: path.clone(),
        });
        if descend {
            walk(camera, storage_id, handle, &path, true, depth + 1, entries)?;
        }
    }
    Ok(())
}

fn print(camera: &Camera, entries: &[Entry], json: bool) -> Outcome {
    if json {
        let list: Vec<_> = entries
            .iter()
            .map(|entry| object_json(camera, &entry.object, Some(&entry.path)))
            .collect();
        print_json(&serde_json::Value::from(list))?;
        return Ok(());
    }
    for Entry { object, path } in entries {
        let size = object
            .size
            .map_or_else(|| "?".to_string(), |size| size.to_string());
        let date = match object.modification_date.is_empty() {
            true => &object.capture_date,
            false => &object.modification_date,
        };
        say!(
            "{:>10}  {size:>12}  {date:<16}  {path}{}",
            format!("0x{:08X}", object.handle),
            if object.is_folder() { "/" } else { "" }
        );
    }
    Ok(())
}
