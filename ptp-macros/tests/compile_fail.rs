//! Malformed spec data must be a compile error that names `file:line`.

#[test]
fn malformed_spec_files_are_compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
