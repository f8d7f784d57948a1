//! `ptpctl`: the command-line initiator (and `ptpctl serve`, the virtual camera).

fn main() {}
