//! Log lines on standard error, each prefixed with the crate's name and
//! the connection it concerns.

use std::fmt;

/// Writes one log line: `virtual-camera: <what>`.
pub fn line(args: fmt::Arguments<'_>) {
    eprintln!("virtual-camera: {args}");
}

/// Writes a log line, `format!`-style.
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::log::line(format_args!($($arg)*))
    };
}
