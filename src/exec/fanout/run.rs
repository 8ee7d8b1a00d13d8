//! Running one command in many profiles at once: at most `jobs` children at a
//! time, each supervised as its own process group ([`crate::exec::child`]),
//! stdin `/dev/null`, stdout and stderr read through pipes and shown as the
//! caller asked (live lines with a `profile │ ` prefix, grouped per profile,
//! or not at all) and kept for `--json`. A child past its timeout gets
//! SIGTERM (SIGKILL after the grace period). The first Ctrl-C goes once to
//! every running group and nothing new starts; a second one kills them. When
//! this returns, no child and nothing left in their groups runs.
//!
//! A front end that shows the run as it goes (the TUI's results view) gets
//! each child's start and outcome as an [`Event`] and may cancel the run
//! ([`run_watched`]): cancelling is the first Ctrl-C's stop.

use std::collections::HashMap;
use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::unix::pipe;
use tokio::sync::mpsc;

use super::report::{CAPTURE_LIMIT, Captured, Outcome, Status, prefix};
use crate::exec::child::Supervisor;

/// One profile to run in: its command ready to spawn, or why it cannot run.
pub struct Job {
    /// The profile.
    pub profile: String,
    /// Its account, for the report.
    pub account: Option<String>,
    /// The command with the profile's environment, or why there is none.
    pub command: Result<Command, String>,
}

/// What happened to one job, as it happens.
#[derive(Debug, Clone)]
pub enum Event {
    /// The job's child started.
    Started {
        /// The job's index.
        index: usize,
    },
    /// The job ended (or never ran): its outcome.
    Finished {
        /// The job's index.
        index: usize,
        /// How it ended.
        outcome: Box<Outcome>,
    },
}

/// Where a run's [`Event`]s go (called from the run's tasks).
pub type Events = Arc<dyn Fn(Event) + Send + Sync>;

/// How children's output is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Each line as it comes, prefixed (coloured when `colour`).
    Live {
        /// Colour the profile names.
        colour: bool,
    },
    /// Each profile's lines together when it ends.
    Group,
    /// Nothing.
    Quiet,
}

/// How a fan-out runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Children at once (at least 1).
    pub jobs: usize,
    /// Longest run of one child.
    pub timeout: Option<Duration>,
    /// What is shown of the output.
    pub show: Show,
    /// Whether output is kept for the report (`--json`).
    pub capture: bool,
    /// How long a group may live after SIGTERM or its leader's exit.
    pub grace: Duration,
    /// A progress line on stderr (a terminal that no live line shares).
    pub progress: bool,
    /// Signals sent to rolecall (Ctrl-C, SIGTERM, ...) go to every group, as
    /// `exec` does; `false` for the TUI, which stops its runs itself.
    pub forward_signals: bool,
}

/// The progress line: counts and the slowest child still running.
pub fn progress_line(done: usize, failed: usize, running: &[(&str, Duration)]) -> String {
    let mut line = format!("{done} done, {} running, {failed} failed", running.len());
    if let Some((name, t)) = running.iter().max_by_key(|(_, t)| *t) {
        line.push_str(&format!("; slowest: {name} {}s", t.as_secs()));
    }
    line
}

/// What a running child's completion needs.
struct Running {
    index: usize,
    started: Instant,
    deadline: Option<Instant>,
    timed_out: bool,
    readers: tokio::task::JoinHandle<(Captured, Captured)>,
}

/// rolecall's stdout and stderr, written a whole line at a time from any
/// task. Descriptors of their own: `main` holds the lock of `std::io::stdout`
/// for the whole command.
#[derive(Clone)]
struct Outs {
    stdout: Arc<Mutex<std::fs::File>>,
    stderr: Arc<Mutex<std::fs::File>>,
}

impl Outs {
    fn new() -> io::Result<Outs> {
        use std::os::fd::AsFd;
        let open = |fd: std::os::fd::BorrowedFd<'_>| -> io::Result<Arc<Mutex<std::fs::File>>> {
            Ok(Arc::new(Mutex::new(std::fs::File::from(
                fd.try_clone_to_owned()?,
            ))))
        };
        Ok(Outs {
            stdout: open(io::stdout().as_fd())?,
            stderr: open(io::stderr().as_fd())?,
        })
    }

    fn write(&self, to_stdout: bool, bytes: &[u8]) {
        let file = if to_stdout {
            &self.stdout
        } else {
            &self.stderr
        };
        // A closed stdout (`| head`) must not stop the children.
        let _ = file
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .write_all(bytes);
    }
}

/// Where one stream's lines go.
#[derive(Clone)]
struct Sink {
    prefix: String,
    live: Option<bool>,
    keep: bool,
    outs: Outs,
}

/// Reads a child's stream to its end: shown live, kept, or both.
async fn pump(rx: pipe::Receiver, sink: Sink) -> Captured {
    let mut reader = BufReader::new(rx);
    let mut line = Vec::new();
    let mut kept = Captured::default();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return kept,
            Ok(_) => {}
        }
        if sink.keep {
            kept.push(&line, CAPTURE_LIMIT);
        }
        if let Some(to_stdout) = sink.live {
            let mut out = Vec::with_capacity(sink.prefix.len() + line.len() + 1);
            out.extend_from_slice(sink.prefix.as_bytes());
            out.extend_from_slice(&line);
            if !line.ends_with(b"\n") {
                out.push(b'\n');
            }
            sink.outs.write(to_stdout, &out);
        }
    }
}

/// A captured stream with `prefix` before each line.
fn prefixed(prefix: &str, captured: &Captured) -> Vec<u8> {
    let mut out = Vec::new();
    for line in captured.text().lines() {
        let _ = writeln!(out, "{prefix}{line}");
    }
    out
}

/// The status of a child that exited with `status`.
fn status_of(status: ExitStatus, timed_out: bool) -> Status {
    use std::os::unix::process::ExitStatusExt;
    if timed_out {
        return Status::TimedOut;
    }
    match (status.code(), status.signal()) {
        (Some(c), _) => Status::Exited(c),
        (None, Some(s)) => Status::Signalled(s),
        _ => Status::Exited(1),
    }
}

/// Runs every job and returns their outcomes in the jobs' order.
pub async fn run(jobs: Vec<Job>, options: &Options) -> io::Result<Vec<Outcome>> {
    run_watched(jobs, options, Arc::new(|_| {}), std::future::pending()).await
}

/// [`run`], telling `events` about each start and outcome; when `cancel`
/// resolves, every running group gets SIGTERM (SIGKILL after the grace
/// period) and nothing new starts (reported as cancelled).
pub async fn run_watched(
    jobs: Vec<Job>,
    options: &Options,
    events: Events,
    cancel: impl std::future::Future<Output = ()>,
) -> io::Result<Vec<Outcome>> {
    let mut cancel = std::pin::pin!(cancel);
    let mut cancelled = false;
    let width = jobs
        .iter()
        .map(|j| j.profile.chars().count())
        .max()
        .unwrap_or(0);
    let supervisor = if options.forward_signals {
        Supervisor::new()?
    } else {
        Supervisor::without_signals()?
    };
    let mut supervisor = supervisor
        .with_grace(options.grace)
        .with_kill_on_second_interrupt();
    let mut outcomes: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
    let names: Vec<(String, Option<String>)> = jobs
        .iter()
        .map(|j| (j.profile.clone(), j.account.clone()))
        .collect();
    let not_run = |index: usize, status: Status| Outcome {
        profile: names[index].0.clone(),
        account: names[index].1.clone(),
        status,
        duration: Duration::ZERO,
        stdout: Captured::default(),
        stderr: Captured::default(),
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, Outcome)>();
    let mut pending = jobs.into_iter().enumerate();
    let mut running: HashMap<usize, Running> = HashMap::new();
    let jobs_at_once = options.jobs.max(1);
    let outs = Outs::new()?;
    let (mut done, mut failed) = (0usize, 0usize);
    let draw = |running: &HashMap<usize, Running>, done: usize, failed: usize| {
        if !options.progress {
            return;
        }
        let now: Vec<(&str, Duration)> = running
            .values()
            .map(|r| (names[r.index].0.as_str(), r.started.elapsed()))
            .collect();
        let line = progress_line(done, failed, &now);
        outs.write(false, format!("\r\x1b[K{line}").as_bytes());
    };
    let finished = |index: usize, outcome: &Outcome| {
        events(Event::Finished {
            index,
            outcome: Box::new(outcome.clone()),
        })
    };
    loop {
        while running.len() < jobs_at_once && supervisor.interrupts() == 0 && !cancelled {
            let Some((index, job)) = pending.next() else {
                break;
            };
            let command = match job.command {
                Ok(c) => c,
                Err(why) => {
                    let outcome = not_run(index, Status::NotRun(why));
                    finished(index, &outcome);
                    outcomes[index] = Some(outcome);
                    continue;
                }
            };
            let at = (width, index);
            match spawn(&mut supervisor, command, &job.profile, at, options, &outs) {
                Ok((id, readers)) => {
                    let started = Instant::now();
                    running.insert(
                        id,
                        Running {
                            index,
                            started,
                            deadline: options.timeout.map(|t| started + t),
                            timed_out: false,
                            readers,
                        },
                    );
                    events(Event::Started { index });
                }
                Err(e) => {
                    let why = format!("cannot start the command: {e}");
                    let outcome = not_run(index, Status::NotRun(why));
                    finished(index, &outcome);
                    outcomes[index] = Some(outcome);
                }
            }
        }
        if running.is_empty() {
            break;
        }
        draw(&running, done, failed);
        let next_deadline = running
            .values()
            .filter(|r| !r.timed_out)
            .filter_map(|r| r.deadline)
            .min();
        let sleep = async {
            match next_deadline {
                Some(t) => tokio::time::sleep_until(t.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            exit = supervisor.next_exit() => {
                let Some((id, status)) = exit else { break };
                let Some(r) = running.remove(&id.0) else { continue };
                let duration = r.started.elapsed();
                let (profile, account) = names[r.index].clone();
                let status = status_of(status, r.timed_out);
                done += 1;
                failed += usize::from(!status.ok());
                let tx = tx.clone();
                let show = options.show;
                let prefix = prefix(&profile, width, r.index, false);
                let outs = outs.clone();
                let events = events.clone();
                tokio::spawn(async move {
                    let (stdout, stderr) = r.readers.await.unwrap_or_default();
                    if show == Show::Group {
                        outs.write(true, &prefixed(&prefix, &stdout));
                        outs.write(false, &prefixed(&prefix, &stderr));
                    }
                    let outcome = Outcome { profile, account, status, duration, stdout, stderr };
                    events(Event::Finished { index: r.index, outcome: Box::new(outcome.clone()) });
                    let _ = tx.send((r.index, outcome));
                });
            }
            () = tokio::time::sleep(Duration::from_secs(1)), if options.progress => {}
            () = &mut cancel, if !cancelled => {
                cancelled = true;
                for id in running.keys() {
                    supervisor.signal(crate::exec::child::ChildId(*id), libc::SIGTERM);
                }
            }
            () = sleep => {
                let now = Instant::now();
                for (id, r) in running.iter_mut() {
                    if !r.timed_out && r.deadline.is_some_and(|d| d <= now) {
                        r.timed_out = true;
                        supervisor.signal(crate::exec::child::ChildId(*id), libc::SIGTERM);
                    }
                }
            }
        }
    }
    if options.progress {
        outs.write(false, b"\r\x1b[K");
    }
    // Interrupted: what never started is reported as such.
    for (index, _) in pending {
        let outcome = not_run(index, Status::Cancelled);
        finished(index, &outcome);
        outcomes[index] = Some(outcome);
    }
    supervisor.finish().await;
    drop(tx);
    while let Some((index, outcome)) = rx.recv().await {
        outcomes[index] = Some(outcome);
    }
    Ok(outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| o.unwrap_or_else(|| not_run(i, Status::Cancelled)))
        .collect())
}

/// Spawns one child with its output piped: its supervisor id and the task
/// reading both streams.
fn spawn(
    supervisor: &mut Supervisor,
    mut command: Command,
    profile: &str,
    (width, index): (usize, usize),
    options: &Options,
    outs: &Outs,
) -> io::Result<(usize, tokio::task::JoinHandle<(Captured, Captured)>)> {
    let (out_r, out_w) = io::pipe()?;
    let (err_r, err_w) = io::pipe()?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out_w))
        .stderr(Stdio::from(err_w));
    // The command (holding the pipes' write ends) is dropped by the spawn.
    let id = supervisor.spawn(command)?;
    let out_rx = pipe::Receiver::from_owned_fd(OwnedFd::from(out_r))?;
    let err_rx = pipe::Receiver::from_owned_fd(OwnedFd::from(err_r))?;
    let (live, colour) = match options.show {
        Show::Live { colour } => (true, colour),
        _ => (false, false),
    };
    let keep = options.capture || options.show == Show::Group;
    let prefix = prefix(profile, width, index, colour);
    let sink = |to_stdout: bool| Sink {
        prefix: prefix.clone(),
        live: live.then_some(to_stdout),
        keep,
        outs: outs.clone(),
    };
    let (out_sink, err_sink) = (sink(true), sink(false));
    let readers = tokio::spawn(async move {
        let err = tokio::spawn(pump(err_rx, err_sink));
        let out = pump(out_rx, out_sink).await;
        (out, err.await.unwrap_or_default())
    });
    Ok((id.0, readers))
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
