//! How many parameters each standard operation takes, as a compact table
//! computed at compile time from the spec table ([`standard::OPERATIONS`]).
//! Code that only needs the counts (the responder's check of a request)
//! then links 4 bytes per operation instead of the table's names,
//! descriptions and parameter names: about 5 KiB less in a firmware image.

use super::CodeInfo;
use super::standard::OPERATIONS;

/// Operations in the standard table.
const LEN: usize = OPERATIONS.len();
/// The count of an operation whose parameters the spec does not list.
const UNKNOWN: u8 = u8::MAX;

/// `(code, parameter count)` per standard operation, sorted by code as the
/// spec table is.
static COUNTS: [(u16, u8); LEN] = counts(&OPERATIONS);

// Const evaluation: an index out of bounds is a compile error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn counts(table: &[CodeInfo; LEN]) -> [(u16, u8); LEN] {
    let mut out = [(0, UNKNOWN); LEN];
    let mut rest: &[CodeInfo] = table;
    let mut index = 0;
    while let [info, tail @ ..] = rest {
        let count = match info.params {
            Some(params) if params.len() < UNKNOWN as usize => params.len() as u8,
            _ => UNKNOWN,
        };
        out[index] = (info.code as u16, count);
        rest = tail;
        index += 1;
    }
    out
}

/// The number of parameters the spec lists for standard operation `code`,
/// if it is a standard operation whose parameters are known.
pub fn standard_param_count(code: u16) -> Option<usize> {
    let index = COUNTS.binary_search_by_key(&code, |(code, _)| *code).ok()?;
    COUNTS
        .get(index)
        .map(|(_, count)| *count)
        .filter(|count| *count != UNKNOWN)
        .map(usize::from)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::codes::standard::Operation;

    #[test]
    fn counts_match_the_spec_table() {
        for info in OPERATIONS.iter() {
            let code = info.code as u16;
            let expected = info.params.map(<[&str]>::len);
            assert_eq!(standard_param_count(code), expected, "{code:#06x}");
            assert_eq!(Operation::from_code(code).info(), Some(info));
        }
        assert_eq!(standard_param_count(0x1002), Some(1)); // OpenSession
        assert_eq!(standard_param_count(0x1007), Some(3)); // GetObjectHandles
        assert_eq!(standard_param_count(0x9999), None);
    }
}
