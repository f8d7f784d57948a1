//! A spec file with a problem must fail to compile, naming file:line.
ptp_macros::code_tables!("bad_type.spec");

fn main() {}
