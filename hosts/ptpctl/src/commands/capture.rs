//! `ptpctl capture [--download DIR]`.

use super::Outcome;
use crate::cli::CaptureArgs;
use crate::connect::seconds;
use crate::output::say;
use crate::output::{Bar, print_json};
use ptp_host::Camera;
use ptp_host::capture::capture;
use ptp_host::download::{DownloadOptions, Downloaded, download};

/// Takes a picture, optionally downloading it.
pub fn run(camera: &mut Camera, args: &CaptureArgs) -> Outcome {
    let timeout = seconds(args.timeout, "--timeout")?;
    let mut session = camera.session()?;
    let handles = capture(&mut session, timeout)?;
    let mut results = Vec::new();
    for handle in handles {
        let object = session.object(handle)?;
        let saved = match &args.download {
            Some(directory) => {
                std::fs::create_dir_all(directory)
                    .map_err(|error| ptp_host::Error::file(directory, error))?;
                let mut bar = Bar::new(&object.filename, args.json.json);
                let outcome = download(
                    &mut session,
                    &object,
                    directory,
                    DownloadOptions {
                        skip_existing: false,
                        limit_rate: None,
                        progress: &mut bar,
                    },
                );
                bar.finish();
                match outcome? {
                    Downloaded::Done { path, .. } | Downloaded::Skipped { path } => Some(path),
                }
            }
            None => None,
        };
        if !args.json.json {
            match &saved {
                Some(path) => say!(
                    "captured 0x{handle:08X} {} -> {}",
                    object.filename,
                    path.display()
                ),
                None => say!("captured 0x{handle:08X} {}", object.filename),
            }
        }
        results.push(serde_json::json!({
            "handle": handle,
            "name": object.filename,
            "size": object.size,
            "saved": saved,
        }));
    }
    if args.json.json {
        print_json(&serde_json::Value::from(results))?;
    }
    Ok(())
}
