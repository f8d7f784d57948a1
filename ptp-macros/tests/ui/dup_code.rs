//! A spec file with a problem must fail to compile, naming file:line.
ptp_macros::code_tables!("dup_code.spec");

fn main() {}
