//! `ptpctl info`: DeviceInfo with every code named for the camera's vendor.

use super::Outcome;
use crate::names::{bare_name, hex, name};
use crate::output::print_json;
use crate::output::say;
use ptp_core::codes::{CodeSet, Kind};
use ptp_core::wire::Array;
use ptp_host::Camera;

fn text(string: &ptp_core::wire::PtpString<'_>) -> String {
    string.chars().collect()
}

fn codes_json(codes: CodeSet, kind: Kind, array: &Array<'_, u16>) -> serde_json::Value {
    array
        .iter()
        .map(|code| {
            let vendor = codes
                .lookup(kind, u32::from(code))
                .map(|(vendor, _)| vendor.ident());
            serde_json::json!({
                "code": code,
                "hex": hex(kind, u32::from(code)),
                "name": bare_name(codes, kind, u32::from(code)),
                "vendor": vendor,
            })
        })
        .collect()
}

/// Prints DeviceInfo.
pub fn run(camera: &mut Camera, json: bool) -> Outcome {
    let codes = camera.code_set();
    let info = camera.device_info();
    let sections = [
        ("operations", Kind::Operation, &info.operations_supported),
        ("events", Kind::Event, &info.events_supported),
        (
            "device_properties",
            Kind::DeviceProperty,
            &info.device_properties_supported,
        ),
        ("capture_formats", Kind::ObjectFormat, &info.capture_formats),
        (
            "playback_formats",
            Kind::ObjectFormat,
            &info.playback_formats,
        ),
    ];
    if json {
        let mut value = serde_json::json!({
            "connection": camera.description(),
            "manufacturer": text(&info.manufacturer),
            "model": text(&info.model),
            "device_version": text(&info.device_version),
            "serial_number": text(&info.serial_number),
            "standard_version": info.standard_version,
            "vendor_extension_id": info.vendor_extension_id,
            "vendor_extension_version": info.vendor_extension_version,
            "vendor_extension_desc": text(&info.vendor_extension_desc),
            "functional_mode": info.functional_mode,
            "code_set": {"vendor": codes.vendor.ident(), "mtp": codes.mtp},
        });
        if let Some(object) = value.as_object_mut() {
            for (key, kind, array) in sections {
                object.insert(key.to_string(), codes_json(codes, kind, array));
            }
        }
        print_json(&value)?;
        return Ok(());
    }
    say!(
        "{} {} (version {}, serial {})",
        text(&info.manufacturer),
        text(&info.model),
        text(&info.device_version),
        text(&info.serial_number)
    );
    say!("connection:        {}", camera.description());
    say!(
        "PTP version:       {}.{:02}",
        info.standard_version / 100,
        info.standard_version % 100
    );
    say!(
        "vendor extension:  0x{:08X} v{}.{:02} \"{}\"",
        info.vendor_extension_id,
        info.vendor_extension_version / 100,
        info.vendor_extension_version % 100,
        text(&info.vendor_extension_desc)
    );
    say!(
        "code tables:       {}{}",
        codes.vendor.display_name(),
        if codes.mtp && codes.vendor != ptp_core::codes::Vendor::Mtp {
            " + MTP"
        } else {
            ""
        }
    );
    say!("functional mode:   0x{:04X}", info.functional_mode);
    for (title, kind, array) in sections {
        say!("{} ({}):", title.replace('_', " "), array.len());
        for code in array.iter() {
            say!(
                "  {}  {}",
                hex(kind, u32::from(code)),
                name(codes, kind, u32::from(code))
            );
        }
    }
    Ok(())
}
