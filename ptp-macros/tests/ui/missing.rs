//! A spec file that does not exist.
ptp_macros::code_tables!("missing.spec");

fn main() {}
