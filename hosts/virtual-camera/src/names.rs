//! File names that initiators send (SendObjectInfo): made safe to create in
//! the served directory. No path traversal, no absolute paths, no hidden
//! or reserved names, no control characters.

/// The longest name kept, in bytes (most filesystems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

/// Why a name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    /// Nothing left after removing what is not allowed.
    Empty,
    /// `.` or `..`.
    Dots,
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Empty => f.write_str("the file name is empty once sanitised"),
            NameError::Dots => f.write_str("the file name is `.` or `..`"),
        }
    }
}

/// A single path component from an initiator's file name: directory
/// separators and control characters become `_`, leading dots (hidden
/// files, the server's temporary files) and surrounding spaces are dropped,
/// and the result is cut to [`MAX_NAME_BYTES`] at a character boundary.
pub fn sanitize(name: &str) -> Result<String, NameError> {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        return Err(
            if name.trim().chars().all(|c| c == '.') && !name.trim().is_empty() {
                NameError::Dots
            } else {
                NameError::Empty
            },
        );
    }
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > MAX_NAME_BYTES {
            break;
        }
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn traversal_and_absolute_paths_become_plain_names() {
        assert_eq!(sanitize("../../etc/passwd").unwrap(), "_.._etc_passwd");
        assert_eq!(sanitize("/etc/passwd").unwrap(), "_etc_passwd");
        assert_eq!(sanitize("C:\\x.jpg").unwrap(), "C__x.jpg");
        assert_eq!(sanitize("..").unwrap_err(), NameError::Dots);
        assert_eq!(sanitize(".").unwrap_err(), NameError::Dots);
        assert_eq!(sanitize("").unwrap_err(), NameError::Empty);
        assert_eq!(sanitize(".hidden").unwrap(), "hidden");
        assert_eq!(sanitize("a\u{0}b\nc").unwrap(), "a_b_c");
        assert_eq!(sanitize(" IMG 1.JPG ").unwrap(), "IMG 1.JPG");
    }

    #[test]
    fn long_names_are_cut_at_a_character() {
        let long = "é".repeat(300);
        let cut = sanitize(&long).unwrap();
        assert!(cut.len() <= MAX_NAME_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
