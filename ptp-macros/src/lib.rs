//! Generates the PTP code tables of `ptp-core` from its spec data files.
//!
//! `code_tables!("a.spec", "b.spec", ...)` reads each file (paths are relative
//! to the invoking source file, like `include_str!`), checks it, and expands to
//! one module per vendor extension plus a `Vendor` enum. The format is
//! described in `ptp-core/spec/README.md`. The crate is a thin shell: the
//! work is done by the plain, unit-tested [`parse`] and [`generate`] modules.
//!
//! The generated code refers to `crate::codes::{CodeInfo, DataDirection, Kind}`
//! and `crate::DataType`, so the macro is meant to be invoked inside `ptp-core`.

mod generate;
mod parse;

use proc_macro::TokenStream;
use std::path::{Path, PathBuf};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

/// Expands the given spec files into typed code tables. See the crate docs.
#[proc_macro]
pub fn code_tables(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

fn expand(input: TokenStream) -> syn::Result<proc_macro2::TokenStream> {
    let paths =
        syn::parse::Parser::parse(Punctuated::<LitStr, Token![,]>::parse_terminated, input)?;
    let mut specs = Vec::with_capacity(paths.len());
    for literal in &paths {
        let path = resolve(&literal.value());
        let shown = literal.value();
        let source = std::fs::read_to_string(&path).map_err(|error| {
            syn::Error::new(
                literal.span(),
                format!("{shown}: cannot read spec file: {error}"),
            )
        })?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let spec = parse::parse(&source, stem)
            .map_err(|error| syn::Error::new(literal.span(), format!("{shown}:{error}")))?;
        specs.push(generate::SpecFile { path, spec });
    }
    parse::check_links(specs.iter().map(|file| &file.spec)).map_err(|(index, message)| {
        let literal = paths.iter().nth(index);
        let span = literal.map_or_else(proc_macro2::Span::call_site, LitStr::span);
        let shown = literal.map(LitStr::value).unwrap_or_default();
        let line = specs.get(index).map_or(1, |file| file.spec.header_line);
        syn::Error::new(span, format!("{shown}:{line}: {message}"))
    })?;
    Ok(generate::generate(&specs))
}

/// Resolves `relative` against the directory of the invoking source file, as
/// `include_str!` does, falling back to `CARGO_MANIFEST_DIR`.
fn resolve(relative: &str) -> PathBuf {
    let relative = Path::new(relative);
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    let base = proc_macro::Span::call_site()
        .local_file()
        .and_then(|file| file.parent().map(Path::to_path_buf))
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
        .unwrap_or_default();
    let joined = base.join(relative);
    joined.canonicalize().unwrap_or(joined)
}
