//! What a fan-out tells the user: each profile's outcome, the prefixes of
//! live lines, the summary table (failed first) and the JSON objects for
//! scripts. Pure: it formats values; the caller writes them.

use std::time::Duration;

/// The most bytes of a child's stdout or stderr kept for `--json` and `--group`.
pub const CAPTURE_LIMIT: usize = 64 * 1024;

/// How a profile's run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The child exited with this code.
    Exited(i32),
    /// The child was killed by this signal.
    Signalled(i32),
    /// The child ran past `--timeout` and was stopped.
    TimedOut,
    /// It never ran: no credentials, or the program could not start (why).
    NotRun(String),
    /// Ctrl-C came before it started.
    Cancelled,
}

impl Status {
    /// Whether this counts as a success (exit code 0).
    pub fn ok(&self) -> bool {
        *self == Status::Exited(0)
    }

    /// The word in the summary's status column.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Exited(0) => "ok",
            Status::Exited(_) | Status::Signalled(_) => "failed",
            Status::TimedOut => "timeout",
            Status::NotRun(_) => "error",
            Status::Cancelled => "cancelled",
        }
    }

    /// The exit code, when the child exited.
    pub fn code(&self) -> Option<i32> {
        match self {
            Status::Exited(c) => Some(*c),
            _ => None,
        }
    }
}

/// A child's output stream, kept up to [`CAPTURE_LIMIT`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    /// The first bytes.
    pub bytes: Vec<u8>,
    /// How many bytes were dropped past the limit.
    pub dropped: usize,
}

impl Captured {
    /// Keeps what fits of `chunk`.
    pub fn push(&mut self, chunk: &[u8], limit: usize) {
        let room = limit.saturating_sub(self.bytes.len());
        let take = room.min(chunk.len());
        self.bytes.extend_from_slice(&chunk[..take]);
        self.dropped += chunk.len() - take;
    }

    /// The text, with a marker when something was dropped.
    pub fn text(&self) -> String {
        let mut s = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            s.push_str(&format!(
                "\n[rolecall: {} more bytes truncated]\n",
                self.dropped
            ));
        }
        s
    }
}

/// One profile's run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The profile.
    pub profile: String,
    /// Its account, when known.
    pub account: Option<String>,
    /// How it ended.
    pub status: Status,
    /// From spawn to exit (zero when it never ran).
    pub duration: Duration,
    /// Captured stdout (when asked for).
    pub stdout: Captured,
    /// Captured stderr (when asked for).
    pub stderr: Captured,
}

/// The fan-out's exit status: 0 when every child exited 0, else 1.
pub fn exit_status(outcomes: &[Outcome]) -> u8 {
    u8::from(!outcomes.iter().all(|o| o.status.ok()))
}

/// The colours profile prefixes cycle through (ANSI 256-colour codes that read
/// on dark and light backgrounds).
const COLOURS: [u8; 8] = [33, 166, 70, 134, 37, 172, 99, 160];

/// The prefix of a live line of `profile`: the name padded to `width`, then
/// `│`; coloured by the profile's position `index` when `colour`.
pub fn prefix(profile: &str, width: usize, index: usize, colour: bool) -> String {
    let pad = width.saturating_sub(profile.chars().count());
    if colour {
        let c = COLOURS[index % COLOURS.len()];
        format!("\x1b[38;5;{c}m{profile}\x1b[0m{:pad$} │ ", "")
    } else {
        format!("{profile}{:pad$} │ ", "")
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// The summary table: profile, status, exit code, duration; failed first, then
/// by name. A last line counts them.
pub fn summary(outcomes: &[Outcome]) -> String {
    let mut rows: Vec<&Outcome> = outcomes.iter().collect();
    rows.sort_by(|a, b| {
        a.status
            .ok()
            .cmp(&b.status.ok())
            .then_with(|| a.profile.cmp(&b.profile))
    });
    let width = rows
        .iter()
        .map(|o| o.profile.chars().count())
        .max()
        .unwrap_or(0)
        .max("PROFILE".len());
    let mut out = format!(
        "{:width$}  {:9}  {:>4}  {:>8}\n",
        "PROFILE", "STATUS", "EXIT", "TIME"
    );
    for o in &rows {
        let code = match &o.status {
            Status::Exited(c) => c.to_string(),
            Status::Signalled(s) => format!("s{s}"),
            _ => "-".to_string(),
        };
        out.push_str(&format!(
            "{:width$}  {:9}  {:>4}  {:>8}",
            o.profile,
            o.status.word(),
            code,
            seconds(o.duration)
        ));
        if let Status::NotRun(why) = &o.status {
            out.push_str(&format!("  {why}"));
        }
        out.push('\n');
    }
    let failed = rows.iter().filter(|o| !o.status.ok()).count();
    out.push_str(&format!(
        "{}: {} ok, {} failed\n",
        crate::words::plural(rows.len(), "profile", "profiles"),
        rows.len() - failed,
        failed
    ));
    out
}

/// The `--json` object of one outcome (one line).
pub fn json(o: &Outcome) -> String {
    let mut v = serde_json::json!({
        "profile": o.profile,
        "account": o.account,
        "status": o.status.word(),
        "exit_code": o.status.code(),
        "duration_ms": o.duration.as_millis() as u64,
        "stdout": o.stdout.text(),
        "stderr": o.stderr.text(),
        "truncated": o.stdout.dropped > 0 || o.stderr.dropped > 0,
    });
    match &o.status {
        Status::Signalled(s) => v["signal"] = (*s).into(),
        Status::NotRun(why) => v["error"] = why.clone().into(),
        _ => {}
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(profile: &str, status: Status) -> Outcome {
        Outcome {
            profile: profile.into(),
            account: None,
            status,
            duration: Duration::from_millis(1500),
            stdout: Captured::default(),
            stderr: Captured::default(),
        }
    }

    #[test]
    fn summary_puts_failures_first_and_counts() {
        let all = [
            outcome("a", Status::Exited(0)),
            outcome("b", Status::Exited(2)),
            outcome("c", Status::NotRun("no credentials".into())),
            outcome("d", Status::TimedOut),
        ];
        let s = summary(&all);
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[0].starts_with("PROFILE"), "{s}");
        assert!(
            lines[1].starts_with("b ") && lines[1].contains("failed") && lines[1].contains(" 2 "),
            "{s}"
        );
        assert!(
            lines[2].starts_with("c ") && lines[2].contains("no credentials"),
            "{s}"
        );
        assert!(
            lines[3].starts_with("d ") && lines[3].contains("timeout"),
            "{s}"
        );
        assert!(lines[4].starts_with("a ") && lines[4].contains("ok"), "{s}");
        assert_eq!(lines[5], "4 profiles: 1 ok, 3 failed");
        assert_eq!(exit_status(&all), 1);
        assert_eq!(exit_status(&all[..1]), 0);
    }

    #[test]
    fn prefixes_align_and_colour_only_on_request() {
        assert_eq!(prefix("ab", 4, 0, false), "ab   │ ");
        assert_eq!(prefix("abcd", 4, 0, false), "abcd │ ");
        let c = prefix("ab", 4, 1, true);
        assert!(c.starts_with("\x1b[38;5;166mab\x1b[0m"), "{c:?}");
        assert!(c.ends_with("   │ "), "{c:?}");
    }

    #[test]
    fn captures_truncate_with_a_marker() {
        let mut c = Captured::default();
        c.push(b"hello ", 8);
        c.push(b"world", 8);
        assert_eq!(c.bytes, b"hello wo");
        assert_eq!(c.dropped, 3);
        assert!(
            c.text()
                .starts_with("hello wo\n[rolecall: 3 more bytes truncated]")
        );
        let mut o = outcome("p", Status::Exited(3));
        o.stdout = c;
        let v: serde_json::Value = serde_json::from_str(&json(&o)).unwrap();
        assert_eq!(v["exit_code"], 3);
        assert_eq!(v["status"], "failed");
        assert_eq!(v["truncated"], true);
        assert_eq!(v["duration_ms"], 1500);
    }
}
