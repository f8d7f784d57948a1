//! Step `panic-check`: proof at link time that no panic path of ptp-core
//! survives optimisation, on the Cortex-M4 target.
//!
//! The crate `firmware/panic-check` (its own workspace) calls every public
//! parse, emit and engine entry point of ptp-core on inputs the optimiser
//! cannot see; its panic handler calls a symbol defined nowhere
//! ([`PANIC_SYMBOL`]). Checks:
//! - `panic_check` links with opt-level `s` (`release`) and 3
//!   (`release-o3`), LTO on: no panic is reachable;
//! - the control `keeps_panic`, which keeps a slice-index panic on purpose,
//!   fails to link and the linker names [`PANIC_SYMBOL`]: the check can
//!   fail, so its passing means something;
//! - rustfmt's check of the crate (the `lint` step does not see it).
//!
//! When `panic_check` fails to link, it is built again with the `locate`
//! feature (a panic handler that links) and debug info, and every call to a
//! `core::panicking` or `*_fail` function in it is listed with its inlined
//! source lines (`llvm-objdump`, `llvm-addr2line`, when installed).

use super::mcu::MACHINES;
use crate::context::Context;
use crate::report::{Outcome, Report};
use crate::shell::{Cmd, which};
use crate::toolchain::{self, Route};
use std::path::{Path, PathBuf};

/// The crate, relative to the workspace root.
const CRATE: &str = "firmware/panic-check";
/// The symbol the panic handler references; a surviving panic makes the
/// linker look for it.
const PANIC_SYMBOL: &str = "ptp_core_panic_path_survived_optimisation";
/// The profiles `panic_check` must link with.
const PROFILES: [&str; 2] = ["release", "release-o3"];

/// The link checks, the control and the format check.
pub fn run(context: &mut Context, report: &mut Report) {
    let target = MACHINES
        .last()
        .map_or("thumbv7em-none-eabihf", |machine| machine.target);
    let crate_dir = context.root.join(CRATE);
    report.check("panic-check", "rustfmt (panic-check crate)", |_| {
        if !context.cargo(["fmt", "--version"]).succeeds() {
            return context.missing("rustfmt", "rustup component add rustfmt");
        }
        match context.cargo(["fmt", "--check"]).cwd(&crate_dir).run() {
            Ok(()) => Outcome::Pass,
            Err(error) => Outcome::Fail(error),
        }
    });
    let build = match builder(context, target) {
        Ok(build) => build,
        Err(outcome) => {
            report.check("panic-check", "link", |_| outcome);
            return;
        }
    };
    for profile in PROFILES {
        report.check(
            "panic-check",
            format!("no panic path ({profile})"),
            |notes| {
                let output = match build.binary(profile, "panic_check", false).output() {
                    Ok(output) => output,
                    Err(error) => return Outcome::Fail(error),
                };
                if output.status.success() {
                    notes.push(format!(
                        "panic_check linked for {target} ({profile}): every ptp-core entry point \
                     it calls is free of panics"
                    ));
                    return Outcome::Pass;
                }
                let stderr = String::from_utf8_lossy(&output.stderr);
                let mut why = format!(
                    "`{}` did not link:\n{}",
                    build.binary(profile, "panic_check", false),
                    linker_lines(&stderr)
                );
                if stderr.contains(PANIC_SYMBOL) {
                    why.push_str(&locate(&build, profile));
                }
                Outcome::Fail(why)
            },
        );
    }
    report.check("panic-check", "control: a kept panic fails the link", |notes| {
        let cmd = build.binary("release", "keeps_panic", false);
        let output = match cmd.output() {
            Ok(output) => output,
            Err(error) => return Outcome::Fail(error),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() && stderr.contains(&format!("undefined symbol: {PANIC_SYMBOL}")) {
            notes.push(format!("keeps_panic: {}", linker_lines(&stderr).trim()));
            Outcome::Pass
        } else {
            Outcome::Fail(format!(
                "`{cmd}` must fail to link with `undefined symbol: {PANIC_SYMBOL}`, but it {}:\n{}",
                if output.status.success() { "linked" } else { "failed otherwise" },
                stderr
            ))
        }
    });
}

/// Builds one binary of the crate for the target, on the route decided for it.
struct Builder {
    crate_dir: PathBuf,
    target: String,
    target_dir: PathBuf,
    route: Route,
    linker: Option<PathBuf>,
    cargo: Cmd,
}

impl Builder {
    /// `cargo build --profile P --bin B` (with `locate`: the diagnostic
    /// build, with debug info).
    fn binary(&self, profile: &str, bin: &str, locate: bool) -> Cmd {
        let mut cmd = self
            .cargo
            .clone()
            .args(["build", "--profile", profile, "--bin", bin, "--target"])
            .arg(&self.target)
            .arg("--target-dir")
            .arg(
                self.target_dir
                    .join(if locate { "locate" } else { "check" }),
            )
            .cwd(&self.crate_dir);
        if locate {
            let key = format!(
                "CARGO_PROFILE_{}_DEBUG",
                profile.to_uppercase().replace('-', "_")
            );
            cmd = cmd.args(["--features", "locate"]).env(key, "2");
        }
        if let Some(linker) = &self.linker {
            let key = format!(
                "CARGO_TARGET_{}_LINKER",
                self.target.to_uppercase().replace(['-', '.'], "_")
            );
            cmd = cmd.env(key, linker);
        }
        self.route.apply(cmd)
    }

    fn elf(&self, profile: &str, bin: &str) -> PathBuf {
        self.target_dir
            .join("locate")
            .join(&self.target)
            .join(profile)
            .join(bin)
    }
}

fn builder(context: &mut Context, target: &str) -> Result<Builder, Outcome> {
    let route = context
        .toolchains
        .route(target)
        .map_err(|missing| context.missing(&missing.what, &missing.install))?;
    let linker = match route {
        Route::Rustup => None,
        Route::DebianBuildStd { .. } => Some(
            toolchain::lld().map_err(|missing| context.missing(&missing.what, &missing.install))?,
        ),
    };
    Ok(Builder {
        crate_dir: context.root.join(CRATE),
        target: target.to_owned(),
        target_dir: route.target_dir(context.target_dir("panic-check")),
        route,
        linker,
        cargo: context.cargo(std::iter::empty::<&str>()),
    })
}

/// The linker's own lines from a failed build.
fn linker_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| line.contains("rust-lld:") || line.contains(">>>"))
        .map(|line| format!("  {}\n", line.trim_start_matches([' ', '=']).trim()))
        .collect()
}

/// Lists the panic calls left in the `locate` build, with source lines.
fn locate(build: &Builder, profile: &str) -> String {
    let (Some(objdump), Some(addr2line)) = (which("llvm-objdump"), which("llvm-addr2line")) else {
        return "\n(install llvm (llvm-objdump, llvm-addr2line) to have the panic calls listed, \
                or build with `--features locate` and look for calls to core::panicking)\n"
            .to_owned();
    };
    if let Err(error) = build.binary(profile, "panic_check", true).run() {
        return format!("\nthe diagnostic build failed too: {error}\n");
    }
    let elf = build.elf(profile, "panic_check");
    match panic_calls(&objdump, &addr2line, &elf) {
        Ok(calls) if calls.is_empty() => {
            "\nno call to a panic function found in the diagnostic build\n".to_owned()
        }
        Ok(calls) => format!("\npanic calls left (innermost frame first):\n{calls}"),
        Err(error) => format!("\ncould not list the panic calls: {error}\n"),
    }
}

/// Every call to a panic function in `elf`, with the ptp-core and
/// panic-check frames it was inlined from.
fn panic_calls(objdump: &Path, addr2line: &Path, elf: &Path) -> Result<String, String> {
    let disassembly = Cmd::new(objdump)
        .args(["-d", "--no-show-raw-insn", "-C"])
        .arg(elf)
        .output()?;
    let text = String::from_utf8_lossy(&disassembly.stdout);
    let mut out = String::new();
    for line in text.lines() {
        let Some((address, call)) = line.trim().split_once(':') else {
            continue;
        };
        let is_call = call.trim_start().starts_with("bl") || call.trim_start().starts_with("b.w");
        if !is_call || !is_panic_function(call) {
            continue;
        }
        let frames = Cmd::new(addr2line)
            .args(["-f", "-i", "-C", "-e"])
            .arg(elf)
            .arg(format!("0x{address}"))
            .output()?;
        let frames = String::from_utf8_lossy(&frames.stdout);
        let lines: Vec<&str> = frames.lines().collect();
        out.push_str(&format!("  {}\n", call.trim()));
        for pair in lines.chunks(2) {
            if let [function, place] = pair
                && (place.contains("ptp-core") || place.contains("panic-check"))
            {
                out.push_str(&format!("      {function} at {place}\n"));
            }
        }
    }
    Ok(out)
}

/// Whether a disassembled call targets a panic function of `core`.
fn is_panic_function(call: &str) -> bool {
    let Some(target) = call.split_once('<').map(|(_, target)| target) else {
        return false;
    };
    target.starts_with("core::panicking::")
        || (target.starts_with("core::") && target.contains("fail"))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn panic_calls_are_told_from_other_calls() {
        assert!(is_panic_function(
            "bl\t0x52696 <core::slice::copy_from_slice_impl::len_mismatch_fail> @ imm = #-31218"
        ));
        assert!(is_panic_function(
            "bl\t0x523ec <core::panicking::panic_fmt> @ imm = #-690"
        ));
        assert!(!is_panic_function(
            "bl\t0x57084 <ptp_core::responder::Responder::receive::h98a6>"
        ));
        assert!(!is_panic_function("bl\t0x57084"));
    }

    #[test]
    fn linker_lines_keep_the_symbol_and_its_reference() {
        let stderr = "error: linking with `rust-lld` failed: exit status: 1\n  \
            = note: rust-lld: error: undefined symbol: ptp_core_panic_path_survived_optimisation\n          \
            >>> referenced by keeps_panic.cgu.0\n\nerror: could not compile\n";
        assert_eq!(
            linker_lines(stderr),
            "  note: rust-lld: error: undefined symbol: \
             ptp_core_panic_path_survived_optimisation\n  >>> referenced by keeps_panic.cgu.0\n"
        );
    }
}
