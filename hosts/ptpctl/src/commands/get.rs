//! `ptpctl get HANDLE|PATH... [-o DIR] [--all] [--new] [--cancel-after BYTES]`.

use super::{Failure, Outcome, cancelled, object};
use crate::cli::GetArgs;
use crate::output::say;
use crate::output::{Bar, print_json, size};
use ptp_host::cancel::{PartialGet, cancel_download};
use ptp_host::download::{DownloadOptions, Downloaded, download};
use ptp_host::objects::{ALL_STORES, Object};
use ptp_host::{Camera, Error, Result};

/// Parses `500k`, `2M`, `1000`.
fn parse_rate(text: &str) -> Result<u64> {
    let (digits, factor) = match text.char_indices().last() {
        Some((index, 'k' | 'K')) => (text.get(..index).unwrap_or(""), 1_000),
        Some((index, 'm' | 'M')) => (text.get(..index).unwrap_or(""), 1_000_000),
        _ => (text, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|value| value.checked_mul(factor))
        .filter(|rate| *rate > 0)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "--limit-rate `{text}`: give bytes per second, e.g. 500k or 2M"
            ))
        })
}

/// The files a folder holds, recursively (at most 32 levels).
fn files_under(
    camera: &mut Camera,
    folder: &Object,
    depth: usize,
    out: &mut Vec<Object>,
) -> Result<()> {
    for child in camera.children(folder.storage_id, folder.handle)? {
        if !child.is_folder() {
            out.push(child);
        } else if depth < 32 {
            files_under(camera, &child, depth + 1, out)?;
        }
    }
    Ok(())
}

/// Downloads objects.
pub fn run(camera: &mut Camera, args: &GetArgs) -> Outcome {
    let limit_rate = args.limit_rate.as_deref().map(parse_rate).transpose()?;
    std::fs::create_dir_all(&args.output).map_err(|error| Error::file(&args.output, error))?;
    let mut session = camera.session()?;
    let mut objects = Vec::new();
    if args.all {
        for handle in session.handles(ALL_STORES, 0, 0)? {
            let found = session.object(handle)?;
            if !found.is_folder() {
                objects.push(found);
            }
        }
    }
    for text in &args.objects {
        let found = object(&mut session, text)?;
        if found.is_folder() {
            files_under(&mut session, &found, 0, &mut objects)?;
        } else {
            objects.push(found);
        }
    }
    let cancel = match args.cancel_after {
        Some(cancel_after) => Some(cancel_first(
            &mut session,
            &objects,
            args,
            limit_rate,
            cancel_after,
        )?),
        None => None,
    };
    let mut results = Vec::new();
    for found in &objects {
        let mut bar = Bar::new(&found.filename, args.json.json);
        let outcome = download(
            &mut session,
            found,
            &args.output,
            DownloadOptions {
                skip_existing: args.new,
                limit_rate,
                progress: &mut bar,
            },
        );
        bar.finish();
        let outcome = outcome?;
        match &outcome {
            Downloaded::Done {
                path,
                bytes,
                resumed_from,
            } if !args.json.json => {
                let resumed = match resumed_from {
                    0 => String::new(),
                    from => format!(" (resumed at {from})"),
                };
                say!("{}  {}{resumed}", path.display(), size(*bytes));
            }
            Downloaded::Skipped { path } if !args.json.json => {
                say!("{}  already there, skipped", path.display());
            }
            _ => {}
        }
        results.push((found.handle, outcome));
    }
    if args.json.json {
        let cancel_json = cancel
            .as_ref()
            .zip(args.cancel_after)
            .map(|(partial, after)| cancelled::json(partial, after));
        let list: Vec<_> = results
            .iter()
            .map(|(handle, outcome)| match outcome {
                Downloaded::Done {
                    path,
                    bytes,
                    resumed_from,
                } => serde_json::json!({
                    "handle": handle,
                    "path": path,
                    "bytes": bytes,
                    "resumed_from": resumed_from,
                    "skipped": false,
                    "cancel": cancel_json,
                }),
                Downloaded::Skipped { path } => serde_json::json!({
                    "handle": handle,
                    "path": path,
                    "skipped": true,
                }),
            })
            .collect();
        print_json(&serde_json::Value::from(list))?;
    }
    Ok(())
}

/// `--cancel-after`: starts downloading the one file, cancels the
/// transaction after `cancel_after` bytes and reports it; the download
/// that follows in the same session resumes from the part file.
fn cancel_first(
    camera: &mut Camera,
    objects: &[Object],
    args: &GetArgs,
    limit_rate: Option<u64>,
    cancel_after: u64,
) -> Result<PartialGet, Failure> {
    let [only] = objects else {
        return Err(Error::Invalid(format!(
            "--cancel-after takes exactly one file, not {}",
            objects.len()
        ))
        .into());
    };
    let mut bar = Bar::new(&only.filename, args.json.json);
    let partial = cancel_download(
        camera,
        only,
        &args.output,
        cancel_after,
        limit_rate,
        &mut bar,
    );
    bar.finish();
    let partial = partial?;
    if !args.json.json {
        say!("{}", cancelled::describe(&partial, cancel_after));
    }
    Ok(partial)
}
