//! Running `ptpctl` (the `ptpctl-e2e` build of it) as a process against a
//! virtual camera, with its own config directory (the PTP/IP GUID).

use ptp_e2e::camera::TestCamera;
use ptp_e2e::temp::TempDir;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The program under test.
pub const PTPCTL: &str = env!("CARGO_BIN_EXE_ptpctl-e2e");

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}):\n{}\n{}", self.stdout, self.stderr))
    }

    /// Asserts success.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "ptpctl failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A `ptpctl` command with its own config directory.
pub fn command(config: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(PTPCTL);
    command
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    command
}

/// Runs `ptpctl --ip CAMERA ARGS...`.
pub fn run(camera: &TestCamera, config: &TempDir, args: &[&str]) -> Run {
    let ip = camera.addr().to_string();
    let mut all = vec!["--ip", ip.as_str()];
    all.extend_from_slice(args);
    command(config.path(), &all)
        .output()
        .expect("run ptpctl")
        .into()
}
