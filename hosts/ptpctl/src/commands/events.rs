//! `ptpctl events [--timeout S] [--count N]`: in an open session, with the
//! root of every store listed first (see the command's help for why).
//! Ctrl-C (or SIGTERM) ends it cleanly: the session is closed first, as a
//! USB device keeps a session a killed initiator left open, and refuses
//! the next OpenSession (Session Already Open). A second Ctrl-C exits at
//! once.

use super::Outcome;
use crate::cli::EventsArgs;
use crate::connect::seconds;
use crate::names::{bare_name, name};
use crate::output::print_json_line;
use crate::output::say;
use ptp_core::codes::Kind;
use ptp_host::objects::ROOT;
use ptp_host::{Camera, Error, Result};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long one wait lasts before checking for Ctrl-C.
const SLICE: Duration = Duration::from_millis(250);

/// The exit status of a process stopped by SIGINT (128 + 2).
const INTERRUPTED: i32 = 130;

/// A flag that Ctrl-C (and SIGTERM) raise; a second one exits at once.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let raised = Arc::clone(&flag);
    let handler = move || {
        if raised.swap(true, Ordering::SeqCst) {
            std::process::exit(INTERRUPTED);
        }
    };
    if let Err(error) = ctrlc::set_handler(handler) {
        log::warn!(
            "cannot catch Ctrl-C ({error}): interrupting will leave the session open on the camera"
        );
    }
    flag
}

/// Lists the root of every store, so devices that report changes only for
/// folders listed in the session report them there. A store the camera
/// refuses to list (an empty card slot) is skipped with a warning; a
/// failing connection is an error. Returns the stores listed.
fn list_roots(camera: &mut Camera) -> Result<usize> {
    let ids = match camera.storage_ids() {
        Ok(ids) => ids,
        Err(error @ Error::Response { .. }) => {
            log::warn!("listing the stores: {error}; waiting for events all the same");
            return Ok(0);
        }
        Err(error) => return Err(error),
    };
    let mut listed = 0;
    for id in ids {
        match camera.handles(id, 0, ROOT) {
            Ok(handles) => {
                log::debug!("store 0x{id:08X}: {} objects in the root", handles.len());
                listed += 1;
            }
            Err(error @ Error::Response { .. }) => {
                log::warn!("listing the root of store 0x{id:08X}: {error}");
            }
            Err(error) => return Err(error),
        }
    }
    Ok(listed)
}

/// Prints events as they come.
pub fn run(camera: &mut Camera, args: &EventsArgs) -> Outcome {
    let timeout = args
        .timeout
        .map(|value| seconds(value, "--timeout"))
        .transpose()?;
    let started = Instant::now();
    let interrupted = interrupt_flag();
    let mut session = camera.session()?;
    let listed = list_roots(&mut session)?;
    log::info!(
        "session {} open, root of {listed} store(s) listed; waiting for events",
        session.id()
    );
    let mut seen = 0u64;
    let codes = session.code_set();
    while args.count.is_none_or(|count| seen < count) {
        if interrupted.load(Ordering::SeqCst) {
            log::info!("interrupted: closing the session");
            break;
        }
        let wait = match timeout {
            Some(timeout) => match timeout.checked_sub(started.elapsed()) {
                Some(left) => left.min(SLICE),
                None => break,
            },
            None => SLICE,
        };
        let Some(event) = session.next_event(wait)? else {
            continue;
        };
        seen += 1;
        let params = event.params.as_slice();
        if args.json.json {
            print_json_line(&serde_json::json!({
                "code": event.code,
                "name": bare_name(codes, Kind::Event, u32::from(event.code)),
                "transaction_id": event.transaction_id,
                "params": params,
            }))?;
        } else {
            let params: Vec<String> = params
                .iter()
                .map(|param| format!("0x{param:08X}"))
                .collect();
            say!(
                "0x{:04X} {} [{}]",
                event.code,
                name(codes, Kind::Event, u32::from(event.code)),
                params.join(", ")
            );
            std::io::stdout().flush()?;
        }
    }
    Ok(())
}
