//! The real `gphoto2` (Debian package `gphoto2`) as a PTP/IP client: each
//! test gets its own HOME (gphoto2 keeps a GUID and settings there) and
//! talks to `ptpip:127.0.0.1:P:P` (command and event connection on the
//! same port; gphoto2 needs an IPv4 literal).

use crate::temp::TempDir;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one gphoto2 run may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Whether this run is CI (then a missing gphoto2 is a failure).
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "FALSE" | "False"))
}

/// gphoto2 for one test.
#[derive(Debug)]
pub struct Gphoto2 {
    home: TempDir,
    port: String,
}

/// What one run printed.
#[derive(Debug)]
pub struct Run {
    /// Exit success.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with both outputs unless the run succeeded.
    pub fn expect_success(self, what: &str) -> Run {
        assert!(
            self.success,
            "gphoto2 {what} failed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Gphoto2 {
    /// gphoto2 talking to `addr`, or `None` (after a loud SKIP line) when
    /// it is not installed and this is not CI. Under CI a missing gphoto2
    /// panics: the interop suite must run there.
    pub fn for_camera(test: &str, addr: SocketAddr) -> Option<Gphoto2> {
        let installed = Command::new("gphoto2")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !installed {
            let message = "gphoto2 is not installed; install it with: apt-get install gphoto2";
            if is_ci() {
                panic!("{message} (CI is set: the gphoto2 interop tests must run)");
            }
            // Straight to the process's stderr: the test harness captures
            // `eprintln!`, and a skip must be seen.
            let _ = writeln!(std::io::stderr(), "\nSKIP {test}: {message}\n");
            return None;
        }
        let home = TempDir::new("gphoto2-home").expect("temporary HOME");
        Some(Gphoto2 {
            home,
            port: format!("ptpip:{}:{}:{}", addr.ip(), addr.port(), addr.port()),
        })
    }

    /// Runs `gphoto2 --port PORT ARGS` in `cwd`, within [`TIMEOUT`].
    pub fn run(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut child = Command::new("gphoto2")
            .arg("--port")
            .arg(&self.port)
            .args(args)
            .current_dir(cwd)
            .env("HOME", self.home.path())
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gphoto2");
        // Drain both pipes while waiting, so a chatty run cannot block.
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut bytes);
                }
                bytes
            })
        };
        let stdout = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        );
        let stderr = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        );
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for gphoto2") {
                break Some(status);
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let text = |thread: std::thread::JoinHandle<Vec<u8>>| {
            String::from_utf8_lossy(&thread.join().unwrap_or_default()).into_owned()
        };
        let run = Run {
            success: status.is_some_and(|s| s.success()),
            stdout: text(stdout),
            stderr: text(stderr),
        };
        assert!(
            status.is_some(),
            "gphoto2 {args:?} did not finish within {TIMEOUT:?}\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout,
            run.stderr
        );
        println!(
            "$ gphoto2 --port {} {}\n{}{}",
            self.port,
            args.join(" "),
            run.stdout,
            run.stderr
        );
        run
    }
}
