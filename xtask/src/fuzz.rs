//! `cargo xtask fuzz [--time S] [TARGET...]`: runs ptp-core's cargo-fuzz
//! targets (`ptp-core/fuzz/fuzz_targets/`), `S` seconds each (default 60),
//! and prints a table of executions and crashes per target. The exit status
//! is 1 if any target crashed (the artifact's path is shown), 2 for a bad
//! command line or when the fuzzers cannot be built or run.
//!
//! How:
//! - the toolchain: `cargo +nightly` when rustup has a nightly; otherwise
//!   the stable toolchain with `RUSTC_BOOTSTRAP=1` (cargo-fuzz needs
//!   nightly-only flags), said in the output;
//! - the targets are built once with `cargo fuzz build --sanitizer none`
//!   (ptp-core forbids `unsafe`, so AddressSanitizer would find nothing the
//!   assertions do not, at half the speed) into `target/fuzz`, with debug
//!   assertions and overflow checks on;
//! - each binary then runs directly with `-max_total_time=S` and a per-input
//!   `-timeout` (a hang is a crash), on two corpora: `target/fuzz/corpus/T`
//!   first, where new inputs go and which later runs reuse, then the
//!   committed seeds in `ptp-core/fuzz/corpus/T`, which are only read;
//! - a crash leaves its input in `ptp-core/fuzz/artifacts/T/` (ignored by
//!   git); reproduce it with `cargo +nightly fuzz run T ARTIFACT` in
//!   `ptp-core/`.
//!
//! `cargo xtask test` runs the same with a short time per target (see
//! `test/fuzz.rs`).

use crate::context::Context;
use crate::report::seconds;
use crate::shell::{Cmd, which};
use crate::toolchain;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The fuzz crate, relative to the workspace root.
pub const FUZZ_CRATE: &str = "ptp-core/fuzz";

/// Seconds per target when `--time` is not given.
const DEFAULT_SECONDS: u64 = 60;

/// The longest a single input may run before libFuzzer calls it a hang.
const INPUT_TIMEOUT_SECONDS: u64 = 10;

/// The usage text.
const USAGE: &str = "\
usage: cargo xtask fuzz [--time SECONDS] [TARGET...]

Runs ptp-core's fuzz targets (default: all) for SECONDS each (default 60) and
prints executions and crashes per target; exits 1 if any target crashed.
";

/// How cargo-fuzz is run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup's nightly: `cargo +nightly fuzz`.
    Nightly,
    /// The default toolchain with `RUSTC_BOOTSTRAP=1` (no nightly here).
    Bootstrap,
}

impl Toolchain {
    /// `cargo fuzz ARGS` in the fuzz crate's parent, on this toolchain.
    fn cargo_fuzz(&self, context: &Context) -> Cmd {
        let cmd = Cmd::new("cargo").cwd(fuzz_parent(context));
        match self {
            Toolchain::Nightly => cmd.args(["+nightly", "fuzz"]),
            Toolchain::Bootstrap => cmd.env("RUSTC_BOOTSTRAP", "1").arg("fuzz"),
        }
    }
}

/// What one target's run came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The target.
    pub target: String,
    /// Inputs executed, as libFuzzer counted them (if it said).
    pub executions: Option<u64>,
    /// How long it ran.
    pub duration: Duration,
    /// Why it failed: a crash (with the artifact's path) or a fuzzer that
    /// did not run.
    pub failure: Option<String>,
}

/// `cargo xtask fuzz`: parses the arguments, runs, prints the table.
pub fn main(args: &[String]) -> ExitCode {
    let (time, names) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("xtask fuzz: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let context = Context::from_env();
    let targets = match select(&context, &names) {
        Ok(targets) => targets,
        Err(error) => {
            eprintln!("xtask fuzz: {error}");
            return ExitCode::from(2);
        }
    };
    let prepared = tools(&context).and_then(|toolchain| {
        build(&context, &toolchain)?;
        Ok(toolchain)
    });
    if let Err(error) = prepared {
        eprintln!("xtask fuzz: {error}");
        return ExitCode::from(2);
    }
    let runs: Vec<Run> = targets
        .iter()
        .map(|target| run(&context, target, time))
        .collect();
    print!("{}", table(&runs));
    if runs.iter().any(|run| run.failure.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_args(args: &[String]) -> Result<(Duration, Vec<String>), String> {
    let mut time = Duration::from_secs(DEFAULT_SECONDS);
    let mut names = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--time" => {
                let value = args.next().ok_or("--time needs a number of seconds")?;
                let secs: u64 = value
                    .parse()
                    .map_err(|_| format!("--time {value}: not a number of seconds"))?;
                if secs == 0 {
                    return Err("--time must be at least 1 second".to_owned());
                }
                time = Duration::from_secs(secs);
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            name => names.push(name.to_owned()),
        }
    }
    Ok((time, names))
}

/// Every target: the file stems in `fuzz_targets/`, sorted.
pub fn targets(context: &Context) -> Result<Vec<String>, String> {
    let dir = context.root.join(FUZZ_CRATE).join("fuzz_targets");
    let entries =
        fs::read_dir(&dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|err| format!("cannot list {}: {err}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "rs")
            && let Some(stem) = path.file_stem()
        {
            names.push(stem.to_string_lossy().into_owned());
        }
    }
    names.sort();
    if names.is_empty() {
        return Err(format!("no fuzz targets in {}", dir.display()));
    }
    Ok(names)
}

/// The targets named (all when none), checked against what exists.
fn select(context: &Context, names: &[String]) -> Result<Vec<String>, String> {
    let all = targets(context)?;
    if names.is_empty() {
        return Ok(all);
    }
    match names.iter().find(|name| !all.contains(name)) {
        Some(unknown) => Err(format!(
            "no fuzz target `{unknown}`; targets are: {}",
            all.join(", ")
        )),
        None => Ok(names.to_vec()),
    }
}

/// The toolchain to run cargo-fuzz on, and cargo-fuzz itself (installed
/// here when missing under CI). An error says what is missing and how to
/// install it.
pub fn tools(context: &Context) -> Result<Toolchain, String> {
    let toolchain = if Cmd::new("cargo").args(["+nightly", "--version"]).succeeds() {
        Toolchain::Nightly
    } else {
        println!(
            "no nightly toolchain (rustup toolchain install nightly --profile minimal): \
             building the fuzzers with the default toolchain and RUSTC_BOOTSTRAP=1"
        );
        Toolchain::Bootstrap
    };
    let have_cargo_fuzz = || {
        which("cargo-fuzz").is_some()
            || cargo_home().is_some_and(|home| home.join("bin/cargo-fuzz").is_file())
    };
    if !have_cargo_fuzz() {
        let install = "cargo install cargo-fuzz --locked";
        if !context.ci {
            return Err(format!("cargo-fuzz is missing; install it with: {install}"));
        }
        println!("cargo-fuzz is missing; CI=true, so installing it");
        context
            .cargo(["install", "cargo-fuzz", "--locked"])
            .run()
            .map_err(|error| format!("cannot install cargo-fuzz: {error}"))?;
        if !have_cargo_fuzz() {
            return Err(format!("cargo-fuzz is still missing after `{install}`"));
        }
    }
    Ok(toolchain)
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
}

/// `cargo fuzz build` of every target into `target/fuzz`.
pub fn build(context: &Context, toolchain: &Toolchain) -> Result<(), String> {
    toolchain
        .cargo_fuzz(context)
        .args(["build", "--sanitizer", "none", "--target-dir"])
        .arg(context.target_dir("fuzz"))
        .run()
}

/// Where the fuzz binaries are: `target/fuzz/<host>/release`.
fn binaries(context: &Context) -> Result<PathBuf, String> {
    let host = toolchain::host(&toolchain::rustc())?;
    Ok(context.target_dir("fuzz").join(host).join("release"))
}

/// The directory `cargo fuzz` runs in (the fuzz crate's parent).
fn fuzz_parent(context: &Context) -> PathBuf {
    let fuzz = context.root.join(FUZZ_CRATE);
    fuzz.parent().map_or(fuzz.clone(), Path::to_path_buf)
}

/// Runs one built target for `time`.
pub fn run(context: &Context, target: &str, time: Duration) -> Run {
    let start = Instant::now();
    let result = run_fuzzer(context, target, time);
    let duration = start.elapsed();
    let (executions, failure) = match result {
        Ok(parsed) => parsed,
        Err(error) => (None, Some(error)),
    };
    let run = Run {
        target: target.to_owned(),
        executions,
        duration,
        failure,
    };
    println!("{}", line(&run));
    run
}

fn run_fuzzer(
    context: &Context,
    target: &str,
    time: Duration,
) -> Result<(Option<u64>, Option<String>), String> {
    let binary = binaries(context)?.join(target);
    if !binary.is_file() {
        return Err(format!("{} was not built", binary.display()));
    }
    let fuzz = context.root.join(FUZZ_CRATE);
    let work = context.target_dir("fuzz").join("corpus").join(target);
    let seeds = fuzz.join("corpus").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    for dir in [&work, &artifacts] {
        fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    }
    let mut cmd = Cmd::new(&binary)
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg(format!("-max_total_time={}", time.as_secs()))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1")
        .arg(&work)
        .cwd(&context.root);
    if seeds.is_dir() {
        cmd = cmd.arg(&seeds);
    }
    println!("$ {cmd}");
    let output = cmd.output()?;
    let log = String::from_utf8_lossy(&output.stderr);
    let executions = executions(&log);
    if output.status.success() {
        return Ok((executions, None));
    }
    let failure = match artifact(&log) {
        Some(path) => format!(
            "crashed: {}\n  input: {path}\n  reproduce: (cd {} && cargo +nightly fuzz run {target} {path})",
            reason(&log),
            fuzz_parent(context).display()
        ),
        None => format!(
            "the fuzzer failed ({}) without a crash artifact:\n{}",
            output.status,
            tail(&log, 20)
        ),
    };
    Ok((executions, Some(failure)))
}

/// Inputs executed: libFuzzer's final statistic, else its last `#N` line.
fn executions(log: &str) -> Option<u64> {
    let stat = log.lines().find_map(|line| {
        line.strip_prefix("stat::number_of_executed_units:")
            .and_then(|n| n.trim().parse().ok())
    });
    stat.or_else(|| {
        log.lines()
            .filter_map(|line| {
                let rest = line.strip_prefix('#')?;
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .max()
    })
}

/// The crash input libFuzzer saved.
fn artifact(log: &str) -> Option<String> {
    log.lines().find_map(|line| {
        line.split_once("Test unit written to ")
            .map(|(_, path)| path.trim().to_owned())
    })
}

/// Why it crashed: the panic message (two lines), else libFuzzer's error.
fn reason(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    if let Some(index) = lines.iter().position(|line| line.contains("panicked at")) {
        return lines
            .iter()
            .skip(index)
            .take(2)
            .map(|line| line.trim())
            .collect::<Vec<_>>()
            .join(" ");
    }
    lines
        .iter()
        .find(|line| line.contains("ERROR: libFuzzer:"))
        .map_or_else(|| "unknown".to_owned(), |line| line.trim().to_owned())
}

fn tail(log: &str, count: usize) -> String {
    let skip = log.lines().count().saturating_sub(count);
    log.lines()
        .skip(skip)
        .map(|line| format!("  | {line}\n"))
        .collect()
}

/// One target's result on one line.
fn line(run: &Run) -> String {
    let executions = run
        .executions
        .map_or_else(|| "?".to_owned(), |count| count.to_string());
    let result = if run.failure.is_some() { "CRASH" } else { "ok" };
    format!(
        "fuzz {}: {executions} executions in {}, {result}",
        run.target,
        seconds(run.duration)
    )
}

/// The table of every run, then every failure in full.
pub fn table(runs: &[Run]) -> String {
    let width = runs.iter().map(|run| run.target.len()).fold(6, usize::max);
    let mut out = format!(
        "\n{:width$}  {:>12}  {:>10}  {:>8}  result\n",
        "target", "executions", "per second", "time"
    );
    for run in runs {
        let executions = run
            .executions
            .map_or_else(|| "?".to_owned(), |count| count.to_string());
        let rate = run.executions.map_or_else(
            || "?".to_owned(),
            |count| {
                format!(
                    "{:.0}",
                    count as f64 / run.duration.as_secs_f64().max(0.001)
                )
            },
        );
        let result = if run.failure.is_some() { "CRASH" } else { "ok" };
        out.push_str(&format!(
            "{:width$}  {executions:>12}  {rate:>10}  {:>8}  {result}\n",
            run.target,
            seconds(run.duration)
        ));
    }
    let crashed: Vec<&Run> = runs.iter().filter(|run| run.failure.is_some()).collect();
    for run in &crashed {
        if let Some(failure) = &run.failure {
            out.push_str(&format!("\n{}: {failure}\n", run.target));
        }
    }
    let total: u64 = runs.iter().filter_map(|run| run.executions).sum();
    out.push_str(&format!(
        "\nfuzz: {} targets, {total} executions, {} crashed\n",
        runs.len(),
        crashed.len()
    ));
    out
}

#[cfg(test)]
mod test {
    use super::*;

    static CRASH_LOG: &str = "\
INFO: Seed: 1
#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb
#4096\tpulse  cov: 12 ft: 12 corp: 2/3b exec/s: 2048 rss: 31Mb

thread '<unnamed>' (42) panicked at fuzz_targets/framer.rs:30:5:
assertion `left == right` failed: the frames depend on how the stream was split
==42== ERROR: libFuzzer: deadly signal
artifact_prefix='/p/ptp-core/fuzz/artifacts/framer/'; Test unit written to /p/ptp-core/fuzz/artifacts/framer/crash-abc
";

    #[test]
    fn a_crash_log_gives_the_artifact_the_panic_and_the_count() {
        assert_eq!(
            artifact(CRASH_LOG).as_deref(),
            Some("/p/ptp-core/fuzz/artifacts/framer/crash-abc")
        );
        assert_eq!(
            reason(CRASH_LOG),
            "thread '<unnamed>' (42) panicked at fuzz_targets/framer.rs:30:5: \
             assertion `left == right` failed: the frames depend on how the stream was split"
        );
        assert_eq!(executions(CRASH_LOG), Some(4096));
        let done = "Done 99 runs in 1 second(s)\nstat::number_of_executed_units: 99\n";
        assert_eq!(executions(done), Some(99));
        assert_eq!(artifact(done), None);
    }

    #[test]
    fn arguments_take_a_time_and_target_names() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            parse_args(&args(&["--time", "5", "framer", "initiator"])),
            Ok((
                Duration::from_secs(5),
                vec!["framer".to_owned(), "initiator".to_owned()]
            ))
        );
        assert_eq!(
            parse_args(&[]),
            Ok((Duration::from_secs(DEFAULT_SECONDS), Vec::new()))
        );
        assert!(parse_args(&args(&["--time"])).is_err());
        assert!(parse_args(&args(&["--time", "0"])).is_err());
        assert!(parse_args(&args(&["--fast"])).is_err());
    }

    #[test]
    fn the_table_counts_executions_and_lists_crashes_in_full() {
        let runs = [
            Run {
                target: "container".to_owned(),
                executions: Some(1000),
                duration: Duration::from_secs(2),
                failure: None,
            },
            Run {
                target: "framer".to_owned(),
                executions: None,
                duration: Duration::from_secs(1),
                failure: Some("crashed: boom".to_owned()),
            },
        ];
        let text = table(&runs);
        for expected in [
            "container          1000         500     2.0 s  ok\n",
            "framer                ?           ?     1.0 s  CRASH\n",
            "\nframer: crashed: boom\n",
            "fuzz: 2 targets, 1000 executions, 1 crashed\n",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
    }
}
