//! The guest's `/share/steps.sh`, written for each run: it runs every step's
//! command (timed by `/proc/uptime`), then its untimed follow-up, and
//! records both in the share in the format [`results`](super::results)
//! reads. A step's failure does not stop the next step: every result is
//! reported.

use super::results::{END, RESULTS};

/// A command for the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStep {
    /// The step's name (a file name in `out/`).
    pub name: String,
    /// The timed command (a `sh -c` command line).
    pub command: String,
    /// The untimed follow-up, if any (a checksum, a clean-up).
    pub after: Option<String>,
}

/// The text of `steps.sh` running `steps` in order.
pub fn render(steps: &[ScriptStep]) -> String {
    let mut script = format!(
        "#!/bin/sh\n\
         # Written by xtask/src/qemu_usb/script.rs for one run; run by /init.\n\
         out=/share/out\n\
         mkdir -p \"$out\"\n\
         : > /share/{RESULTS}\n\
         uptime() {{ cut -d' ' -f1 /proc/uptime; }}\n\
         step() {{\n\
         \x20   start=$(uptime)\n\
         \x20   sh -c \"$2\" > \"$out/$1.log\" 2>&1\n\
         \x20   status=$?\n\
         \x20   end=$(uptime)\n\
         \x20   if [ -n \"$3\" ]; then sh -c \"$3\" > \"$out/$1.after\" 2>&1; fi\n\
         \x20   printf '%s\\t%s\\t%s\\t%s\\n' \"$1\" \"$status\" \"$start\" \"$end\" >> /share/{RESULTS}\n\
         \x20   echo \"qemu-usb: step $1 exit $status ($start s .. $end s)\"\n\
         }}\n"
    );
    for step in steps {
        script.push_str(&format!(
            "step {} {} {}\n",
            quote(&step.name),
            quote(&step.command),
            quote(step.after.as_deref().unwrap_or_default())
        ));
    }
    script.push_str(&format!("echo {END} >> /share/{RESULTS}\nsync\n"));
    script
}

/// Single-quotes a word for `sh`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn runs_each_step_with_its_follow_up_then_ends() {
        let script = render(&[
            ScriptStep {
                name: "get".to_owned(),
                command: "p get 'a b'".to_owned(),
                after: Some("sha256sum x".to_owned()),
            },
            ScriptStep {
                name: "list".to_owned(),
                command: "p list".to_owned(),
                after: None,
            },
        ]);
        assert!(
            script.contains("step 'get' 'p get '\\''a b'\\''' 'sha256sum x'\n"),
            "{script}"
        );
        assert!(script.contains("step 'list' 'p list' ''\n"), "{script}");
        assert!(script.ends_with("echo end >> /share/out/results\nsync\n"));
        let get = script.find("step 'get'");
        let list = script.find("step 'list'");
        assert!(get < list);
    }
}
