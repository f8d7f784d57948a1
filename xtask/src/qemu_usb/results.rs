//! The results the guest writes to the share: `out/results` has one line
//! per step, `NAME<TAB>EXIT<TAB>START<TAB>END` (times from `/proc/uptime`,
//! in seconds), and a last line `end` once every step ran; `out/NAME.log` is
//! the step's output and `out/NAME.after` the output of its untimed
//! follow-up (a checksum).

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The results file, relative to the share.
pub const RESULTS: &str = "out/results";

/// The line that closes a complete results file.
pub const END: &str = "end";

/// One step as the guest ran it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRun {
    /// The step's name.
    pub name: String,
    /// The exit status of its command.
    pub exit: i32,
    /// How long its command ran, by the guest's clock.
    pub elapsed: Duration,
}

/// The parsed results file.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// The steps, in the order they ran.
    pub steps: Vec<StepRun>,
    /// Whether the `end` line is there (no step was cut short).
    pub complete: bool,
}

impl Results {
    /// Parses the text of a results file.
    pub fn parse(text: &str) -> Result<Results, String> {
        let mut steps = Vec::new();
        let mut complete = false;
        for (number, line) in text.lines().enumerate() {
            if line == END {
                complete = true;
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, exit, start, end] = fields.as_slice() else {
                return Err(format!("results line {}: {line:?}", number + 1));
            };
            let bad = |what| format!("results line {}: bad {what} in {line:?}", number + 1);
            let exit = exit.parse::<i32>().map_err(|_| bad("exit status"))?;
            let start = start.parse::<f64>().map_err(|_| bad("start time"))?;
            let end = end.parse::<f64>().map_err(|_| bad("end time"))?;
            let elapsed = Duration::try_from_secs_f64(end - start).map_err(|_| bad("duration"))?;
            steps.push(StepRun {
                name: (*name).to_owned(),
                exit,
                elapsed,
            });
        }
        Ok(Results { steps, complete })
    }

    /// The run of the step `name`.
    pub fn step(&self, name: &str) -> Option<&StepRun> {
        self.steps.iter().find(|step| step.name == name)
    }
}

/// `out/NAME.log` in the share.
pub fn log_path(share: &Path, name: &str) -> PathBuf {
    share.join("out").join(format!("{name}.log"))
}

/// `out/NAME.after` in the share.
pub fn after_path(share: &Path, name: &str) -> PathBuf {
    share.join("out").join(format!("{name}.after"))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn parses_steps_and_the_end_line() {
        let results = Results::parse("list\t0\t5.10\t5.35\nget\t1\t5.40\t8.40\nend\n");
        let expected = Results {
            steps: vec![
                StepRun {
                    name: "list".to_owned(),
                    exit: 0,
                    elapsed: Duration::from_millis(250),
                },
                StepRun {
                    name: "get".to_owned(),
                    exit: 1,
                    elapsed: Duration::from_secs(3),
                },
            ],
            complete: true,
        };
        let rounded = results.map(|mut results| {
            for step in &mut results.steps {
                step.elapsed =
                    Duration::from_millis((step.elapsed.as_secs_f64() * 1000.0).round() as u64);
            }
            results
        });
        assert_eq!(rounded, Ok(expected));
        assert_eq!(
            Results::parse("list\t0\t1.0\t2.0\n").map(|r| r.complete),
            Ok(false)
        );
    }

    #[test]
    fn rejects_garbled_lines() {
        assert!(Results::parse("list\t0\t1.0\n").is_err());
        assert!(Results::parse("list\tx\t1.0\t2.0\n").is_err());
        assert!(Results::parse("list\t0\t3.0\t2.0\n").is_err());
    }
}
