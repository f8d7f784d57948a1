//! The boards `cargo xtask firmware` builds. A board is one row here and
//! one file per firmware in its chip crate's `src/bin/` (named
//! `BOARD-FIRMWARE.rs`), next to a `BOARD-skeleton.rs` (bare embassy-usb
//! device) that each firmware is measured against; a USB-host firmware
//! (`BOARD-trigger.rs`) is measured against `BOARD-host-skeleton.rs`
//! (bare embassy-usb-host) when the board has one.

/// A board: which crate holds its firmware and how to build and flash it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Board {
    /// The name on the command line, and the prefix of its binaries.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// The chip crate in `firmware/` holding its binaries.
    pub package: &'static str,
    /// The Rust target.
    pub target: &'static str,
    /// probe-rs's name for the chip.
    pub probe_rs_chip: &'static str,
    /// The UF2 family id, for boards flashed by drag-and-drop.
    pub uf2_family: Option<u32>,
}

impl Board {
    /// The baseline binary: bare embassy-usb with an empty 06/01/01 interface.
    pub fn skeleton(&self) -> String {
        format!("{}-skeleton", self.name)
    }

    /// The baseline `binary` is measured against (`None` for a baseline).
    pub fn baseline_of(&self, binary: &str, binaries: &[&str]) -> Option<String> {
        let device = self.skeleton();
        let host = format!("{}-host-skeleton", self.name);
        if binary == device || binary == host {
            return None;
        }
        if binary.ends_with("-trigger") && binaries.contains(&host.as_str()) {
            return Some(host);
        }
        Some(device)
    }

    /// Whether `binary` is one of this board's.
    pub fn owns(&self, binary: &str) -> bool {
        binary
            .strip_prefix(self.name)
            .is_some_and(|rest| rest.starts_with('-'))
    }
}

/// Every board.
pub const BOARDS: [Board; 2] = [
    Board {
        name: "blackpill",
        description: "STM32F411 Black Pill (device, USB-host trigger)",
        package: "board-stm32f411",
        target: "thumbv7em-none-eabihf",
        probe_rs_chip: "STM32F411CEUx",
        uf2_family: None,
    },
    Board {
        name: "pico",
        description: "RP2040 Raspberry Pi Pico (device)",
        package: "board-rp2040",
        target: "thumbv6m-none-eabi",
        probe_rs_chip: "RP2040",
        uf2_family: Some(super::uf2::RP2040_FAMILY),
    },
];

/// The boards `--board NAME` selects (all without it), or the error text.
pub fn select(name: Option<&str>) -> Result<Vec<Board>, String> {
    match name {
        None => Ok(BOARDS.to_vec()),
        Some(name) => BOARDS
            .iter()
            .find(|board| board.name == name)
            .map(|board| vec![*board])
            .ok_or_else(|| {
                let names: Vec<&str> = BOARDS.iter().map(|board| board.name).collect();
                format!("unknown board `{name}`; boards are: {}", names.join(", "))
            }),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn selects_by_name_and_owns_its_binaries() {
        assert_eq!(select(None).map(|b| b.len()), Ok(BOARDS.len()));
        assert_eq!(
            select(Some("pico")).map(|b| b[0].target),
            Ok("thumbv6m-none-eabi")
        );
        assert!(select(Some("uno")).unwrap_or_default().is_empty());
        let blackpill = BOARDS[0];
        assert!(blackpill.owns("blackpill-device"));
        assert!(!blackpill.owns("blackpillx-device"));
        assert!(!blackpill.owns("pico-device"));
        assert_eq!(blackpill.skeleton(), "blackpill-skeleton");
        let all = [
            "blackpill-device",
            "blackpill-skeleton",
            "blackpill-host-skeleton",
        ];
        let baseline = |binary| blackpill.baseline_of(binary, &all);
        assert_eq!(
            baseline("blackpill-device").as_deref(),
            Some("blackpill-skeleton")
        );
        assert_eq!(
            baseline("blackpill-trigger").as_deref(),
            Some("blackpill-host-skeleton")
        );
        assert_eq!(baseline("blackpill-host-skeleton"), None);
        assert_eq!(baseline("blackpill-skeleton"), None);
        let pico = BOARDS[1];
        assert_eq!(
            pico.baseline_of("pico-trigger", &["pico-skeleton"])
                .as_deref(),
            Some("pico-skeleton")
        );
    }
}
