//! Naming codes for the camera's code set, and reading codes, handles and
//! vendors from the command line.

use ptp_core::codes::{CodeSet, Kind, Vendor};
use ptp_host::values::parse_integer;
use ptp_host::{Error, Result};

/// `Name` (standard) or `Name [Vendor]`, or `0xCODE` when unnamed.
pub fn name(codes: CodeSet, kind: Kind, code: u32) -> String {
    match codes.lookup(kind, code) {
        Some((Vendor::Standard, info)) => info.name.to_string(),
        Some((vendor, info)) => format!("{} [{}]", info.name, vendor.display_name()),
        None => hex(kind, code),
    }
}

/// The bare name, if any.
pub fn bare_name(codes: CodeSet, kind: Kind, code: u32) -> Option<&'static str> {
    codes.name(kind, code)
}

/// `0x1001` (eight digits for 32-bit property codes).
pub fn hex(kind: Kind, code: u32) -> String {
    match kind {
        Kind::DeviceProperty32 => format!("0x{code:08X}"),
        _ => format!("0x{code:04X}"),
    }
}

/// A vendor by identifier (`canon_eos`) or display name (`Canon EOS`).
pub fn parse_vendor(text: &str) -> Result<Vendor> {
    Vendor::ALL
        .into_iter()
        .find(|vendor| {
            vendor.ident().eq_ignore_ascii_case(text)
                || vendor.display_name().eq_ignore_ascii_case(text)
        })
        .ok_or_else(|| {
            Error::Invalid(format!(
                "unknown vendor `{text}`; one of: {}",
                Vendor::ALL.map(Vendor::ident).join(", ")
            ))
        })
}

/// A code given as a number or as a name in the tables in force.
pub fn parse_code(codes: CodeSet, kind: Kind, text: &str) -> Result<u32> {
    if let Some(value) = parse_integer(text) {
        return u32::try_from(value)
            .ok()
            .filter(|code| kind == Kind::DeviceProperty32 || *code <= 0xFFFF)
            .ok_or_else(|| Error::Invalid(format!("`{text}` is not a 16-bit code")));
    }
    codes
        .find(kind, text)
        .map(|(_, info)| info.code)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "no {} named `{text}` for this camera's code tables (`ptpctl codes` lists them)",
                kind.plural()
            ))
        })
}

/// An object handle (decimal or 0x hex), if `text` is one.
pub fn parse_handle(text: &str) -> Option<u32> {
    parse_integer(text).and_then(|value| u32::try_from(value).ok())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn codes_and_vendors_parse() {
        let canon = CodeSet::vendor(Vendor::CanonEos);
        assert_eq!(
            parse_code(canon, Kind::Operation, "remoterelease").unwrap(),
            0x910F
        );
        assert_eq!(
            parse_code(canon, Kind::Operation, "0x1001").unwrap(),
            0x1001
        );
        assert!(parse_code(CodeSet::STANDARD, Kind::Operation, "RemoteRelease").is_err());
        assert!(parse_code(CodeSet::STANDARD, Kind::Operation, "0x10000").is_err());
        assert_eq!(parse_vendor("Canon EOS").unwrap(), Vendor::CanonEos);
        assert_eq!(parse_vendor("nikon").unwrap(), Vendor::Nikon);
        assert!(parse_vendor("acme").is_err());
        assert_eq!(
            name(canon, Kind::Operation, 0x910F),
            "RemoteRelease [Canon EOS]"
        );
        assert_eq!(name(canon, Kind::Operation, 0x1001), "GetDeviceInfo");
        assert_eq!(parse_handle("0x10"), Some(16));
    }
}
