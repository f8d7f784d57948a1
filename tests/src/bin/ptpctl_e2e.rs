//! `ptpctl` itself, built inside this package so the `ptpctl_*` tests can
//! run it as a process (`env!("CARGO_BIN_EXE_ptpctl-e2e")`).

fn main() -> std::process::ExitCode {
    ptpctl::main()
}
