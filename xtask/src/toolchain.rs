//! How each cross target is built ("the route"), decided once per target:
//!
//! 1. rustup's toolchain, when `rustup target list --installed` has the
//!    target or `rustup target add` installs it now: the prebuilt `core` of
//!    the target's rust-std component;
//! 2. otherwise Debian's compiler (packages `rustc-web` and `rust-web-src`):
//!    `RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 cargo build -Zbuild-std=core`,
//!    which compiles `core` from source for the target. The Debian rustc can
//!    be another one with `PTP_XTASK_FALLBACK_RUSTC`.
//!
//! The route taken is printed and kept in the report's notes.

use crate::shell::{Cmd, which};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How to build for one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// rustup's toolchain and the target's prebuilt standard library.
    Rustup,
    /// A Debian rustc building `core` from its packaged source.
    DebianBuildStd {
        /// The Debian rustc.
        rustc: PathBuf,
    },
}

impl Route {
    /// Adds what the route needs to a `cargo build` command (which must not
    /// have a `--` argument list).
    pub fn apply(&self, cmd: Cmd) -> Cmd {
        match self {
            Route::Rustup => cmd,
            Route::DebianBuildStd { rustc } => cmd
                .env("RUSTC", rustc)
                .env("RUSTC_BOOTSTRAP", "1")
                .arg("-Zbuild-std=core"),
        }
    }

    /// The target directory for builds on this route: artifacts of two
    /// compilers are kept apart.
    pub fn target_dir(&self, base: PathBuf) -> PathBuf {
        match self {
            Route::Rustup => base,
            Route::DebianBuildStd { .. } => base.join("debian-rustc"),
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Rustup => f.write_str("rustup toolchain with the target's prebuilt core"),
            Route::DebianBuildStd { rustc } => write!(
                f,
                "Debian rustc {} with RUSTC_BOOTSTRAP=1 -Zbuild-std=core",
                rustc.display()
            ),
        }
    }
}

/// A tool that is not there, and how to install it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// What is missing.
    pub what: String,
    /// The command that installs it.
    pub install: String,
}

/// The routes decided so far.
#[derive(Debug)]
pub struct Toolchains {
    root: PathBuf,
    routes: BTreeMap<String, Result<Route, Missing>>,
}

impl Toolchains {
    /// No route decided yet; commands run in `root`.
    pub fn new(root: PathBuf) -> Self {
        Toolchains {
            root,
            routes: BTreeMap::new(),
        }
    }

    /// The route for `target`, deciding it (and installing the target with
    /// rustup if it can) on first use.
    pub fn route(&mut self, target: &str) -> Result<Route, Missing> {
        if let Some(route) = self.routes.get(target) {
            return route.clone();
        }
        let route = self.decide(target);
        match &route {
            Ok(route) => println!("route for {target}: {route}"),
            Err(missing) => println!("route for {target}: none ({})", missing.what),
        }
        self.routes.insert(target.to_owned(), route.clone());
        route
    }

    fn decide(&self, target: &str) -> Result<Route, Missing> {
        let rustup_error = match self.rustup_target(target) {
            Ok(()) => return Ok(Route::Rustup),
            Err(error) => error,
        };
        println!("{rustup_error}; trying the Debian rustc route");
        let rustc = std::env::var_os("PTP_XTASK_FALLBACK_RUSTC")
            .map_or_else(|| PathBuf::from("/usr/bin/rustc"), PathBuf::from);
        match debian_rust_src(&rustc) {
            Ok(()) => Ok(Route::DebianBuildStd { rustc }),
            Err(debian_error) => Err(Missing {
                what: format!("the {target} target ({rustup_error}; {debian_error})"),
                install: format!(
                    "rustup target add {target}   (or: apt-get install -y rustc-web rust-web-src)"
                ),
            }),
        }
    }

    /// Makes sure rustup has `target`, adding it if needed.
    fn rustup_target(&self, target: &str) -> Result<(), String> {
        if which("rustup").is_none() {
            return Err("rustup is not installed".to_owned());
        }
        let installed = Cmd::new("rustup")
            .args(["target", "list", "--installed"])
            .cwd(&self.root)
            .output()?;
        let listed = String::from_utf8_lossy(&installed.stdout)
            .lines()
            .any(|line| line.trim() == target);
        if installed.status.success() && listed {
            return Ok(());
        }
        Cmd::new("rustup")
            .args(["target", "add", target])
            .cwd(&self.root)
            .run()
            .map_err(|error| format!("rustup has no {target} and could not add it: {error}"))
    }
}

/// Checks that `rustc` runs and has the library source `-Zbuild-std` needs.
fn debian_rust_src(rustc: &Path) -> Result<(), String> {
    if !rustc.is_file() {
        return Err(format!("no Debian rustc at {}", rustc.display()));
    }
    let sysroot = sysroot(rustc)?;
    let core = sysroot.join("lib/rustlib/src/rust/library/core/Cargo.toml");
    if core.is_file() {
        Ok(())
    } else {
        Err(format!(
            "{} has no library source at {} (package rust-web-src)",
            rustc.display(),
            core.display()
        ))
    }
}

/// `rustc --print sysroot`.
pub fn sysroot(rustc: &Path) -> Result<PathBuf, String> {
    let cmd = Cmd::new(rustc).args(["--print", "sysroot"]);
    let output = cmd.output()?;
    if !output.status.success() {
        return Err(format!("`{cmd}` failed ({})", output.status));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// The rustc that Cargo runs: `$RUSTC`, else `rustc` from `PATH`.
pub fn rustc() -> PathBuf {
    std::env::var_os("RUSTC").map_or_else(|| PathBuf::from("rustc"), PathBuf::from)
}

/// The host triple of `rustc`.
pub fn host(rustc: &Path) -> Result<String, String> {
    let cmd = Cmd::new(rustc).arg("-vV");
    let output = cmd.output()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
        .ok_or_else(|| format!("`{cmd}` printed no host triple"))
}

/// A linker for bare-metal ARM on the Debian route: rustup's `rust-lld`,
/// else `rust-lld` or `ld.lld` from `PATH` (Debian package `lld`).
pub fn lld() -> Result<PathBuf, Missing> {
    let from_rustup = || -> Option<PathBuf> {
        let rustc = which("rustup").and_then(|_| {
            let output = Cmd::new("rustup").args(["which", "rustc"]).output().ok()?;
            output
                .status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
        })?;
        let host = host(&rustc).ok()?;
        let lld = sysroot(&rustc)
            .ok()?
            .join("lib/rustlib")
            .join(host)
            .join("bin/rust-lld");
        lld.is_file().then_some(lld)
    };
    from_rustup()
        .or_else(|| which("rust-lld"))
        .or_else(|| which("ld.lld"))
        .ok_or_else(|| Missing {
            what: "a linker for bare-metal ARM (rust-lld or ld.lld)".to_owned(),
            install: "apt-get install -y lld".to_owned(),
        })
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn debian_route_builds_core_from_source_in_its_own_directory() {
        let route = Route::DebianBuildStd {
            rustc: PathBuf::from("/usr/bin/rustc"),
        };
        let cmd = route.apply(Cmd::new("cargo").args(["build", "--target", "thumbv6m-none-eabi"]));
        assert_eq!(
            cmd.to_string(),
            "RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 cargo build --target thumbv6m-none-eabi \
             -Zbuild-std=core"
        );
        assert_eq!(
            route.target_dir(PathBuf::from("/p/target/mcu")),
            PathBuf::from("/p/target/mcu/debian-rustc")
        );
        let rustup = Route::Rustup;
        assert_eq!(rustup.apply(Cmd::new("cargo")).to_string(), "cargo");
        assert_eq!(
            rustup.target_dir(PathBuf::from("/p/target/mcu")),
            PathBuf::from("/p/target/mcu")
        );
    }
}
