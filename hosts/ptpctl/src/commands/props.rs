//! `ptpctl props`, `ptpctl prop get`, `ptpctl prop set`.

use super::Outcome;
use crate::cli::PropCommand;
use crate::names::{bare_name, hex, name, parse_code};
use crate::output::say;
use crate::output::{print_json, value_json};
use ptp_core::codes::Kind;
use ptp_core::codes::standard::Operation as Op;
use ptp_core::dataset::{DevicePropDesc, Form};
use ptp_host::values::TextValue;
use ptp_host::{Camera, Error, block_on};

/// A form in words: `range 0..100 step 1`, `one of 1, 2, 3`.
fn form_text(form: &Form<'_>) -> String {
    match form {
        Form::None => String::new(),
        Form::Range { min, max, step } => format!("range {min}..{max} step {step}"),
        Form::Enumeration(values) => {
            let values: Vec<String> = values.iter().map(|value| value.to_string()).collect();
            format!("one of {}", values.join(", "))
        }
    }
}

fn form_json(form: &Form<'_>) -> serde_json::Value {
    match form {
        Form::None => serde_json::Value::Null,
        Form::Range { min, max, step } => serde_json::json!({
            "range": {"min": value_json(min), "max": value_json(max), "step": value_json(step)}
        }),
        Form::Enumeration(values) => serde_json::json!({
            "enumeration": values.iter().map(|value| value_json(&value)).collect::<Vec<_>>()
        }),
    }
}

fn desc_json(camera: &Camera, desc: &DevicePropDesc<'_>) -> serde_json::Value {
    let code = u32::from(desc.property_code);
    serde_json::json!({
        "code": desc.property_code,
        "hex": hex(Kind::DeviceProperty, code),
        "name": bare_name(camera.code_set(), Kind::DeviceProperty, code),
        "data_type": desc.data_type.name(),
        "writable": desc.is_settable(),
        "value": value_json(&desc.current),
        "default": value_json(&desc.factory_default),
        "form": form_json(&desc.form),
    })
}

fn desc_line(camera: &Camera, desc: &DevicePropDesc<'_>) -> String {
    let code = u32::from(desc.property_code);
    let form = form_text(&desc.form);
    format!(
        "{}  {:<32} {:<7} {}  = {}{}",
        hex(Kind::DeviceProperty, code),
        name(camera.code_set(), Kind::DeviceProperty, code),
        desc.data_type.name(),
        if desc.is_settable() { "rw" } else { "r " },
        desc.current,
        if form.is_empty() {
            String::new()
        } else {
            format!("  ({form})")
        }
    )
}

/// GetDevicePropDesc's bytes.
fn desc_bytes(camera: &mut Camera, code: u16) -> Result<Vec<u8>, Error> {
    camera.data_in(Op::GetDevicePropDesc.code(), &[u32::from(code)])
}

/// Every property.
pub fn list(camera: &mut Camera, json: bool) -> Outcome {
    let codes: Vec<u16> = camera
        .device_info()
        .device_properties_supported
        .iter()
        .collect();
    let mut session = camera.session()?;
    let mut all = Vec::new();
    for code in codes {
        let bytes = match desc_bytes(&mut session, code) {
            Ok(bytes) => bytes,
            Err(error) => {
                log::warn!("property 0x{code:04X}: {error}");
                continue;
            }
        };
        let desc = DevicePropDesc::parse(&bytes).map_err(Error::Decode)?;
        if json {
            all.push(desc_json(&session, &desc));
        } else {
            say!("{}", desc_line(&session, &desc));
        }
    }
    if json {
        print_json(&serde_json::Value::from(all))?;
    }
    Ok(())
}

/// `prop get` / `prop set`.
pub fn run(camera: &mut Camera, command: &PropCommand) -> Outcome {
    let (text, json) = match command {
        PropCommand::Get { property, json } => (property, json.json),
        PropCommand::Set { property, .. } => (property, false),
    };
    let code = parse_code(camera.code_set(), Kind::DeviceProperty, text)?;
    let code = u16::try_from(code)
        .map_err(|_| Error::Invalid(format!("`{text}` is not a 16-bit property code")))?;
    let mut session = camera.session()?;
    let bytes = desc_bytes(&mut session, code)?;
    let desc = DevicePropDesc::parse(&bytes).map_err(Error::Decode)?;
    if let PropCommand::Set { value, .. } = command {
        if !desc.is_settable() {
            return Err(Error::Invalid(format!(
                "{} is read-only on this camera",
                name(session.code_set(), Kind::DeviceProperty, u32::from(code))
            ))
            .into());
        }
        let parsed = TextValue::parse(desc.data_type, value)?;
        let value = parsed.as_value();
        if !desc.form.allows(&value) {
            return Err(Error::Invalid(format!(
                "{value} is not allowed: {}",
                form_text(&desc.form)
            ))
            .into());
        }
        let result = block_on(session.client().set_device_prop_value(code, &value));
        session.check(result)?;
        let bytes = desc_bytes(&mut session, code)?;
        let after = DevicePropDesc::parse(&bytes).map_err(Error::Decode)?;
        say!("{}", desc_line(&session, &after));
        return Ok(());
    }
    if json {
        print_json(&desc_json(&session, &desc))?;
    } else {
        say!("{}", desc_line(&session, &desc));
        say!("  default {}", desc.factory_default);
    }
    Ok(())
}
