//! `cargo xtask firmware [--board B]`: builds every firmware of the boards
//! (release, into `target/firmware`, one Cargo run per board), writes a UF2
//! next to each RP2040 image, and prints what each costs in flash and
//! static RAM next to the same board's bare embassy-usb skeleton, built in
//! the same run.
//!
//! Flash is every allocated section with contents (vector table, text,
//! rodata, data's initial values, boot2); static RAM every writable one
//! (data, bss, uninit), read from the ELF section headers. The size budget
//! of the PTP layers (12 KiB flash, 2 KiB static RAM over the skeleton) is
//! reported, not enforced.
//!
//! `cargo xtask flash --board B [--bin NAME]` is in [`flash`].

mod boards;
mod elf;
pub mod flash;
mod uf2;

pub use boards::{BOARDS, Board};

use crate::context::Context;
use crate::json::Json;
use elf::{Elf, Sizes};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The firmware workspace, relative to the project root.
pub const FIRMWARE_DIR: &str = "firmware";
/// Flash the PTP layers may add over the skeleton.
pub const FLASH_BUDGET: u64 = 12 * 1024;
/// Static RAM the PTP layers may add over the skeleton.
pub const RAM_BUDGET: u64 = 2 * 1024;

/// One built firmware image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// The binary's name (`pico-device`).
    pub name: String,
    /// The ELF.
    pub elf: PathBuf,
    /// Its sizes.
    pub sizes: Sizes,
    /// The UF2 written next to it, if the board takes one.
    pub uf2: Option<PathBuf>,
}

/// A board's images, the skeleton among them.
#[derive(Clone, Debug)]
pub struct Built {
    /// The board.
    pub board: Board,
    /// Its images, by name.
    pub images: Vec<Image>,
}

impl Built {
    fn skeleton(&self) -> Option<&Image> {
        let name = self.board.skeleton();
        self.images.iter().find(|image| image.name == name)
    }
}

/// Runs the command.
pub fn main(args: &[String]) -> ExitCode {
    let board = match args {
        [] => None,
        [flag, name] if flag == "--board" => Some(name.as_str()),
        _ => {
            eprintln!("usage: cargo xtask firmware [--board NAME]");
            return ExitCode::from(2);
        }
    };
    let boards = match boards::select(board) {
        Ok(boards) => boards,
        Err(error) => {
            eprintln!("xtask firmware: {error}");
            return ExitCode::from(2);
        }
    };
    let mut context = Context::from_env();
    let mut built = Vec::new();
    let mut failed = false;
    for board in boards {
        match build(&mut context, board) {
            Ok(board) => built.push(board),
            Err(error) => {
                eprintln!("xtask firmware: {}: {error}", board.name);
                failed = true;
            }
        }
    }
    print!("{}", table(&built));
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Where the firmware builds go for `target` on the route in use.
fn target_dir(context: &mut Context, target: &str) -> Result<PathBuf, String> {
    let route = context
        .toolchains
        .route(target)
        .map_err(|missing| format!("{} (install: {})", missing.what, missing.install))?;
    Ok(route.target_dir(context.target_dir("firmware")))
}

/// Builds every binary of `board` (release) and measures them.
pub fn build(context: &mut Context, board: Board) -> Result<Built, String> {
    let route = context
        .toolchains
        .route(board.target)
        .map_err(|missing| format!("{} (install: {})", missing.what, missing.install))?;
    let target_dir = target_dir(context, board.target)?;
    let cmd = context
        .cargo(["build", "--release", "--bins", "-p", board.package])
        .args([
            "--target",
            board.target,
            "--message-format=json-render-diagnostics",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .cwd(context.root.join(FIRMWARE_DIR));
    let messages = route.apply(cmd).stdout()?;
    let mut images = Vec::new();
    for (name, path) in executables(&messages)? {
        if !board.owns(&name) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let elf = Elf::parse(&bytes).map_err(|err| format!("{}: {err}", path.display()))?;
        let sizes = elf
            .sizes()
            .map_err(|err| format!("{}: {err}", path.display()))?;
        let uf2 = match board.uf2_family {
            Some(family) => Some(write_uf2(&elf, family, &path)?),
            None => None,
        };
        images.push(Image {
            name,
            elf: path,
            sizes,
            uf2,
        });
    }
    images.sort_by(|a, b| a.name.cmp(&b.name));
    let built = Built { board, images };
    if built.skeleton().is_none() {
        return Err(format!("the build produced no {}", board.skeleton()));
    }
    Ok(built)
}

/// Writes `ELF.uf2` next to the ELF.
fn write_uf2(elf: &Elf<'_>, family: u32, path: &Path) -> Result<PathBuf, String> {
    let segments = elf
        .load_segments()
        .map_err(|err| format!("{}: {err}", path.display()))?;
    let out = path.with_extension("uf2");
    std::fs::write(&out, uf2::convert(&segments, family))
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    Ok(out)
}

/// The (name, path) of each executable in Cargo's JSON messages.
fn executables(messages: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let mut found = Vec::new();
    for line in messages.lines().filter(|line| line.starts_with('{')) {
        let message = Json::parse(line).map_err(|error| format!("bad Cargo message: {error}"))?;
        if message.get("reason").and_then(Json::as_str) != Some("compiler-artifact") {
            continue;
        }
        let path = message.get("executable").and_then(Json::as_str);
        let name = message
            .get("target")
            .and_then(|target| target.get("name"))
            .and_then(Json::as_str);
        if let (Some(path), Some(name)) = (path, name) {
            found.push((name.to_owned(), PathBuf::from(path)));
        }
    }
    Ok(found)
}

/// Bytes as `12,345 B`.
fn bytes(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out + " B"
}

/// A signed difference as `+1,234 B`.
fn delta(value: u64, base: u64) -> String {
    match value.checked_sub(base) {
        Some(more) => format!("+{}", bytes(more)),
        None => format!("-{}", bytes(base - value)),
    }
}

/// The size table: each image with its difference from its baseline (the
/// board's skeleton; see [`Board::baseline_of`]), and whether the PTP
/// layers fit the budget.
pub fn table(built: &[Built]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n| board | firmware | flash | static RAM | flash over baseline | RAM over baseline | baseline |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    let mut verdicts = Vec::new();
    for board in built {
        let names: Vec<&str> = board.images.iter().map(|i| i.name.as_str()).collect();
        for image in &board.images {
            let baseline = board
                .board
                .baseline_of(&image.name, &names)
                .and_then(|name| board.images.iter().find(|i| i.name == name));
            let Some(baseline) = baseline else {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | | | (baseline) |",
                    board.board.name,
                    image.name,
                    bytes(image.sizes.flash),
                    bytes(image.sizes.static_ram),
                );
                continue;
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                board.board.name,
                image.name,
                bytes(image.sizes.flash),
                bytes(image.sizes.static_ram),
                delta(image.sizes.flash, baseline.sizes.flash),
                delta(image.sizes.static_ram, baseline.sizes.static_ram),
                baseline.name
            );
            let flash = image.sizes.flash.saturating_sub(baseline.sizes.flash);
            let ram = image
                .sizes
                .static_ram
                .saturating_sub(baseline.sizes.static_ram);
            let fits = flash <= FLASH_BUDGET && ram <= RAM_BUDGET;
            verdicts.push(format!(
                "{}: {} ({} flash of {}, {} RAM of {})",
                image.name,
                if fits { "within budget" } else { "OVER BUDGET" },
                bytes(flash),
                bytes(FLASH_BUDGET),
                bytes(ram),
                bytes(RAM_BUDGET)
            ));
        }
    }
    let _ = writeln!(
        out,
        "\nbudget of the PTP layers over the baseline (reported, not enforced):"
    );
    for verdict in verdicts {
        let _ = writeln!(out, "  {verdict}");
    }
    for image in built.iter().flat_map(|board| &board.images) {
        if let Some(uf2) = &image.uf2 {
            let _ = writeln!(out, "UF2: {}", uf2.display());
        }
    }
    out
}

#[cfg(test)]
mod test {
    use super::*;

    fn image(name: &str, flash: u64, static_ram: u64) -> Image {
        Image {
            name: name.to_owned(),
            elf: PathBuf::from(name),
            sizes: Sizes { flash, static_ram },
            uf2: None,
        }
    }

    #[test]
    fn table_compares_with_the_skeleton_and_judges_the_budget() {
        let built = [Built {
            board: BOARDS[0],
            images: vec![
                image("blackpill-device", 40_000, 5_000),
                image("blackpill-skeleton", 27_000, 3_500),
                image("blackpill-trigger", 60_000, 9_000),
                image("blackpill-host-skeleton", 50_000, 8_000),
            ],
        }];
        let text = table(&built);
        assert!(
            text.contains(
                "| blackpill | blackpill-device | 40,000 B | 5,000 B | +13,000 B | +1,500 B |"
            ),
            "{text}"
        );
        assert!(text.contains("| blackpill-skeleton | 27,000 B | 3,500 B | | | (baseline) |"));
        assert!(text.contains("blackpill-device: OVER BUDGET (13,000 B flash of 12,288 B"));
        assert!(
            text.contains("| +10,000 B | +1,000 B | blackpill-host-skeleton |"),
            "{text}"
        );
        assert!(text.contains("blackpill-trigger: within budget"));
        let small = [Built {
            board: BOARDS[1],
            images: vec![
                image("pico-device", 30_000, 4_000),
                image("pico-skeleton", 20_000, 3_000),
            ],
        }];
        assert!(table(&small).contains("pico-device: within budget"));
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_000), "1,000 B");
        assert_eq!(bytes(1_234_567), "1,234,567 B");
        assert_eq!(delta(5, 7), "-2 B");
    }
}
