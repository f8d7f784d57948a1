//! `ptpctl put FILE [--to FOLDER]`.

use super::Outcome;
use crate::cli::PutArgs;
use crate::output::say;
use crate::output::{Bar, print_json};
use ptp_host::objects::{ROOT, Resolved};
use ptp_host::upload::upload;
use ptp_host::{Camera, Error};

/// Uploads a file.
pub fn run(camera: &mut Camera, args: &PutArgs) -> Outcome {
    let mut session = camera.session()?;
    let (storage_id, parent) = match args.to.as_deref() {
        Some(folder) => match session.resolve(folder)? {
            Resolved::Object(object) if !object.is_folder() => {
                return Err(
                    Error::Invalid(format!("--to `{folder}` is a file, not a folder")).into(),
                );
            }
            resolved => resolved.as_parent(),
        },
        None => {
            let first = session
                .storage_ids()?
                .first()
                .copied()
                .ok_or_else(|| Error::NotFound("a store to upload to".into()))?;
            (first, ROOT)
        }
    };
    let label = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut bar = Bar::new(&label, args.json.json);
    let result = upload(&mut session, &args.file, storage_id, parent, &mut bar);
    bar.finish();
    let new = result?;
    if args.json.json {
        print_json(&serde_json::json!({
            "file": args.file,
            "handle": new.handle,
            "storage_id": new.storage_id,
            "parent": new.parent,
        }))?;
    } else {
        say!(
            "{} sent as object 0x{:08X} (store 0x{:08X}, parent 0x{:08X})",
            args.file.display(),
            new.handle,
            new.storage_id,
            new.parent
        );
    }
    Ok(())
}
