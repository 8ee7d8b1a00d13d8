//! The results of a command run on marked rows (issue 19): one row per
//! profile, waiting / running / ok / failed with its exit code, duration and
//! captured output, updated from the run's messages. Plain state and pure
//! functions owned by [`super::overlay::Overlay::Results`]; `update` drives
//! it, `view::results` draws it, `tui::fanout` runs the command.

use std::time::Duration;

use crate::exec::fanout::report::{Outcome, Status};

/// How one profile's run ended, as the view needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    /// The status (`Exited(0)` is ok).
    pub status: Status,
    /// From spawn to exit.
    pub duration: Duration,
    /// stdout then stderr, each cut at the `--json` limit with its marker.
    pub output: String,
}

impl Ended {
    /// From the fan-out's outcome.
    pub fn from_outcome(o: &Outcome) -> Ended {
        let mut output = o.stdout.text();
        let err = o.stderr.text();
        if !err.is_empty() {
            if !output.is_empty() && !output.ends_with('\n') {
                output.push('\n');
            }
            output.push_str(&err);
        }
        if let Status::NotRun(why) = &o.status {
            output.push_str(why);
        }
        Ended {
            status: o.status.clone(),
            duration: o.duration,
            output,
        }
    }
}

/// Where one profile is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Its credentials are being obtained, or its turn has not come.
    Waiting,
    /// Its child runs.
    Running,
    /// It ended.
    Done(Ended),
}

/// One profile's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The profile.
    pub profile: String,
    /// Where it is.
    pub state: RowState,
}

/// The results view's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    /// The run these rows are about (a re-run gets a new one).
    pub ticket: u64,
    /// The command line.
    pub command: String,
    /// One row per profile, in the run's order.
    pub rows: Vec<Row>,
    /// The highlighted row.
    pub selected: usize,
    /// The highlighted row's output on screen, scrolled to this line.
    pub output: Option<u16>,
    /// The run is still going.
    pub running: bool,
    /// Why the run as a whole failed, if it did.
    pub error: Option<String>,
}

impl Results {
    /// A run of `command` in `profiles`, all waiting.
    pub fn new(ticket: u64, command: &str, profiles: &[String]) -> Results {
        Results {
            ticket,
            command: command.to_string(),
            rows: profiles
                .iter()
                .map(|p| Row {
                    profile: p.clone(),
                    state: RowState::Waiting,
                })
                .collect(),
            selected: 0,
            output: None,
            running: true,
            error: None,
        }
    }

    /// `profile`'s child started.
    pub fn started(&mut self, profile: &str) {
        if let Some(r) = self.rows.iter_mut().find(|r| r.profile == profile) {
            r.state = RowState::Running;
        }
    }

    /// `profile` ended.
    pub fn finished(&mut self, profile: &str, ended: Ended) {
        if let Some(r) = self.rows.iter_mut().find(|r| r.profile == profile) {
            r.state = RowState::Done(ended);
        }
    }

    /// The run ended; rows still open never got a result.
    pub fn done(&mut self, error: Option<String>) {
        self.running = false;
        self.error = error;
        for r in &mut self.rows {
            if !matches!(r.state, RowState::Done(_)) {
                r.state = RowState::Done(Ended {
                    status: Status::Cancelled,
                    duration: Duration::ZERO,
                    output: String::new(),
                });
            }
        }
    }

    /// The profiles whose run did not end with exit code 0.
    pub fn failed(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| matches!(&r.state, RowState::Done(e) if !e.status.ok()))
            .map(|r| r.profile.clone())
            .collect()
    }

    /// Starts a re-run of `profiles` as run `ticket`: their rows wait again.
    pub fn rerun(&mut self, ticket: u64, profiles: &[String]) {
        self.ticket = ticket;
        self.running = true;
        self.error = None;
        self.output = None;
        for r in &mut self.rows {
            if profiles.contains(&r.profile) {
                r.state = RowState::Waiting;
            }
        }
    }

    /// Counts: (ok, failed, still going).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for r in &self.rows {
            match &r.state {
                RowState::Done(e) if e.status.ok() => c.0 += 1,
                RowState::Done(_) => c.1 += 1,
                _ => c.2 += 1,
            }
        }
        c
    }

    /// Moves the highlight down (`true`) or up.
    pub fn step(&mut self, down: bool) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = if down {
            (self.selected + 1).min(last)
        } else {
            self.selected.saturating_sub(1)
        };
    }

    /// The highlighted row.
    pub fn current(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }
}

/// A row's status word and exit code column.
pub fn cells(state: &RowState) -> (&'static str, String, String) {
    match state {
        RowState::Waiting => ("waiting", String::new(), String::new()),
        RowState::Running => ("running", String::new(), String::new()),
        RowState::Done(e) => {
            let code = match &e.status {
                Status::Exited(c) => c.to_string(),
                Status::Signalled(s) => format!("s{s}"),
                _ => "-".to_string(),
            };
            (
                e.status.word(),
                code,
                format!("{:.2}s", e.duration.as_secs_f64()),
            )
        }
    }
}
