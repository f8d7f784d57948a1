//! `cargo xtask run [-- ARGS]`: the demo.
//!
//! Without arguments: builds `ptpctl`, starts `ptpctl serve` (the virtual
//! camera) on a copy of `hosts/virtual-camera/sample/` on a free loopback
//! port, runs `ptpctl info`, `ls`, `capture` and `get` against it, showing
//! each command and its output as a user would see them, then stops the
//! camera. The camera's log and the downloads stay in `target/xtask-run/`.
//!
//! With arguments: builds `ptpctl` and runs `ptpctl ARGS`.

use crate::context::Context;
use crate::shell::Cmd;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the camera may take to print its address.
const START_LIMIT: Duration = Duration::from_secs(20);

/// Runs the demo, or `ptpctl ARGS`.
pub fn main(args: &[String]) -> ExitCode {
    let context = Context::from_env();
    let args = match args.split_first() {
        Some((first, rest)) if first == "--" => rest,
        _ => args,
    };
    if let Err(error) = context
        .cargo(["build", "--quiet", "--package", "ptpctl"])
        .run()
    {
        eprintln!("xtask run: cannot build ptpctl: {error}");
        return ExitCode::FAILURE;
    }
    let ptpctl = target_dir(&context).join("debug").join("ptpctl");
    if !args.is_empty() {
        return match Command::new(&ptpctl).args(args).status() {
            Ok(status) => ExitCode::from(
                status
                    .code()
                    .and_then(|c| u8::try_from(c).ok())
                    .unwrap_or(1),
            ),
            Err(error) => {
                eprintln!("xtask run: cannot start {}: {error}", ptpctl.display());
                ExitCode::FAILURE
            }
        };
    }
    match demo(&context, &ptpctl) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask run: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Where Cargo puts build outputs.
fn target_dir(context: &Context) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                context.root.join(dir)
            }
        })
        .unwrap_or_else(|| context.target_dir(""))
}

/// The virtual camera, stopped when dropped.
struct Camera {
    child: Child,
}

impl Drop for Camera {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo(context: &Context, ptpctl: &Path) -> Result<(), String> {
    let work = context.target_dir("xtask-run");
    let _ = std::fs::remove_dir_all(&work);
    let card = work.join("camera");
    let downloads = work.join("downloads");
    copy_tree(&context.root.join("hosts/virtual-camera/sample"), &card)
        .map_err(|e| format!("cannot copy the sample directory: {e}"))?;
    std::fs::create_dir_all(&downloads).map_err(|e| e.to_string())?;
    let log_path = work.join("camera.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;

    println!(
        "$ ptpctl serve --dir {} --listen 127.0.0.1:0",
        card.display()
    );
    let (camera, address) = start_camera(ptpctl, &card, log)?;
    let ip = format!("--ip={address}");
    let steps: [&[&str]; 4] = [
        &["info"],
        &["ls", "--recursive"],
        &["capture", "--download", &downloads.to_string_lossy()],
        &[
            "get",
            "--all",
            "--new",
            "--output",
            &downloads.to_string_lossy(),
        ],
    ];
    let mut failures = Vec::new();
    for step in steps {
        println!();
        if let Err(error) = Cmd::new(ptpctl).arg(&ip).args(step).run() {
            failures.push(error);
        }
    }
    drop(camera);
    println!("\ndownloaded into {}:", downloads.display());
    let mut files: Vec<_> = std::fs::read_dir(&downloads)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .collect();
    files.sort_by_key(|entry| entry.file_name());
    for entry in files {
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        println!(
            "  {:>8} bytes  {}",
            size,
            entry.file_name().to_string_lossy()
        );
    }
    println!("the camera's log: {}", log_path.display());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} step(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        ))
    }
}

/// Starts `ptpctl serve` and waits for the address it prints
/// (`... on ptpip:HOST:PORT`). Run directly, not through `Cmd`: it runs in
/// the background while the other commands talk to it.
fn start_camera(ptpctl: &Path, dir: &Path, log: std::fs::File) -> Result<(Camera, String), String> {
    let mut child = Command::new(ptpctl)
        .args(["serve", "--listen", "127.0.0.1:0", "--dir"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", ptpctl.display()))?;
    let stdout = child.stdout.take();
    let camera = Camera { child };
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let Some(stdout) = stdout else { return };
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some((_, address)) = line.split_once(" on ptpip:") {
                let _ = sender.send(address.trim().to_owned());
            }
        }
    });
    let address = receiver.recv_timeout(START_LIMIT).map_err(|_| {
        format!(
            "`ptpctl serve` printed no `... on ptpip:HOST:PORT` line within {} s",
            START_LIMIT.as_secs()
        )
    })?;
    Ok((camera, address))
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
