//! Output helpers: JSON printing, human sizes, progress bars on a terminal.

/// `println!` that returns the write error (a closed pipe) instead of
/// panicking: `say!(...)` inside a function returning `Result<_, E>` with
/// `E: From<std::io::Error>`.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}
pub(crate) use say;

use indicatif::{ProgressBar, ProgressStyle};
use ptp_core::wire::Value;
use ptp_host::sinks::Progress;
use std::io::{self, IsTerminal, Write};

/// Prints a JSON value on stdout.
pub fn print_json(value: &serde_json::Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}

/// Prints one JSON value on one line (for streams of records).
pub fn print_json_line(value: &serde_json::Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}

/// `12.3 MB`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} B"),
        _ => format!("{value:.1} {}", UNITS.get(unit).copied().unwrap_or("B")),
    }
}

/// A value as JSON: integers as numbers (as strings beyond 64 bits),
/// arrays as lists, strings as strings.
pub fn value_json(value: &Value<'_>) -> serde_json::Value {
    fn integer(value: i128) -> serde_json::Value {
        match (i64::try_from(value), u64::try_from(value)) {
            (Ok(small), _) => serde_json::Value::from(small),
            (_, Ok(unsigned)) => serde_json::Value::from(unsigned),
            _ => serde_json::Value::from(value.to_string()),
        }
    }
    fn list<T: ptp_core::wire::Element + Into<i128>>(
        array: &ptp_core::wire::Array<'_, T>,
    ) -> serde_json::Value {
        array
            .iter()
            .map(|element| integer(element.into()))
            .collect()
    }
    match value {
        Value::Str(text) => serde_json::Value::from(text.chars().collect::<String>()),
        Value::UInt128(v) => match i128::try_from(*v) {
            Ok(v) => integer(v),
            Err(_) => serde_json::Value::from(v.to_string()),
        },
        Value::ArrayInt8(a) => list(a),
        Value::ArrayUInt8(a) => list(a),
        Value::ArrayInt16(a) => list(a),
        Value::ArrayUInt16(a) => list(a),
        Value::ArrayInt32(a) => list(a),
        Value::ArrayUInt32(a) => list(a),
        Value::ArrayInt64(a) => list(a),
        Value::ArrayUInt64(a) => list(a),
        Value::ArrayInt128(a) => list(a),
        Value::ArrayUInt128(a) => a
            .iter()
            .map(|v| serde_json::Value::from(v.to_string()))
            .collect(),
        other => other.as_i128().map_or(serde_json::Value::Null, integer),
    }
}

/// A progress bar on stderr when it is a terminal, nothing otherwise.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar labelled `label` (hidden on a pipe or with `--json`).
    pub fn new(label: &str, quiet: bool) -> Bar {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:24!} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        Bar { bar }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&mut self, total: Option<u64>, done: u64) {
        if let Some(total) = total {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    fn advance(&mut self, bytes: u64) {
        self.bar.inc(bytes);
    }
}
