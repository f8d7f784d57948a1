//! A small helper for running commands: build one with [`Cmd`], then
//! [`Cmd::run`] it with its output shown, capture it with [`Cmd::output`], or
//! run two as a pipeline with a time limit ([`pipe`]). Every command is echoed
//! before it runs, with the environment it adds, so a CI log can be replayed
//! by hand. Failures come back as text for the report, never as panics.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A command line: program, arguments, added environment, working directory
/// and optional text for its standard input.
#[derive(Clone, Debug)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    cwd: Option<PathBuf>,
    stdin: Option<String>,
}

impl Cmd {
    /// A command running `program` (looked up in `PATH` unless it is a path).
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Cmd {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            envs: Vec::new(),
            cwd: None,
            stdin: None,
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    /// Sets an environment variable for the command.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Runs the command in `dir`.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    /// Feeds `text` to the command's standard input.
    pub fn stdin(mut self, text: impl Into<String>) -> Self {
        self.stdin = Some(text.into());
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command.envs(self.envs.iter().map(|(key, value)| (key, value)));
        if let Some(dir) = &self.cwd {
            command.current_dir(dir);
        }
        command.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        command
    }

    fn spawn(&self, command: &mut Command) -> Result<Child, String> {
        let mut child = command
            .spawn()
            .map_err(|err| format!("cannot start `{}`: {err}", self.program.to_string_lossy()))?;
        if let (Some(text), Some(mut input)) = (&self.stdin, child.stdin.take()) {
            input
                .write_all(text.as_bytes())
                .map_err(|err| format!("cannot write to `{self}`: {err}"))?;
        }
        Ok(child)
    }

    /// Echoes and runs the command with its output shown; an error if it
    /// cannot start or exits unsuccessfully.
    pub fn run(&self) -> Result<(), String> {
        println!("$ {self}");
        let mut child = self.spawn(&mut self.command())?;
        let status = child
            .wait()
            .map_err(|err| format!("`{self}` failed: {err}"))?;
        check(self, status)
    }

    /// Runs the command quietly and captures its output, whatever its exit
    /// status; an error only if it cannot start.
    pub fn output(&self) -> Result<Output, String> {
        let mut command = self.command();
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let child = self.spawn(&mut command)?;
        child
            .wait_with_output()
            .map_err(|err| format!("`{self}` failed: {err}"))
    }

    /// Echoes and runs the command with its standard error shown, and returns
    /// its standard output; an error if it exits unsuccessfully.
    pub fn stdout(&self) -> Result<String, String> {
        println!("$ {self}");
        let mut command = self.command();
        command.stdout(Stdio::piped()).stderr(Stdio::inherit());
        let output = self
            .spawn(&mut command)?
            .wait_with_output()
            .map_err(|err| format!("`{self}` failed: {err}"))?;
        check(self, output.status)?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Whether the command runs and exits successfully (output discarded).
    pub fn succeeds(&self) -> bool {
        self.output().is_ok_and(|output| output.status.success())
    }
}

fn check(cmd: &Cmd, status: ExitStatus) -> Result<(), String> {
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{cmd}` failed ({status})"))
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(dir) = &self.cwd {
            write!(f, "(cd {} && ", quote(dir.as_os_str()))?;
        }
        for (key, value) in &self.envs {
            write!(f, "{}={} ", key.to_string_lossy(), quote(value))?;
        }
        write!(f, "{}", quote(&self.program))?;
        for arg in &self.args {
            write!(f, " {}", quote(arg))?;
        }
        if self.cwd.is_some() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// Quotes a word for a POSIX shell when it needs it.
fn quote(word: &OsStr) -> String {
    let text = word.to_string_lossy();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
    if plain {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// What a pipeline `first | second` did.
#[derive(Debug)]
pub struct PipeOutput {
    /// `first`'s exit status; `None` if it was killed at the time limit.
    pub first: Option<ExitStatus>,
    /// `second`'s exit status; `None` if it was killed because it did not end
    /// after `first` did.
    pub second: Option<ExitStatus>,
    /// `second`'s standard output.
    pub stdout: String,
    /// The standard error of both commands.
    pub stderr: String,
    /// How long `first` ran.
    pub elapsed: Duration,
}

/// Echoes and runs `first | second`, killing `first` if it runs longer than
/// `limit` (then `second` sees the end of its input).
pub fn pipe(first: &Cmd, second: &Cmd, limit: Duration) -> Result<PipeOutput, String> {
    println!("$ {first} | {second}");
    let start = Instant::now();
    let mut a = first.command();
    a.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut a = first.spawn(&mut a)?;
    let a_out = a
        .stdout
        .take()
        .ok_or_else(|| format!("no output pipe from `{first}`"))?;
    let mut b = second.command();
    b.stdin(Stdio::from(a_out))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut b = match second.spawn(&mut b) {
        Ok(child) => child,
        Err(err) => {
            // Best effort: the error that matters is the one returned.
            let _ = a.kill();
            let _ = a.wait();
            return Err(err);
        }
    };
    let a_err = drain(a.stderr.take());
    let b_out = drain(b.stdout.take());
    let b_err = drain(b.stderr.take());

    let first_status = wait_until(&mut a, start + limit)?;
    let elapsed = start.elapsed();
    let second_status = wait_until(&mut b, Instant::now() + Duration::from_secs(10))?;
    let mut stderr = joined(a_err);
    stderr.push_str(&joined(b_err));
    Ok(PipeOutput {
        first: first_status,
        second: second_status,
        stdout: joined(b_out),
        stderr,
        elapsed,
    })
}

/// Waits for `child` until `deadline`, then kills and reaps it (`None`).
pub fn wait_until(child: &mut Child, deadline: Instant) -> Result<Option<ExitStatus>, String> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if Instant::now() >= deadline => {
                child
                    .kill()
                    .map_err(|err| format!("cannot kill a timed-out process: {err}"))?;
                child
                    .wait()
                    .map_err(|err| format!("cannot reap a killed process: {err}"))?;
                return Ok(None);
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(err) => return Err(format!("cannot wait for a process: {err}")),
        }
    }
}

/// Reads a pipe to its end on a thread, so a full pipe never blocks a child.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<thread::JoinHandle<String>> {
    pipe.map(|mut pipe| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            // A read error ends the capture; what was read is still reported.
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    })
}

fn joined(handle: Option<thread::JoinHandle<String>>) -> String {
    handle
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default()
}

/// Finds an executable in `PATH`, like `command -v`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn display_quotes_what_a_shell_would_split() {
        let cmd = Cmd::new("cargo")
            .arg("build")
            .arg("a b")
            .arg("it's")
            .env("RUSTC", "/usr/bin/rustc");
        assert_eq!(
            cmd.to_string(),
            r"RUSTC=/usr/bin/rustc cargo build 'a b' 'it'\''s'"
        );
    }

    #[test]
    fn output_feeds_stdin_and_captures_stdout() {
        let output = Cmd::new("cat").stdin("hello").output();
        let output = output
            .as_ref()
            .map(|o| (o.status.success(), o.stdout.as_slice()));
        assert_eq!(output, Ok((true, b"hello".as_slice())));
    }

    #[test]
    fn pipe_kills_the_first_command_at_the_limit() {
        let started = Instant::now();
        let result = pipe(
            &Cmd::new("sh").args(["-c", "echo before; exec sleep 30"]),
            &Cmd::new("cat"),
            Duration::from_millis(300),
        );
        let result = result.map(|out| (out.first.is_none(), out.stdout));
        assert_eq!(result, Ok((true, "before\n".to_owned())));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn pipe_reports_both_exit_statuses() {
        let result = pipe(
            &Cmd::new("sh").args(["-c", "echo x; exit 3"]),
            &Cmd::new("cat"),
            Duration::from_secs(10),
        );
        let codes = result.map(|out| {
            (
                out.first.and_then(|s| s.code()),
                out.second.and_then(|s| s.code()),
            )
        });
        assert_eq!(codes, Ok((Some(3), Some(0))));
    }
}
