//! Step `mcu`: ptp-core's test suite on emulated microcontrollers.
//!
//! The test crate `firmware/ptp-core-mcu-tests` (its own workspace) is built
//! for each machine's target; each test binary (defmt-test, logging through
//! semihosting) then runs in `qemu-system-arm` with its output piped into
//! `defmt-print -e ELF`. A binary passes when QEMU exits 0 within
//! [`TIME_LIMIT`], defmt-print decodes the log, every `(i/n) running` line up
//! to `(n/n)` is there and `all tests passed!` is printed. A failed assertion
//! or a HardFault ends QEMU with status 1 (the crate's handlers); a hang is
//! killed at the limit.
//!
//! Before the tests, two canary binaries check the rig itself:
//! `canary_unaligned` must HardFault on the Cortex-M0 (so the M0 run really
//! catches unaligned accesses) and run on the Cortex-M4, and `canary_assert`
//! must fail, so a failing test cannot pass unnoticed.

use crate::context::Context;
use crate::json::Json;
use crate::report::{Outcome, Report, seconds};
use crate::shell::{Cmd, PipeOutput, pipe, which};
use crate::toolchain::{self, Route};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

/// The MCU test crate, relative to the workspace root.
pub const FIRMWARE_TESTS: &str = "firmware/ptp-core-mcu-tests";

/// How long one binary may run in QEMU (a run takes about 0.1 s).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// An emulated machine and the target its code is built for.
#[derive(Clone, Copy, Debug)]
pub struct Machine {
    /// QEMU's `-cpu`.
    pub cpu: &'static str,
    /// QEMU's `-machine`.
    pub machine: &'static str,
    /// The Rust target.
    pub target: &'static str,
    /// Whether an unaligned word load faults (ARMv6-M does; ARMv7-M does not).
    pub faults_on_unaligned: bool,
}

/// The machines the tests run on.
pub const MACHINES: [Machine; 2] = [
    Machine {
        cpu: "cortex-m0",
        machine: "microbit",
        target: "thumbv6m-none-eabi",
        faults_on_unaligned: true,
    },
    Machine {
        cpu: "cortex-m4",
        machine: "mps2-an386",
        target: "thumbv7em-none-eabihf",
        faults_on_unaligned: false,
    },
];

/// The tools the step runs.
struct Tools {
    qemu: PathBuf,
    defmt_print: PathBuf,
}

/// Runs the test suite on every machine in [`MACHINES`].
pub fn run(context: &mut Context, report: &mut Report) {
    let tools = tools(context);
    for machine in MACHINES {
        let name = format!("{} ({})", machine.cpu, machine.machine);
        report.check("mcu", name, |notes| match &tools {
            Ok(tools) => check_machine(context, tools, machine, notes),
            Err(outcome) => outcome.clone(),
        });
    }
}

/// Finds QEMU and defmt-print; installs defmt-print under CI.
fn tools(context: &Context) -> Result<Tools, Outcome> {
    let qemu = which("qemu-system-arm")
        .ok_or_else(|| context.missing("qemu-system-arm", "apt-get install -y qemu-system-arm"))?;
    let install = "cargo install defmt-print --locked";
    let defmt_print = match find_defmt_print() {
        Some(path) => path,
        None if context.ci => {
            println!("defmt-print is missing; CI=true, so installing it");
            context
                .cargo(["install", "defmt-print", "--locked"])
                .run()
                .map_err(|error| Outcome::Fail(format!("cannot install defmt-print: {error}")))?;
            find_defmt_print().ok_or_else(|| context.missing("defmt-print", install))?
        }
        None => return Err(context.missing("defmt-print", install)),
    };
    Ok(Tools { qemu, defmt_print })
}

/// defmt-print from `PATH`, else from Cargo's bin directory.
fn find_defmt_print() -> Option<PathBuf> {
    which("defmt-print").or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
        let path = home.join("bin/defmt-print");
        path.is_file().then_some(path)
    })
}

fn check_machine(
    context: &mut Context,
    tools: &Tools,
    machine: Machine,
    notes: &mut Vec<String>,
) -> Outcome {
    let route = match context.toolchains.route(machine.target) {
        Ok(route) => route,
        Err(missing) => return context.missing(&missing.what, &missing.install),
    };
    notes.push(format!("{}: {route}", machine.target));
    let build = context
        .cargo(["build", "--tests", "--bins", "--target", machine.target])
        .arg("--target-dir")
        .arg(route.target_dir(context.target_dir("mcu")))
        .arg("--message-format=json-render-diagnostics")
        .cwd(context.root.join(FIRMWARE_TESTS));
    let mut build = route.apply(build);
    if let Route::DebianBuildStd { .. } = route {
        match toolchain::lld() {
            Ok(lld) => {
                let key = format!(
                    "CARGO_TARGET_{}_LINKER",
                    machine.target.to_uppercase().replace(['-', '.'], "_")
                );
                build = build.env(key, lld);
            }
            Err(missing) => return context.missing(&missing.what, &missing.install),
        }
    }
    let messages = match build.stdout() {
        Ok(messages) => messages,
        Err(error) => return Outcome::Fail(error),
    };
    let mut artifacts = match executables(&messages) {
        Ok(artifacts) => artifacts,
        Err(error) => return Outcome::Fail(error),
    };
    // Canaries first: a broken rig makes every test result meaningless.
    artifacts.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    if !artifacts.iter().any(|artifact| artifact.kind == Kind::Test) {
        return Outcome::Fail("the build produced no test binary".to_owned());
    }

    let mut errors = Vec::new();
    let mut tests = 0;
    let mut binaries = 0;
    let mut canaries = Vec::new();
    for artifact in &artifacts {
        let run = match run_elf(tools, machine, &artifact.path) {
            Ok(run) => run,
            Err(error) => {
                errors.push(format!("{}: {error}", artifact.name));
                continue;
            }
        };
        match artifact.kind {
            Kind::Bin => match check_canary(&artifact.name, machine, &run) {
                Ok(note) => canaries.push(note),
                Err(error) => errors.push(format!(
                    "rig self-check {}: {error}\n{}",
                    artifact.name,
                    tail(&run)
                )),
            },
            Kind::Test => match check_tests(&run) {
                Ok(passed) => {
                    tests += passed.count;
                    binaries += 1;
                    notes.push(format!(
                        "{}: {:?} {:?} ({})",
                        artifact.name,
                        passed.last_running,
                        passed.all_passed,
                        seconds(run.output.elapsed)
                    ));
                }
                Err(error) => errors.push(format!("{}: {error}\n{}", artifact.name, tail(&run))),
            },
        }
    }
    notes.push(format!("rig: {}", canaries.join("; ")));
    if errors.is_empty() {
        notes.push(format!(
            "{tests} tests in {binaries} binaries passed on {} ({})",
            machine.cpu, machine.machine
        ));
    }
    Outcome::from_errors(errors)
}

/// What kind of binary an artifact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A rig self-check in `src/bin/`.
    Bin,
    /// A defmt-test binary in `tests/`.
    Test,
}

/// A built executable.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Artifact {
    name: String,
    kind: Kind,
    path: PathBuf,
}

/// The test and bin executables named in Cargo's JSON messages.
fn executables(messages: &str) -> Result<Vec<Artifact>, String> {
    let mut artifacts = Vec::new();
    for line in messages.lines().filter(|line| line.starts_with('{')) {
        let message = Json::parse(line).map_err(|error| format!("bad Cargo message: {error}"))?;
        if message.get("reason").and_then(Json::as_str) != Some("compiler-artifact") {
            continue;
        }
        let Some(path) = message.get("executable").and_then(Json::as_str) else {
            continue;
        };
        let target = message.get("target");
        let name = target.and_then(|t| t.get("name")).and_then(Json::as_str);
        let kinds = target
            .and_then(|t| t.get("kind"))
            .and_then(Json::as_array)
            .unwrap_or_default();
        let kind = if kinds.iter().any(|k| k.as_str() == Some("test")) {
            Kind::Test
        } else if kinds.iter().any(|k| k.as_str() == Some("bin")) {
            Kind::Bin
        } else {
            continue;
        };
        artifacts.push(Artifact {
            name: name.unwrap_or("?").to_owned(),
            kind,
            path: PathBuf::from(path),
        });
    }
    Ok(artifacts)
}

/// One binary's run in QEMU.
#[derive(Debug)]
struct Run {
    output: PipeOutput,
    /// defmt-print's lines, without `\r`.
    lines: Vec<String>,
}

fn run_elf(tools: &Tools, machine: Machine, elf: &Path) -> Result<Run, String> {
    let qemu = Cmd::new(&tools.qemu)
        .args(["-cpu", machine.cpu, "-machine", machine.machine])
        .args(["-display", "none", "-monitor", "none", "-serial", "null"])
        .args(["-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(elf);
    let decoder = Cmd::new(&tools.defmt_print).arg("-e").arg(elf);
    let output = pipe(&qemu, &decoder, TIME_LIMIT)?;
    let lines: Vec<String> = output
        .stdout
        .lines()
        .map(|line| line.trim_end_matches('\r').to_owned())
        .collect();
    for line in &lines {
        println!("  {line}");
    }
    Ok(Run { output, lines })
}

/// The last lines of a run's output and its error output, for a failure.
fn tail(run: &Run) -> String {
    let skip = run.lines.len().saturating_sub(20);
    let mut text = String::from("  --- output (last 20 lines) ---\n");
    for line in run.lines.iter().skip(skip) {
        text.push_str(&format!("  | {line}\n"));
    }
    for line in run.output.stderr.lines() {
        text.push_str(&format!("  ! {line}\n"));
    }
    text
}

/// Why a run did not end as a clean exit with status 0, if it did not.
fn exit_problem(run: &Run) -> Option<String> {
    match (run.output.first, run.output.second) {
        (None, _) => Some(format!(
            "QEMU was killed after {} s (a hang, or a fault handler that never exits)",
            TIME_LIMIT.as_secs()
        )),
        (_, None) => Some("defmt-print did not end after QEMU did".to_owned()),
        (Some(_), Some(printer)) if !printer.success() => {
            Some(format!("defmt-print failed ({printer})"))
        }
        (Some(qemu), Some(_)) if !qemu.success() => Some(format!("QEMU exited with {qemu}")),
        _ => None,
    }
}

/// A passed test binary: how many tests ran, and its closing lines.
#[derive(Debug, PartialEq, Eq)]
struct Passed {
    count: usize,
    last_running: String,
    all_passed: String,
}

/// Reads defmt-test's output: `(i/n) running `name`...` per test, then
/// `all tests passed!`.
fn check_tests(run: &Run) -> Result<Passed, String> {
    let progress: Vec<(usize, usize, &str)> = run
        .lines
        .iter()
        .filter_map(|line| progress_line(line).map(|(i, n)| (i, n, line.as_str())))
        .collect();
    let last = progress.last();
    let in_test = last.map_or(String::new(), |(_, _, line)| format!(" (last: {line})"));
    if let Some(problem) = exit_problem(run) {
        return Err(format!("{problem}{in_test}"));
    }
    let all_passed = run
        .lines
        .iter()
        .find(|line| line.trim() == "all tests passed!");
    match (last, all_passed) {
        (_, None) => Err(format!("no `all tests passed!` line{in_test}")),
        (None, Some(_)) => Err("ran no test".to_owned()),
        (Some((i, n, line)), Some(all_passed)) => {
            if i == n && progress.len() == *n {
                Ok(Passed {
                    count: *n,
                    last_running: (*line).to_owned(),
                    all_passed: all_passed.clone(),
                })
            } else {
                Err(format!("{} of {n} tests reported{in_test}", progress.len()))
            }
        }
    }
}

/// `(i/n)` from a defmt-test progress line (`running` or `ignoring`).
fn progress_line(line: &str) -> Option<(usize, usize)> {
    let rest = line.trim_start().strip_prefix('(')?;
    let (numbers, rest) = rest.split_once(") ")?;
    if !(rest.starts_with("running `") || rest.starts_with("ignoring `")) {
        return None;
    }
    let (i, n) = numbers.split_once('/')?;
    Some((i.parse().ok()?, n.parse().ok()?))
}

/// Checks a rig self-check binary against what it must do on `machine`.
fn check_canary(name: &str, machine: Machine, run: &Run) -> Result<String, String> {
    let has = |text: &str| run.lines.iter().any(|line| line.contains(text));
    let failed = matches!(run.output.first, Some(status) if !status.success());
    let status = |status: Option<ExitStatus>| {
        status.map_or_else(|| "killed at the time limit".to_owned(), |s| s.to_string())
    };
    match name {
        "canary_unaligned" if machine.faults_on_unaligned => {
            if failed && has("HardFault") {
                Ok("unaligned ldr HardFaults, run exits non-zero".to_owned())
            } else {
                Err(format!(
                    "an unaligned load must HardFault on {} and fail the run; QEMU: {}",
                    machine.cpu,
                    status(run.output.first)
                ))
            }
        }
        "canary_unaligned" => match exit_problem(run) {
            None if has("no fault") => Ok("unaligned ldr allowed, as ARMv7-M does".to_owned()),
            problem => Err(format!(
                "an unaligned load must work on {}: {}",
                machine.cpu,
                problem.unwrap_or_else(|| "no `no fault` line".to_owned())
            )),
        },
        "canary_assert" => {
            if failed && has("deliberate failure") {
                Ok("failed assertion exits non-zero".to_owned())
            } else {
                Err(format!(
                    "a failed assertion must be logged and fail the run; QEMU: {}",
                    status(run.output.first)
                ))
            }
        }
        other => Err(format!(
            "no expectation for the binary `{other}`: add one in xtask/src/test/mcu.rs"
        )),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn run(code: Option<i32>, lines: &[&str]) -> Run {
        Run {
            output: PipeOutput {
                first: code.map(|code| ExitStatus::from_raw(code << 8)),
                second: Some(ExitStatus::from_raw(0)),
                stdout: String::new(),
                stderr: String::new(),
                elapsed: Duration::from_millis(100),
            },
            lines: lines.iter().map(|line| (*line).to_owned()).collect(),
        }
    }

    const PASSED: [&str; 3] = [
        "(1/2) running `a`...",
        "(2/2) running `b`...",
        "all tests passed!",
    ];

    #[test]
    fn a_complete_clean_run_passes() {
        assert_eq!(
            check_tests(&run(Some(0), &PASSED)),
            Ok(Passed {
                count: 2,
                last_running: "(2/2) running `b`...".to_owned(),
                all_passed: "all tests passed!".to_owned(),
            })
        );
    }

    #[test]
    fn failures_timeouts_and_short_runs_fail() {
        let failed = [
            "(1/2) running `a`...",
            "ERROR panicked at 'assertion failed'",
        ];
        let error = check_tests(&run(Some(1), &failed)).unwrap_or_default_err();
        assert!(error.contains("QEMU exited with exit status: 1"), "{error}");
        assert!(error.contains("(last: (1/2) running `a`...)"), "{error}");
        let error = check_tests(&run(None, &PASSED[..1])).unwrap_or_default_err();
        assert!(error.contains("killed after 60 s"), "{error}");
        // Exit status 0 without the closing line (e.g. an early exit) fails.
        let error = check_tests(&run(Some(0), &PASSED[..2])).unwrap_or_default_err();
        assert!(error.contains("no `all tests passed!`"), "{error}");
        let error = check_tests(&run(Some(0), &["all tests passed!"])).unwrap_or_default_err();
        assert_eq!(error, "ran no test");
        let skipped = ["(2/2) running `b`...", "all tests passed!"];
        let error = check_tests(&run(Some(0), &skipped)).unwrap_or_default_err();
        assert!(error.starts_with("1 of 2 tests reported"), "{error}");
    }

    #[test]
    fn canaries_must_do_what_the_machine_does() {
        let [m0, m4] = MACHINES;
        let fault = run(Some(1), &["ERROR HardFault at pc=0x00000116"]);
        let clean = run(Some(0), &["no fault: unaligned ldr read 0x05040302"]);
        assert!(check_canary("canary_unaligned", m0, &fault).is_ok());
        assert!(check_canary("canary_unaligned", m0, &clean).is_err());
        assert!(check_canary("canary_unaligned", m4, &clean).is_ok());
        assert!(check_canary("canary_unaligned", m4, &fault).is_err());
        let assert = run(
            Some(1),
            &["ERROR panicked at 'canary: deliberate failure: Err(..)'"],
        );
        assert!(check_canary("canary_assert", m0, &assert).is_ok());
        assert!(check_canary("canary_assert", m0, &run(Some(0), &[])).is_err());
        assert!(check_canary("canary_assert", m0, &run(None, &[])).is_err());
        assert!(check_canary("something_else", m4, &clean).is_err());
    }

    #[test]
    fn finds_test_and_bin_executables_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"wire"},"executable":"/t/wire-1"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"canary_assert"},"executable":"/t/canary_assert"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
            "\n"
        );
        let found = executables(messages);
        let found = found.as_ref().map(|artifacts| {
            artifacts
                .iter()
                .map(|a| {
                    (
                        a.name.as_str(),
                        a.kind,
                        a.path.to_string_lossy().into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        });
        assert_eq!(
            found,
            Ok(vec![
                ("wire", Kind::Test, "/t/wire-1".to_owned()),
                ("canary_assert", Kind::Bin, "/t/canary_assert".to_owned()),
            ])
        );
    }

    #[test]
    fn reads_progress_lines_only() {
        assert_eq!(progress_line("(3/13) running `x`..."), Some((3, 13)));
        assert_eq!(progress_line("(1/2) ignoring `y`..."), Some((1, 2)));
        assert_eq!(progress_line("(a/b) running `x`..."), None);
        assert_eq!(progress_line("ERROR (1/2) running"), None);
    }

    /// The error of a result, or an empty string (tests avoid `unwrap`).
    trait ErrText {
        fn unwrap_or_default_err(self) -> String;
    }

    impl<T> ErrText for Result<T, String> {
        fn unwrap_or_default_err(self) -> String {
            self.err().unwrap_or_default()
        }
    }
}
