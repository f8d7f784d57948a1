//! `cargo xtask flash --board B [--bin NAME]`: builds the board's firmware
//! and flashes one image (default `B-device`) with probe-rs, which also
//! shows its defmt log. Without probe-rs it says so, how to install it,
//! and, for boards that take one, where the UF2 for drag-and-drop is.

use super::{Built, boards};
use crate::context::Context;
use crate::shell::{Cmd, which};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask flash --board NAME [--bin BINARY]";
const INSTALL: &str = "cargo install probe-rs-tools --locked";

/// Runs the command.
pub fn main(args: &[String]) -> ExitCode {
    let (board, binary) = match args {
        [flag, board] if flag == "--board" => (board.as_str(), None),
        [flag, board, bin, binary] if flag == "--board" && bin == "--bin" => {
            (board.as_str(), Some(binary.as_str()))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let board = match boards::select(Some(board)) {
        Ok(boards) => match boards.first() {
            Some(board) => *board,
            None => return ExitCode::from(2),
        },
        Err(error) => {
            eprintln!("xtask flash: {error}");
            return ExitCode::from(2);
        }
    };
    let binary = binary.map_or_else(|| format!("{}-device", board.name), str::to_owned);
    let mut context = Context::from_env();
    let built = match super::build(&mut context, board) {
        Ok(built) => built,
        Err(error) => {
            eprintln!("xtask flash: build failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    match flash(&built, &binary) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask flash: {error}");
            ExitCode::FAILURE
        }
    }
}

fn flash(built: &Built, binary: &str) -> Result<(), String> {
    let image = built
        .images
        .iter()
        .find(|image| image.name == binary)
        .ok_or_else(|| {
            let names: Vec<&str> = built.images.iter().map(|i| i.name.as_str()).collect();
            format!(
                "no binary `{binary}`; {} has: {}",
                built.board.name,
                names.join(", ")
            )
        })?;
    let Some(probe_rs) = which("probe-rs") else {
        let mut text = format!(
            "probe-rs is NOT installed, so nothing was flashed. Install it with: {INSTALL}\n\
             The image is built: {}",
            image.elf.display()
        );
        if let Some(uf2) = &image.uf2 {
            text.push_str(&format!(
                "\nOr hold BOOTSEL while plugging the board in and copy {} to the drive it shows.",
                uf2.display()
            ));
        }
        return Err(text);
    };
    Cmd::new(probe_rs)
        .args(["run", "--chip", built.board.probe_rs_chip])
        .arg(&image.elf)
        .run()
}
