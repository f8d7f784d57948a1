//! `ptpctl raw OPCODE [PARAM...] [--data-out FILE] [--data-in FILE]`.

use super::Outcome;
use crate::cli::RawArgs;
use crate::names::{bare_name, name, parse_code};
use crate::output::say;
use crate::output::{Bar, print_json};
use ptp_core::client::{DataSink, NoData, Response};
use ptp_core::codes::{DataDirection, Kind};
use ptp_host::sinks::{DATASET_LIMIT, FileSink, Quiet, ReaderSource, VecSink};
use ptp_host::values::parse_integer;
use ptp_host::{Camera, Error, block_on};
use std::fs::File;
use std::io::BufReader;

/// How many data bytes the text output shows.
const SHOWN: usize = 256;

fn hex_dump(data: &[u8]) -> std::io::Result<()> {
    for (row, line) in data.chunks(16).enumerate() {
        let bytes: Vec<String> = line.iter().map(|byte| format!("{byte:02x}")).collect();
        let text: String = line
            .iter()
            .map(|&byte| {
                if byte.is_ascii_graphic() || byte == b' ' {
                    byte as char
                } else {
                    '.'
                }
            })
            .collect();
        say!("  {:08x}  {:<48} {text}", row * 16, bytes.join(" "));
    }
    Ok(())
}

/// Runs any operation.
pub fn run(camera: &mut Camera, args: &RawArgs) -> Outcome {
    let code = parse_code(camera.code_set(), Kind::Operation, &args.operation)?;
    let code =
        u16::try_from(code).map_err(|_| Error::Invalid("operation codes are 16-bit".into()))?;
    let params = args
        .params
        .iter()
        .map(|text| {
            parse_integer(text)
                .and_then(|value| u32::try_from(value).ok())
                .ok_or_else(|| Error::Invalid(format!("parameter `{text}` is not a 32-bit number")))
        })
        .collect::<Result<Vec<u32>, Error>>()?;
    if params.len() > 5 {
        return Err(Error::Invalid("an operation takes at most 5 parameters".into()).into());
    }
    // GetDeviceInfo and the session operations themselves run outside a session.
    let needs_session = !matches!(code, 0x1001..=0x1003);
    let mut guard;
    let camera: &mut Camera = if needs_session {
        guard = camera.session()?;
        &mut guard
    } else {
        camera
    };
    let (response, data) = match &args.data_in {
        Some(path) => {
            let file = File::create(path).map_err(|error| Error::file(path, error))?;
            let mut bar = Bar::new("data in", args.json.json);
            let mut sink = FileSink::new(file, &mut bar, None);
            let response = transact(camera, code, &params, args, &mut sink)?;
            let written = sink.written;
            sink.finish().map_err(|error| Error::file(path, error))?;
            bar.finish();
            (response, DataSummary::File(written))
        }
        None => {
            let mut sink = VecSink::new(DATASET_LIMIT);
            let response = transact(camera, code, &params, args, &mut sink)?;
            (response, DataSummary::Memory(sink.data))
        }
    };
    let codes = camera.code_set();
    if args.json.json {
        let (length, hex) = match &data {
            DataSummary::File(length) => (*length, None),
            DataSummary::Memory(bytes) => (
                bytes.len() as u64,
                Some(
                    bytes
                        .iter()
                        .map(|byte| format!("{byte:02x}"))
                        .collect::<String>(),
                ),
            ),
        };
        print_json(&serde_json::json!({
            "operation": code,
            "operation_name": bare_name(codes, Kind::Operation, u32::from(code)),
            "response": response.code,
            "response_name": bare_name(codes, Kind::Response, u32::from(response.code)),
            "params": response.params.as_slice(),
            "transaction_id": response.transaction_id,
            "data_length": length,
            "data_hex": hex,
        }))?;
    } else {
        say!(
            "{} -> 0x{:04X} {} params {:?}",
            name(codes, Kind::Operation, u32::from(code)),
            response.code,
            name(codes, Kind::Response, u32::from(response.code)),
            response.params.as_slice()
        );
        match &data {
            DataSummary::File(length) => say!("{length} data bytes written"),
            DataSummary::Memory(bytes) if !bytes.is_empty() => {
                say!("{} data bytes:", bytes.len());
                hex_dump(bytes.get(..SHOWN).unwrap_or(bytes))?;
                if bytes.len() > SHOWN {
                    say!("  ... (use --data-in FILE for all of it)");
                }
            }
            DataSummary::Memory(_) => {}
        }
    }
    if !response.is_ok() {
        return Err(Error::Response {
            operation: code,
            operation_name: bare_name(codes, Kind::Operation, u32::from(code)),
            code: response.code,
            code_name: bare_name(codes, Kind::Response, u32::from(response.code)),
        }
        .into());
    }
    Ok(())
}

/// Where the data phase went.
enum DataSummary {
    File(u64),
    Memory(Vec<u8>),
}

fn transact<S: DataSink>(
    camera: &mut Camera,
    code: u16,
    params: &[u32],
    args: &RawArgs,
    sink: &mut S,
) -> Result<Response, Error> {
    let result = match &args.data_out {
        Some(path) => {
            let file = File::open(path).map_err(|error| Error::file(path, error))?;
            let size = file
                .metadata()
                .map_err(|error| Error::file(path, error))?
                .len();
            let mut quiet = Quiet;
            let mut source = ReaderSource::new(BufReader::new(file), size, &mut quiet);
            let result = block_on(camera.client().transaction(
                code,
                params,
                DataDirection::Out,
                &mut source,
                &mut *sink,
            ));
            if let Some(error) = source.error.take() {
                return Err(Error::file(path, error));
            }
            result
        }
        None => block_on(camera.client().transaction(
            code,
            params,
            DataDirection::In,
            NoData,
            &mut *sink,
        )),
    };
    camera.check(result)
}
