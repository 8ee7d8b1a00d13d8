//! Tests of [`super`]: exit codes and captured output per child, `-j`,
//! the progress line, events and cancelling, timeouts; real `/bin/sh`
//! children.

use super::*;

fn sh(script: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(script);
    c
}

fn job(profile: &str, command: Result<Command, String>) -> Job {
    Job {
        profile: profile.into(),
        account: None,
        command,
    }
}

fn options(jobs: usize) -> Options {
    Options {
        jobs,
        timeout: None,
        show: Show::Quiet,
        capture: true,
        grace: Duration::from_secs(2),
        progress: false,
        forward_signals: true,
    }
}

#[test]
fn outcomes_follow_exit_codes_and_output_is_kept_per_child() {
    let outcomes = crate::credential::obtain::block_on(run(
        vec![
            job("a", Ok(sh("echo out-a; echo err-a >&2"))),
            job("b", Ok(sh("read x; echo \"stdin:$x\"; exit 4"))),
            job("c", Err("no credentials for c".into())),
            job("d", Ok(Command::new("/nonexistent/program"))),
        ],
        &options(2),
    ))
    .unwrap();
    assert_eq!(outcomes[0].status, Status::Exited(0));
    assert_eq!(outcomes[0].stdout.text(), "out-a\n");
    assert_eq!(outcomes[0].stderr.text(), "err-a\n");
    // stdin is /dev/null: `read` sees its end at once.
    assert_eq!(outcomes[1].status, Status::Exited(4));
    assert_eq!(outcomes[1].stdout.text(), "stdin:\n");
    assert_eq!(
        outcomes[2].status,
        Status::NotRun("no credentials for c".into())
    );
    assert!(matches!(&outcomes[3].status, Status::NotRun(why) if why.contains("cannot start")));
    assert_eq!(super::super::report::exit_status(&outcomes), 1);
}

#[test]
fn at_most_jobs_children_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    // Each child notes its start and end; the log shows the most at once.
    let script = format!(
        "echo start >> {0}; sleep 0.2; echo end >> {0}",
        log.display()
    );
    let jobs = (0..9)
        .map(|i| job(&format!("p{i}"), Ok(sh(&script))))
        .collect();
    let outcomes = crate::credential::obtain::block_on(run(jobs, &options(3))).unwrap();
    assert!(outcomes.iter().all(|o| o.status.ok()));
    let text = std::fs::read_to_string(&log).unwrap();
    let (mut now, mut most) = (0i32, 0i32);
    for l in text.lines() {
        now += if l == "start" { 1 } else { -1 };
        most = most.max(now);
    }
    assert_eq!(most, 3, "{text}");
}

#[test]
fn progress_names_the_slowest_running_child() {
    let running = [
        ("a", Duration::from_secs(3)),
        ("b", Duration::from_secs(12)),
    ];
    assert_eq!(
        progress_line(5, 1, &running),
        "5 done, 2 running, 1 failed; slowest: b 12s"
    );
    assert_eq!(progress_line(7, 0, &[]), "7 done, 0 running, 0 failed");
}

#[test]
fn events_follow_the_run_and_cancelling_stops_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let stop = Mutex::new(Some(stop));
    let log = seen.clone();
    let events: Events = Arc::new(move |e| {
        let line = match e {
            Event::Started { index } => format!("start {index}"),
            Event::Finished { index, outcome } => {
                // The first one ending cancels the run.
                if let Some(stop) = stop.lock().unwrap().take() {
                    let _ = stop.send(());
                }
                format!("end {index} {}", outcome.status.word())
            }
        };
        log.lock().unwrap().push(line);
    });
    let started = Instant::now();
    let outcomes = crate::credential::obtain::block_on(run_watched(
        vec![
            job("quick", Ok(sh("exit 0"))),
            job("slow", Ok(sh("sleep 30"))),
            job("never", Ok(sh("exit 0"))),
        ],
        &options(1),
        events,
        async {
            let _ = stopped.await;
        },
    ))
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(outcomes[0].status, Status::Exited(0));
    assert_eq!(outcomes[1].status, Status::Signalled(libc::SIGTERM));
    assert_eq!(outcomes[2].status, Status::Cancelled);
    let seen = seen.lock().unwrap().clone();
    for line in [
        "start 0",
        "end 0 ok",
        "start 1",
        "end 1 failed",
        "end 2 cancelled",
    ] {
        assert!(seen.contains(&line.to_string()), "{line}: {seen:?}");
    }
    assert!(!seen.contains(&"start 2".to_string()), "{seen:?}");
}

#[test]
fn a_child_past_its_timeout_is_stopped() {
    let mut o = options(2);
    o.timeout = Some(Duration::from_millis(300));
    let started = Instant::now();
    let outcomes = crate::credential::obtain::block_on(run(
        vec![
            job("slow", Ok(sh("sleep 30"))),
            job("quick", Ok(sh("exit 0"))),
        ],
        &o,
    ))
    .unwrap();
    assert_eq!(outcomes[0].status, Status::TimedOut);
    assert_eq!(outcomes[1].status, Status::Exited(0));
    assert!(started.elapsed() < Duration::from_secs(10));
}
