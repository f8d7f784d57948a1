//! `ptpctl events [--timeout S] [--count N]`.

use super::Outcome;
use crate::cli::EventsArgs;
use crate::connect::seconds;
use crate::names::{bare_name, name};
use crate::output::print_json_line;
use crate::output::say;
use ptp_core::codes::Kind;
use ptp_host::Camera;
use std::io::Write;
use std::time::{Duration, Instant};

/// How long one wait lasts when no overall timeout is given.
const WAIT: Duration = Duration::from_secs(3600);

/// Prints events as they come.
pub fn run(camera: &mut Camera, args: &EventsArgs) -> Outcome {
    let timeout = args
        .timeout
        .map(|value| seconds(value, "--timeout"))
        .transpose()?;
    let started = Instant::now();
    let mut seen = 0u64;
    let codes = camera.code_set();
    while args.count.is_none_or(|count| seen < count) {
        let wait = match timeout {
            Some(timeout) => match timeout.checked_sub(started.elapsed()) {
                Some(left) => left,
                None => break,
            },
            None => WAIT,
        };
        let Some(event) = camera.next_event(wait)? else {
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
