//! The results of a run: one row per check, with its outcome, duration and
//! notes, printed as a table at the end with every failure in full.

use std::time::{Duration, Instant};

/// How one check ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It ran and passed.
    Pass,
    /// It ran and failed, or could not run where it must (CI); the text says why.
    Fail(String),
    /// It did not run; the text says why and how to make it run.
    Skip(String),
}

impl Outcome {
    /// `PASS`, `FAIL` or `SKIP`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail(_) => "FAIL",
            Outcome::Skip(_) => "SKIP",
        }
    }

    /// A failure listing `errors`, or a pass when there are none.
    pub fn from_errors(errors: Vec<String>) -> Outcome {
        if errors.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail(errors.join("\n"))
        }
    }
}

/// One check's result.
#[derive(Clone, Debug)]
pub struct Row {
    /// The step it belongs to (`host`, `lint`, `no-std`, `mcu`).
    pub step: &'static str,
    /// What was checked (`thumbv6m-none-eabi`, `cortex-m0 (microbit)`).
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// How long it took.
    pub duration: Duration,
    /// Lines worth keeping in the summary (toolchain route, pass lines).
    pub notes: Vec<String>,
}

/// All rows of a run, in order.
#[derive(Debug, Default)]
pub struct Report {
    rows: Vec<Row>,
}

impl Report {
    /// Runs one check, timing it; `check` may add notes. Prints a banner
    /// before and the outcome after, so the log reads in order.
    pub fn check(
        &mut self,
        step: &'static str,
        name: impl Into<String>,
        check: impl FnOnce(&mut Vec<String>) -> Outcome,
    ) {
        let name = name.into();
        println!("\n==> {step}: {name}");
        let start = Instant::now();
        let mut notes = Vec::new();
        let outcome = check(&mut notes);
        let duration = start.elapsed();
        match &outcome {
            Outcome::Pass => println!("<== {step}: {name}: PASS ({})", seconds(duration)),
            Outcome::Fail(why) => {
                println!("<== {step}: {name}: FAIL ({})\n{why}", seconds(duration))
            }
            Outcome::Skip(why) => println!(
                "<== {step}: {name}: SKIP\n\
                 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                 !!! SKIPPED: {why}\n\
                 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
            ),
        }
        self.rows.push(Row {
            step,
            name,
            outcome,
            duration,
            notes,
        });
    }

    /// Whether any check failed.
    pub fn failed(&self) -> bool {
        self.rows
            .iter()
            .any(|row| matches!(row.outcome, Outcome::Fail(_)))
    }

    /// The summary: a table of every check, then the notes, then every
    /// failure and skip in full, then a closing count line.
    pub fn render(&self, total: Duration) -> String {
        let mut out = String::new();
        let step_width = column_width(self.rows.iter().map(|row| row.step), 4);
        let name_width = column_width(self.rows.iter().map(|row| row.name.as_str()), 5);
        out.push_str("\n======================== xtask test summary ========================\n");
        out.push_str(&format!(
            "{:step_width$}  {:name_width$}  {:6}  {:>8}\n",
            "step", "check", "result", "time"
        ));
        for row in &self.rows {
            out.push_str(&format!(
                "{:step_width$}  {:name_width$}  {:6}  {:>8}\n",
                row.step,
                row.name,
                row.outcome.label(),
                seconds(row.duration)
            ));
        }
        for row in self.rows.iter().filter(|row| !row.notes.is_empty()) {
            out.push_str(&format!("\n{} / {}:\n", row.step, row.name));
            for note in &row.notes {
                out.push_str(&format!("  {note}\n"));
            }
        }
        for row in &self.rows {
            if let Outcome::Fail(why) | Outcome::Skip(why) = &row.outcome {
                out.push_str(&format!(
                    "\n{} {} / {}:\n",
                    row.outcome.label(),
                    row.step,
                    row.name
                ));
                for line in why.lines() {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
        let count = |label| {
            self.rows
                .iter()
                .filter(|row| row.outcome.label() == label)
                .count()
        };
        out.push_str(&format!("\ntotal time {}\n", seconds(total)));
        out.push_str(&format!(
            "xtask: {} passed, {} failed, {} skipped\n",
            count("PASS"),
            count("FAIL"),
            count("SKIP")
        ));
        out
    }
}

fn column_width<'a>(values: impl Iterator<Item = &'a str>, minimum: usize) -> usize {
    values.map(str::len).fold(minimum, usize::max)
}

/// A duration as seconds with one decimal (`12.3 s`).
pub fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn summary_lists_every_row_and_counts_outcomes() {
        let mut report = Report::default();
        report.check("host", "cargo test", |_| Outcome::Pass);
        report.check("mcu", "cortex-m0 (microbit)", |notes| {
            notes.push("wire: all tests passed!".to_owned());
            Outcome::Fail("first\nsecond".to_owned())
        });
        report.check("lint", "clippy", |_| Outcome::Skip("no clippy".to_owned()));
        assert!(report.failed());
        let text = report.render(Duration::from_secs(3));
        for expected in [
            "host  cargo test            PASS",
            "mcu   cortex-m0 (microbit)  FAIL",
            "lint  clippy                SKIP",
            "mcu / cortex-m0 (microbit):\n  wire: all tests passed!",
            "FAIL mcu / cortex-m0 (microbit):\n  first\n  second\n",
            "SKIP lint / clippy:\n  no clippy\n",
            "xtask: 1 passed, 1 failed, 1 skipped\n",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
    }

    #[test]
    fn a_run_of_passes_has_not_failed() {
        let mut report = Report::default();
        report.check("host", "cargo test", |_| Outcome::Pass);
        report.check("lint", "fmt", |_| Outcome::Skip("x".to_owned()));
        assert!(!report.failed());
        assert_eq!(
            Outcome::from_errors(vec!["a".to_owned(), "b".to_owned()]),
            Outcome::Fail("a\nb".to_owned())
        );
        assert_eq!(Outcome::from_errors(Vec::new()), Outcome::Pass);
    }
}
