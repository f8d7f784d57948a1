//! Parses one spec data file (format: `ptp-core/spec/README.md`) into a [`Spec`].
//!
//! Errors carry the 1-based line number so the macro can report `file:line`.

use std::collections::HashMap;
use std::fmt;

/// The six code tables a vendor file can hold, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Operation,
    Response,
    Event,
    DeviceProperty,
    ObjectFormat,
    ObjectProperty,
    /// Vendor device properties with 32-bit codes (Nikon 0x1Dxxx, Panasonic).
    DeviceProperty32,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Operation,
        Kind::Response,
        Kind::Event,
        Kind::DeviceProperty,
        Kind::ObjectFormat,
        Kind::ObjectProperty,
        Kind::DeviceProperty32,
    ];

    /// Hex digits of this kind's codes.
    pub fn code_digits(self) -> usize {
        if self == Kind::DeviceProperty32 { 8 } else { 4 }
    }

    fn from_section(section: &str) -> Option<Kind> {
        Some(match section {
            "operations" => Kind::Operation,
            "responses" => Kind::Response,
            "events" => Kind::Event,
            "device_properties" => Kind::DeviceProperty,
            "object_formats" => Kind::ObjectFormat,
            "object_properties" => Kind::ObjectProperty,
            "device_properties_32" => Kind::DeviceProperty32,
            _ => return None,
        })
    }

    /// The number of whitespace-separated fields an entry of this kind has.
    fn field_count(self) -> usize {
        match self {
            Kind::Operation => 4,
            Kind::DeviceProperty | Kind::ObjectProperty | Kind::DeviceProperty32 => 3,
            Kind::Response | Kind::Event | Kind::ObjectFormat => 2,
        }
    }

    fn fields_help(self) -> &'static str {
        match self {
            Kind::Operation => "CODE Name DATA PARAMS",
            Kind::DeviceProperty | Kind::ObjectProperty | Kind::DeviceProperty32 => {
                "CODE Name TYPE"
            }
            Kind::Response | Kind::Event | Kind::ObjectFormat => "CODE Name",
        }
    }
}

/// An operation's data phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Data {
    None,
    In,
    Out,
}

/// One code of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub code: u32,
    pub name: String,
    /// Other names of the same code (`aka:Name` tokens).
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// Operations: the data phase, `None` when unknown.
    pub data: Option<Data>,
    /// Operations: the parameter names, `None` when unknown.
    pub params: Option<Vec<String>>,
    /// Properties: the data type code (0x0001..0x400A, 0xFFFF), `None` when unknown.
    pub data_type: Option<u16>,
}

/// One parsed vendor file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub ident: String,
    pub display_name: String,
    pub extends: Option<String>,
    /// The line of the `vendor` header.
    pub header_line: usize,
    pub tables: Vec<(Kind, Vec<Entry>)>,
}

impl Spec {
    /// The entries of one table, sorted by code.
    pub fn table(&self, kind: Kind) -> &[Entry] {
        self.tables
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, entries)| entries.as_slice())
            .unwrap_or(&[])
    }
}

/// A malformed file: the line (1-based) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

fn error<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line,
        message: message.into(),
    })
}

/// Parses a spec file whose stem is `stem` (the header ident must match it).
pub fn parse(source: &str, stem: &str) -> Result<Spec, ParseError> {
    let mut spec: Option<Spec> = None;
    let mut section: Option<Kind> = None;
    // Per table: code -> line, name -> line, for duplicate reports.
    let mut seen_codes: HashMap<(Kind, u32), usize> = HashMap::new();
    let mut seen_names: HashMap<(Kind, String), usize> = HashMap::new();

    for (index, raw) in source.lines().enumerate() {
        let line = index + 1;
        let text = strip_comment(raw).trim();
        if text.is_empty() {
            continue;
        }
        let Some(spec) = spec.as_mut() else {
            spec = Some(parse_header(text, stem, line)?);
            continue;
        };
        if let Some(name) = text.strip_prefix('[') {
            let Some(name) = name.strip_suffix(']') else {
                return error(line, format!("unclosed section header `{text}`"));
            };
            let Some(kind) = Kind::from_section(name) else {
                return error(
                    line,
                    format!(
                        "unknown section `[{name}]` (expected operations, responses, events, \
                         device_properties, object_formats or object_properties)"
                    ),
                );
            };
            if spec.tables.iter().any(|(k, _)| *k == kind) {
                return error(line, format!("section `[{name}]` appears twice"));
            }
            spec.tables.push((kind, Vec::new()));
            section = Some(kind);
            continue;
        }
        let Some(kind) = section else {
            return error(
                line,
                "entry before any section header such as `[operations]`",
            );
        };
        let entry = parse_entry(text, kind, line)?;
        if let Some(first) = seen_codes.insert((kind, entry.code), line) {
            return error(
                line,
                format!(
                    "duplicate code 0x{:04X} (first on line {first})",
                    entry.code
                ),
            );
        }
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            if let Some(first) = seen_names.insert((kind, name.clone()), line) {
                return error(
                    line,
                    format!("duplicate name `{name}` (first on line {first})"),
                );
            }
        }
        if let Some((_, entries)) = spec.tables.last_mut() {
            entries.push(entry);
        }
    }
    let Some(mut spec) = spec else {
        return error(
            1,
            "empty spec file: expected a `vendor IDENT \"Name\"` header",
        );
    };
    for (_, entries) in &mut spec.tables {
        entries.sort_by_key(|entry| entry.code);
    }
    Ok(spec)
}

/// Checks that every `extends` names a vendor in the set and that no chain
/// loops. The error gives the index of the offending spec and the message.
pub fn check_links<'a>(
    specs: impl Iterator<Item = &'a Spec> + Clone,
) -> Result<(), (usize, String)> {
    let find = |ident: &str| specs.clone().find(|spec| spec.ident == ident);
    let mut seen = HashMap::new();
    for (index, spec) in specs.clone().enumerate() {
        if seen.insert(spec.ident.clone(), ()).is_some() {
            return Err((index, format!("vendor `{}` is given twice", spec.ident)));
        }
        let mut current = spec;
        let mut steps = 0;
        while let Some(parent) = &current.extends {
            let Some(next) = find(parent) else {
                let message = format!(
                    "vendor `{}` extends `{parent}`, which is not in this list",
                    current.ident
                );
                return Err((index, message));
            };
            current = next;
            steps += 1;
            if steps > 32 {
                return Err((
                    index,
                    format!("vendor `{}` has an `extends` loop", spec.ident),
                ));
            }
        }
    }
    Ok(())
}

fn strip_comment(line: &str) -> &str {
    // `#` starts a comment, except inside a description (after `|`).
    match (line.find('#'), line.find('|')) {
        (Some(hash), Some(bar)) if bar < hash => line,
        (Some(hash), _) => line.get(..hash).unwrap_or(line),
        (None, _) => line,
    }
}

fn parse_header(text: &str, stem: &str, line: usize) -> Result<Spec, ParseError> {
    let usage = "expected header `vendor IDENT \"Display Name\" [extends IDENT]`";
    let Some(rest) = text.strip_prefix("vendor ") else {
        return error(line, usage);
    };
    let rest = rest.trim_start();
    let (ident, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !is_snake_ident(ident) {
        return error(
            line,
            format!("vendor ident `{ident}` must be lower_snake_case"),
        );
    }
    if ident != stem {
        return error(
            line,
            format!("vendor ident `{ident}` must equal the file name `{stem}`"),
        );
    }
    let rest = rest.trim_start();
    let Some(quoted) = rest.strip_prefix('"') else {
        return error(line, usage);
    };
    let Some((display_name, rest)) = quoted.split_once('"') else {
        return error(line, format!("unterminated display name; {usage}"));
    };
    let extends = match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
        [] => None,
        ["extends", parent] if is_snake_ident(parent) => Some((*parent).to_string()),
        _ => return error(line, usage),
    };
    Ok(Spec {
        ident: ident.to_string(),
        display_name: display_name.to_string(),
        extends,
        header_line: line,
        tables: Vec::new(),
    })
}

fn parse_entry(text: &str, kind: Kind, line: usize) -> Result<Entry, ParseError> {
    let (fields, description) = match text.split_once('|') {
        Some((fields, description)) => (fields, Some(description.trim())),
        None => (text, None),
    };
    let description = match description {
        Some("") => return error(line, "empty description after `|`"),
        Some(text) => Some(text.to_string()),
        None => None,
    };
    let (aliases, fields): (Vec<&str>, Vec<&str>) = fields
        .split_whitespace()
        .partition(|field| field.starts_with("aka:"));
    let aliases = aliases
        .into_iter()
        .map(|alias| parse_name(alias.trim_start_matches("aka:"), line))
        .collect::<Result<Vec<_>, _>>()?;
    if fields.len() != kind.field_count() {
        return error(
            line,
            format!(
                "expected {} fields `{}`, found {}",
                kind.field_count(),
                kind.fields_help(),
                fields.len()
            ),
        );
    }
    let (code, name) = match fields.as_slice() {
        [code, name, ..] => (
            parse_code(code, kind.code_digits(), line)?,
            parse_name(name, line)?,
        ),
        _ => return error(line, "missing code and name"),
    };
    let mut entry = Entry {
        line,
        code,
        name,
        aliases,
        description,
        data: None,
        params: None,
        data_type: None,
    };
    match (kind, fields.as_slice()) {
        (Kind::Operation, [_, _, data, params]) => {
            entry.data = parse_data(data, line)?;
            entry.params = parse_params(params, line)?;
        }
        (
            Kind::DeviceProperty | Kind::ObjectProperty | Kind::DeviceProperty32,
            [_, _, data_type],
        ) => {
            entry.data_type = parse_type(data_type, line)?;
        }
        _ => {}
    }
    Ok(entry)
}

fn parse_code(text: &str, digits: usize, line: usize) -> Result<u32, ParseError> {
    let hex = text
        .strip_prefix("0x")
        .filter(|d| d.len() == digits && d.chars().all(|c| c.is_ascii_hexdigit()));
    match hex.map(|d| u32::from_str_radix(d, 16)) {
        Some(Ok(code)) => Ok(code),
        _ => error(
            line,
            format!("code `{text}` must be `0x` and {digits} hex digits"),
        ),
    }
}

fn parse_name(text: &str, line: usize) -> Result<String, ParseError> {
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return error(
            line,
            format!("name `{text}` must be an UpperCamelCase identifier"),
        );
    }
    if text == "Unknown" || text == "Self" {
        return error(line, format!("name `{text}` is reserved"));
    }
    Ok(text.to_string())
}

fn parse_data(text: &str, line: usize) -> Result<Option<Data>, ParseError> {
    Ok(Some(match text {
        "none" => Data::None,
        "in" => Data::In,
        "out" => Data::Out,
        "?" => return Ok(None),
        _ => {
            return error(
                line,
                format!("data phase `{text}` must be none, in, out or ?"),
            );
        }
    }))
}

fn parse_params(text: &str, line: usize) -> Result<Option<Vec<String>>, ParseError> {
    match text {
        "?" => Ok(None),
        "-" => Ok(Some(Vec::new())),
        _ => {
            let params: Vec<String> = text.split(',').map(str::to_string).collect();
            if params.len() > 5 {
                return error(
                    line,
                    format!("{} parameters; an operation has at most 5", params.len()),
                );
            }
            for param in &params {
                parse_name(param, line)?;
            }
            Ok(Some(params))
        }
    }
}

/// The PTP data type codes by name.
pub const DATA_TYPES: [(&str, u16); 21] = [
    ("INT8", 0x0001),
    ("UINT8", 0x0002),
    ("INT16", 0x0003),
    ("UINT16", 0x0004),
    ("INT32", 0x0005),
    ("UINT32", 0x0006),
    ("INT64", 0x0007),
    ("UINT64", 0x0008),
    ("INT128", 0x0009),
    ("UINT128", 0x000A),
    ("AINT8", 0x4001),
    ("AUINT8", 0x4002),
    ("AINT16", 0x4003),
    ("AUINT16", 0x4004),
    ("AINT32", 0x4005),
    ("AUINT32", 0x4006),
    ("AINT64", 0x4007),
    ("AUINT64", 0x4008),
    ("AINT128", 0x4009),
    ("AUINT128", 0x400A),
    ("STR", 0xFFFF),
];

fn parse_type(text: &str, line: usize) -> Result<Option<u16>, ParseError> {
    if text == "?" {
        return Ok(None);
    }
    match DATA_TYPES.iter().find(|(name, _)| *name == text) {
        Some((_, code)) => Ok(Some(*code)),
        None => error(
            line,
            format!("data type `{text}` is not one of INT8..UINT128, AINT8..AUINT128, STR, ?"),
        ),
    }
}

fn is_snake_ident(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod test {
    use super::*;

    const GOOD: &str = "# Canon EOS\nvendor canon_eos \"Canon EOS\" extends canon\n\n\
        [operations]\n0x9116 GetEvent in - | Returns queued events. # not a comment\n\
        0x910F RemoteRelease none - # a comment\n0x9110 SetDevicePropValueEx out ? \n\
        [device_properties]\n0xD101 Aperture UINT32 | Aperture.\n0xD102 ShutterSpeed ?\n";

    #[test]
    fn parses_header_sections_and_entries() {
        let spec = parse(GOOD, "canon_eos").unwrap();
        assert_eq!(spec.ident, "canon_eos");
        assert_eq!(spec.display_name, "Canon EOS");
        assert_eq!(spec.extends.as_deref(), Some("canon"));
        let ops = spec.table(Kind::Operation);
        assert_eq!(
            ops.iter().map(|e| e.code).collect::<Vec<_>>(),
            [0x910F, 0x9110, 0x9116]
        );
        assert_eq!(
            ops[2].description.as_deref(),
            Some("Returns queued events. # not a comment")
        );
        assert_eq!(ops[2].data, Some(Data::In));
        assert_eq!(ops[2].params, Some(vec![]));
        assert_eq!(ops[1].data, Some(Data::Out));
        assert_eq!(ops[1].params, None);
        assert_eq!(ops[0].description, None);
        let props = spec.table(Kind::DeviceProperty);
        assert_eq!(props[0].data_type, Some(0x0006));
        assert_eq!(props[1].data_type, None);
        assert!(spec.table(Kind::Event).is_empty());
    }

    fn fails(source: &str) -> ParseError {
        parse(source, "v").unwrap_err()
    }

    #[test]
    fn reports_duplicates_with_both_lines() {
        let err = fails("vendor v \"V\"\n[responses]\n0x2001 Ok\n0x2001 Again\n");
        assert_eq!(
            err,
            ParseError {
                line: 4,
                message: "duplicate code 0x2001 (first on line 3)".into()
            }
        );
        let err = fails("vendor v \"V\"\n[responses]\n0x2001 Ok\n0x2002 Ok\n");
        assert_eq!(err.line, 4);
        assert!(err.message.contains("duplicate name `Ok`"));
    }

    #[test]
    fn aliases_and_32_bit_codes() {
        let spec = parse(
            "vendor v \"V\"\n[responses]\n0xA022 StoreUnformatted aka:AdvancedTransferCancel | x\n\
             [device_properties_32]\n0x0001D000 MovieProResToneMode UINT8\n",
            "v",
        )
        .unwrap();
        assert_eq!(
            spec.table(Kind::Response)[0].aliases,
            ["AdvancedTransferCancel"]
        );
        assert_eq!(spec.table(Kind::DeviceProperty32)[0].code, 0x0001_D000);
        assert_eq!(
            spec.table(Kind::DeviceProperty32)[0].data_type,
            Some(0x0002)
        );
    }

    #[test]
    fn same_code_in_different_tables_is_fine() {
        let spec = parse(
            "vendor v \"V\"\n[responses]\n0x2001 Ok\n[events]\n0x2001 Ok\n",
            "v",
        )
        .unwrap();
        assert_eq!(spec.table(Kind::Event).len(), 1);
    }

    #[test]
    fn rejects_malformed_lines() {
        let cases = [
            ("", 1, "empty spec file"),
            ("vendor V \"V\"\n", 1, "lower_snake_case"),
            ("vendor w \"W\"\n", 1, "must equal the file name"),
            ("vendor v V\n", 1, "expected header"),
            ("vendor v \"V\" extend x\n", 1, "expected header"),
            ("vendor v \"V\"\n0x1001 A\n", 2, "before any section"),
            ("vendor v \"V\"\n[ops]\n", 2, "unknown section"),
            ("vendor v \"V\"\n[events]\n[events]\n", 3, "appears twice"),
            ("vendor v \"V\"\n[events]\n0x401 A\n", 3, "4 hex digits"),
            ("vendor v \"V\"\n[events]\n0xZZZZ A\n", 3, "4 hex digits"),
            (
                "vendor v \"V\"\n[device_properties_32]\n0xD000 A ?\n",
                3,
                "8 hex digits",
            ),
            (
                "vendor v \"V\"\n[events]\n0x4001 A aka:B\n0x4002 B\n",
                4,
                "duplicate name `B`",
            ),
            (
                "vendor v \"V\"\n[events]\n0x4001 A aka:b\n",
                3,
                "UpperCamelCase",
            ),
            (
                "vendor v \"V\"\n[events]\n0x4001 lower\n",
                3,
                "UpperCamelCase",
            ),
            ("vendor v \"V\"\n[events]\n0x4001 Unknown\n", 3, "reserved"),
            (
                "vendor v \"V\"\n[events]\n0x4001 A extra\n",
                3,
                "expected 2 fields",
            ),
            (
                "vendor v \"V\"\n[events]\n0x4001 A |\n",
                3,
                "empty description",
            ),
            (
                "vendor v \"V\"\n[operations]\n0x1001 A sideways -\n",
                3,
                "data phase",
            ),
            (
                "vendor v \"V\"\n[operations]\n0x1001 A in a,b\n",
                3,
                "UpperCamelCase",
            ),
            (
                "vendor v \"V\"\n[operations]\n0x1001 A in A,B,C,D,E,F\n",
                3,
                "at most 5",
            ),
            (
                "vendor v \"V\"\n[device_properties]\n0x5001 A FLOAT\n",
                3,
                "data type",
            ),
        ];
        for (source, line, needle) in cases {
            let err = fails(source);
            assert_eq!(err.line, line, "{source:?}: {err}");
            assert!(err.message.contains(needle), "{source:?}: {err}");
        }
    }

    #[test]
    fn checks_extends_links() {
        let a = parse("vendor a \"A\" extends b\n", "a").unwrap();
        let b = parse("vendor b \"B\"\n", "b").unwrap();
        assert!(check_links([&a, &b].into_iter()).is_ok());
        let (index, err) = check_links([&b, &a, &a].into_iter()).unwrap_err();
        assert_eq!(index, 2);
        assert!(err.contains("twice"), "{err}");
        let (index, err) = check_links([&a].into_iter()).unwrap_err();
        assert_eq!(index, 0);
        assert!(
            err.contains("extends `b`, which is not in this list"),
            "{err}"
        );
        let looped = parse("vendor b \"B\" extends a\n", "b").unwrap();
        assert!(
            check_links([&a, &looped].into_iter())
                .unwrap_err()
                .1
                .contains("loop")
        );
    }
}
