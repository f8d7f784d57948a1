//! Step `no-std`: ptp-core builds for bare-metal targets and needs neither
//! `std` nor `alloc`.
//!
//! For each target, `cargo build -p ptp-core --release --target T` runs
//! with the default features, with `--features defmt`, and with
//! `--no-default-features` (USB framing only, as USB firmware builds it). That a crate builds for a `*-none-*`
//! target already shows that nothing in its dependency graph uses `std`: those
//! targets have no `std`. It does not show the absence of `alloc`, which
//! rustup ships for them, so a second build proves it.
//!
//! # How the absence of `alloc` is proven
//! The proof build runs the same command with `--sysroot` pointing at a
//! sysroot made here (`target/no-alloc/sysroot`) whose library directory for
//! `T` holds only `libcore` and `libcompiler_builtins`, linked from the real
//! one. Any crate in ptp-core's graph that says `extern crate alloc` (or
//! `std`), directly or through a dependency, then fails to compile with
//! "can't find crate for `alloc`". Unlike reading `cargo tree` (which does not
//! list the sysroot crates) or scanning metadata for crate names, this is the
//! compiler's own answer and covers every dependency and feature combination
//! built. Cargo applies `RUSTFLAGS` only to target crates when `--target` is
//! given, so build scripts and proc-macros still use the full host sysroot.
//!
//! Two controls keep the proof honest: a `#![no_std]` crate must compile
//! against the reduced sysroot, and one with `extern crate alloc;` must fail
//! with exactly that error; otherwise the check fails.
//!
//! On the Debian route (`-Zbuild-std=core`) the build itself is the proof:
//! only `core` and `compiler_builtins` are built, and Debian ships no prebuilt
//! libraries for these targets.

use crate::context::Context;
use crate::report::{Outcome, Report};
use crate::shell::Cmd;
use crate::toolchain::{self, Route};
use std::fs;
use std::path::{Path, PathBuf};

/// The bare-metal targets ptp-core must build for.
pub const TARGETS: [&str; 4] = [
    "thumbv6m-none-eabi",
    "thumbv7em-none-eabihf",
    "thumbv8m.main-none-eabihf",
    "riscv32imac-unknown-none-elf",
];

/// The feature arguments of each build for a target.
const FEATURES: [&[&str]; 3] = [&[], &["--features", "defmt"], &["--no-default-features"]];

/// Builds ptp-core for every target in [`TARGETS`].
pub fn run(context: &mut Context, report: &mut Report) {
    for target in TARGETS {
        report.check("no-std", target, |notes| {
            check_target(context, target, notes)
        });
    }
}

fn check_target(context: &mut Context, target: &str, notes: &mut Vec<String>) -> Outcome {
    let route = match context.toolchains.route(target) {
        Ok(route) => route,
        Err(missing) => return context.missing(&missing.what, &missing.install),
    };
    notes.push(format!("route: {route}"));
    let mut errors = Vec::new();
    for features in FEATURES {
        let cmd = route.apply(
            build(context, target, features)
                .arg("--target-dir")
                .arg(route.target_dir(context.root.join("target"))),
        );
        if let Err(error) = cmd.run() {
            errors.push(error);
        }
    }
    match route {
        Route::Rustup => match prove_no_alloc(context, target) {
            Ok(proof) => notes.push(proof),
            Err(error) => errors.push(error),
        },
        Route::DebianBuildStd { .. } => notes.push(
            "no std/alloc: -Zbuild-std=core built only core and compiler_builtins".to_owned(),
        ),
    }
    Outcome::from_errors(errors)
}

/// `cargo build -p ptp-core --release --target T FEATURES...`.
fn build(context: &Context, target: &str, features: &[&str]) -> Cmd {
    context
        .cargo(["build", "-p", "ptp-core", "--release", "--target", target])
        .args(features.iter().copied())
}

/// Builds ptp-core against a sysroot that has only `core` (see the module
/// docs); returns a note saying what was proven.
fn prove_no_alloc(context: &Context, target: &str) -> Result<String, String> {
    let rustc = toolchain::rustc();
    let sysroot = core_only_sysroot(context, &rustc, target)?;
    controls(context, &rustc, &sysroot, target)?;
    let mut errors = Vec::new();
    for features in FEATURES {
        let cmd = build(context, target, features)
            .arg("--target-dir")
            .arg(context.target_dir("no-alloc"))
            .env(
                "CARGO_ENCODED_RUSTFLAGS",
                format!("--sysroot={}", sysroot.display()),
            );
        if let Err(error) = cmd.run() {
            errors.push(format!(
                "{error}\n(ptp-core or a dependency needs `alloc` or `std`: see the errors above)"
            ));
        }
    }
    if errors.is_empty() {
        Ok(
            "no std/alloc: built against a sysroot holding only core + compiler_builtins \
            (control: `extern crate alloc` fails there)"
                .to_owned(),
        )
    } else {
        Err(errors.join("\n"))
    }
}

/// Makes `target/no-alloc/sysroot` with only `core` and `compiler_builtins`
/// for `target`, linked (or copied) from `rustc`'s sysroot.
fn core_only_sysroot(context: &Context, rustc: &Path, target: &str) -> Result<PathBuf, String> {
    let real = toolchain::sysroot(rustc)?
        .join("lib/rustlib")
        .join(target)
        .join("lib");
    let sysroot = context.target_dir("no-alloc").join("sysroot");
    let lib = sysroot.join("lib/rustlib").join(target).join("lib");
    if lib.exists() {
        fs::remove_dir_all(&lib).map_err(|err| format!("cannot clear {}: {err}", lib.display()))?;
    }
    fs::create_dir_all(&lib).map_err(|err| format!("cannot create {}: {err}", lib.display()))?;
    let entries =
        fs::read_dir(&real).map_err(|err| format!("cannot list {}: {err}", real.display()))?;
    let mut kept = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot list {}: {err}", real.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("libcore-") || name.starts_with("libcompiler_builtins-") {
            link(&entry.path(), &lib.join(&*name))?;
            kept.push(name.into_owned());
        }
    }
    if !kept.iter().any(|name| name.starts_with("libcore-")) {
        return Err(format!("no libcore in {}", real.display()));
    }
    Ok(sysroot)
}

fn link(from: &Path, to: &Path) -> Result<(), String> {
    #[cfg(unix)]
    let linked = std::os::unix::fs::symlink(from, to);
    #[cfg(not(unix))]
    let linked = fs::copy(from, to).map(|_| ());
    linked.map_err(|err| format!("cannot link {} to {}: {err}", from.display(), to.display()))
}

/// A `#![no_std]` crate must build against `sysroot`, and one using `alloc`
/// must fail with "can't find crate for `alloc`".
fn controls(context: &Context, rustc: &Path, sysroot: &Path, target: &str) -> Result<(), String> {
    let out_dir = context.target_dir("no-alloc").join("controls").join(target);
    let probe = |source: &str| {
        Cmd::new(rustc)
            .args([
                "--crate-type=rlib",
                "--crate-name=control",
                "--edition=2021",
            ])
            .args(["--target", target, "--sysroot"])
            .arg(sysroot)
            .arg("--out-dir")
            .arg(&out_dir)
            .arg("-")
            .stdin(source)
            .output()
    };
    let plain = probe("#![no_std]\npub fn f(x: u32) -> u32 { x + 1 }\n")?;
    if !plain.status.success() {
        return Err(format!(
            "control failed: a plain #![no_std] crate does not build against {}:\n{}",
            sysroot.display(),
            String::from_utf8_lossy(&plain.stderr)
        ));
    }
    let with_alloc = probe("#![no_std]\nextern crate alloc;\n")?;
    let stderr = String::from_utf8_lossy(&with_alloc.stderr);
    if with_alloc.status.success() || !stderr.contains("can't find crate for `alloc`") {
        return Err(format!(
            "control failed: `extern crate alloc` did not fail as expected against {}:\n{stderr}",
            sysroot.display()
        ));
    }
    println!("controls: plain no_std builds, `extern crate alloc` is refused");
    Ok(())
}
