//! What every step needs: where the project is, whether this is CI, how to
//! call Cargo, and what to do about a missing tool.

use crate::report::Outcome;
use crate::shell::Cmd;
use crate::toolchain::Toolchains;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Shared state of one `cargo xtask` run.
#[derive(Debug)]
pub struct Context {
    /// The workspace root (the parent of `xtask/`).
    pub root: PathBuf,
    /// Whether `CI` is set (to anything but empty, `0` or `false`): then a
    /// missing tool fails its check instead of skipping it.
    pub ci: bool,
    /// The Cargo that runs the xtask (`$CARGO`), so every build uses the
    /// same toolchain.
    cargo: OsString,
    /// How each cross target is built, decided on first use.
    pub toolchains: Toolchains,
}

impl Context {
    /// The context for this process: root from `CARGO_MANIFEST_DIR`, CI and
    /// Cargo from the environment.
    pub fn from_env() -> Context {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf();
        let ci = std::env::var("CI")
            .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false" | "FALSE" | "False"));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Context {
            toolchains: Toolchains::new(root.clone()),
            root,
            ci,
            cargo,
        }
    }

    /// `cargo` with `args`, run in the workspace root.
    pub fn cargo<I>(&self, args: I) -> Cmd
    where
        I: IntoIterator,
        I::Item: AsRef<std::ffi::OsStr>,
    {
        Cmd::new(&self.cargo).args(args).cwd(&self.root)
    }

    /// A path under the workspace's `target/` directory.
    pub fn target_dir(&self, name: &str) -> PathBuf {
        self.root.join("target").join(name)
    }

    /// The outcome for a check that cannot run because `what` is missing:
    /// a failure under CI, a loud skip otherwise. `install` says how to get it.
    pub fn missing(&self, what: &str, install: &str) -> Outcome {
        let text = format!("{what} is missing; install it with: {install}");
        if self.ci {
            Outcome::Fail(format!("{text} (CI=true: a missing tool is a failure)"))
        } else {
            Outcome::Skip(text)
        }
    }
}
