//! `ptpctl`: see the library's docs for the commands and exit codes.

fn main() -> std::process::ExitCode {
    ptpctl::main()
}
