//! `ptpctl codes [--vendor V] [--kind K]`: the code tables.

use super::Outcome;
use crate::cli::{Cli, CodesArgs};
use crate::names::{hex, parse_vendor};
use crate::output::print_json;
use crate::output::say;
use ptp_core::codes::{CodeInfo, DataDirection, Kind, Vendor};
use ptp_host::Error;

fn parse_kind(text: &str) -> Result<Kind, Error> {
    Ok(match text {
        "ops" | "operations" => Kind::Operation,
        "responses" => Kind::Response,
        "events" => Kind::Event,
        "props" | "properties" => Kind::DeviceProperty,
        "formats" => Kind::ObjectFormat,
        "objprops" => Kind::ObjectProperty,
        "props32" => Kind::DeviceProperty32,
        other => {
            return Err(Error::Invalid(format!(
                "unknown kind `{other}`; one of: ops, responses, events, props, formats, objprops, props32"
            )));
        }
    })
}

fn direction(info: &CodeInfo) -> &'static str {
    match info.data {
        Some(DataDirection::None) => "none",
        Some(DataDirection::In) => "in",
        Some(DataDirection::Out) => "out",
        None => "?",
    }
}

/// Lists code tables.
pub fn run(cli: &Cli, args: &CodesArgs) -> Outcome {
    if cli.vendor.as_deref() == Some("list") {
        for vendor in Vendor::ALL {
            let extends = vendor
                .extends()
                .map(|parent| format!(" (extends {})", parent.ident()))
                .unwrap_or_default();
            say!("{:<12} {}{extends}", vendor.ident(), vendor.display_name());
        }
        return Ok(());
    }
    let vendor = match &cli.vendor {
        Some(text) => parse_vendor(text)?,
        None => Vendor::Standard,
    };
    let kinds = match &args.kind {
        Some(text) => vec![parse_kind(text)?],
        None => Kind::ALL.to_vec(),
    };
    let mut all = Vec::new();
    for kind in kinds {
        let table = vendor.table(kind);
        if table.is_empty() {
            continue;
        }
        if !args.json.json {
            say!(
                "{} {} ({}):",
                vendor.display_name(),
                kind.plural(),
                table.len()
            );
        }
        for info in table {
            if args.json.json {
                all.push(serde_json::json!({
                    "vendor": vendor.ident(),
                    "kind": kind.plural(),
                    "code": info.code,
                    "hex": hex(kind, info.code),
                    "name": info.name,
                    "aliases": info.aliases,
                    "data": (kind == Kind::Operation).then(|| direction(info)),
                    "params": info.params,
                    "data_type": info.data_type.map(|data_type| data_type.name()),
                    "description": info.description,
                }));
                continue;
            }
            let detail = match kind {
                Kind::Operation => format!(
                    "{:<4} {}",
                    direction(info),
                    info.params.map_or_else(
                        || "?".to_string(),
                        |params| if params.is_empty() {
                            "-".to_string()
                        } else {
                            params.join(",")
                        }
                    )
                ),
                Kind::DeviceProperty | Kind::ObjectProperty | Kind::DeviceProperty32 => info
                    .data_type
                    .map_or_else(|| "?".to_string(), |data_type| data_type.name().to_string()),
                _ => String::new(),
            };
            say!(
                "  {}  {:<36} {detail}{}",
                hex(kind, info.code),
                info.name,
                info.description
                    .map(|text| format!("  | {text}"))
                    .unwrap_or_default()
            );
        }
    }
    if args.json.json {
        print_json(&serde_json::Value::from(all))?;
    }
    Ok(())
}
