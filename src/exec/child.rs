//! Supervising the children of `exec --mode server` as process trees: spawn
//! each as the leader of its own process group, pass rolecall's signals to the
//! groups, and turn how a child ended into rolecall's exit status.
//!
//! rolecall stays the child's parent (it serves the credentials), so it must
//! behave like the child to whoever started it. A [`Supervisor`] holds any
//! number of children (one for `exec`, one per profile when a command runs in
//! many at once):
//! - each child leads its own process group, so a signal reaches everything
//!   it started, grandchildren included; a process that left the group
//!   (`setsid`, a daemon) is left alone;
//! - a child spawned with [`Supervisor::spawn_foreground`] when rolecall holds
//!   its terminal's foreground is made the terminal's foreground group
//!   (`tcsetpgrp`): Ctrl-C, Ctrl-\ and resizes reach it straight from the
//!   terminal, once, and it reads the terminal without SIGTTIN. When it stops
//!   (Ctrl-Z), rolecall takes the terminal back and stops too, so the shell's
//!   job control sees it; `fg` hands the terminal back and continues it. When
//!   it exits, rolecall takes the terminal back;
//! - SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to rolecall go to every group,
//!   and SIGWINCH too when no child has the terminal;
//! - what remains of a group is killed (SIGKILL) [`GRACE`] after a SIGTERM
//!   was passed on, or after its leader exited.
//!
//! The child's standard streams are rolecall's; nothing here writes to them.

use std::io;
use std::process::ExitStatus;
#[cfg(unix)]
use std::time::{Duration, Instant};

/// How long what remains of a group may run after a forwarded SIGTERM or
/// after its leader exited, before it gets SIGKILL.
#[cfg(unix)]
pub const GRACE: Duration = Duration::from_secs(10);

/// rolecall's exit status for a child that ended with `status`.
pub fn exit_code(status: ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return code as u8;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128u8.saturating_add(signal as u8);
        }
    }
    1
}

/// Whether a signal rolecall received goes on to the children's groups,
/// given whether one of them has the terminal (then the terminal sends it
/// resizes itself).
#[cfg(unix)]
pub fn should_forward(signal: libc::c_int, child_has_terminal: bool) -> bool {
    signal != libc::SIGWINCH || !child_has_terminal
}

/// Spawns `command` as a supervised process tree (with the terminal, when
/// rolecall has it) and waits for it and what remains of its group.
#[cfg(unix)]
pub async fn run(command: std::process::Command) -> io::Result<ExitStatus> {
    let mut supervisor = Supervisor::new()?;
    supervisor.spawn_foreground(command)?;
    let status = supervisor.next_exit().await.map(|(_, status)| status);
    supervisor.finish().await;
    status.ok_or_else(|| io::Error::other("the child was lost"))
}

/// Spawns `command` and waits for it.
#[cfg(not(unix))]
pub async fn run(command: std::process::Command) -> io::Result<ExitStatus> {
    tokio::process::Command::from(command).spawn()?.wait().await
}

#[cfg(unix)]
pub use unix::{ChildId, Supervisor};

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use tokio::signal::unix::{Signal, SignalKind, signal};

    /// A child of a [`Supervisor`], in spawn order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ChildId(pub usize);

    struct Member {
        /// The child's pid, which is also its group's id.
        pid: libc::pid_t,
        /// How it ended, once reaped.
        status: Option<ExitStatus>,
        /// When what remains of its group gets SIGKILL.
        kill_at: Option<Instant>,
        /// Whether its group is empty (it is never signalled again).
        gone: bool,
        /// Whether it was given the terminal.
        foreground: bool,
    }

    /// The terminal a foreground child gets: a descriptor on it and
    /// rolecall's own group, to take it back.
    #[derive(Clone, Copy)]
    struct Terminal {
        fd: libc::c_int,
        own_group: libc::pid_t,
    }

    /// Children supervised as process groups (see the module).
    pub struct Supervisor {
        members: Vec<Member>,
        terminal: Option<Terminal>,
        signals: Vec<(libc::c_int, Signal)>,
        child: Signal,
        /// SIGTTOU's disposition before rolecall ignored it, restored in
        /// children and when the supervisor is dropped.
        ttou: Option<libc::sigaction>,
        grace: Duration,
        /// SIGINTs received (fan-out: the second one kills).
        interrupts: u32,
        /// Whether a second SIGINT kills the groups instead of passing on.
        kill_on_second_interrupt: bool,
    }

    /// The signals passed on to the groups.
    const FORWARDED: [libc::c_int; 5] = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGWINCH,
    ];

    impl Supervisor {
        /// A supervisor listening for signals (before any spawn: a signal
        /// right after one is passed on, not fatal to rolecall).
        pub fn new() -> io::Result<Supervisor> {
            Supervisor::new_with(&FORWARDED)
        }

        fn new_with(forwarded: &[libc::c_int]) -> io::Result<Supervisor> {
            let mut signals = Vec::new();
            for &s in forwarded {
                signals.push((s, signal(SignalKind::from_raw(s))?));
            }
            Ok(Supervisor {
                members: Vec::new(),
                terminal: None,
                signals,
                child: signal(SignalKind::child())?,
                ttou: None,
                grace: GRACE,
                interrupts: 0,
                kill_on_second_interrupt: false,
            })
        }

        /// A supervisor that passes no signal on: for a front end that
        /// stops its children itself (the TUI). Listening for SIGTERM would
        /// take its default action from the process for good (a signal
        /// handler stays installed), so a TUI that once ran children could
        /// no longer be terminated.
        pub fn without_signals() -> io::Result<Supervisor> {
            Supervisor::new_with(&[])
        }

        /// Another grace period than [`GRACE`] (for tests).
        pub fn with_grace(mut self, grace: Duration) -> Supervisor {
            self.grace = grace;
            self
        }

        /// Makes a second SIGINT kill every group (SIGKILL) instead of passing
        /// it on: for many children in the background, where the first Ctrl-C
        /// asks them all to stop and the second one insists.
        pub fn with_kill_on_second_interrupt(mut self) -> Supervisor {
            self.kill_on_second_interrupt = true;
            self
        }

        /// How many SIGINTs rolecall received while supervising.
        pub fn interrupts(&self) -> u32 {
            self.interrupts
        }

        /// Sends `signal` to the group of child `id` (a timeout, say); after
        /// SIGTERM what remains gets SIGKILL after the grace period.
        pub fn signal(&mut self, id: ChildId, signal: libc::c_int) {
            let deadline = Instant::now() + self.grace;
            let m = &mut self.members[id.0];
            if m.gone {
                return;
            }
            // SAFETY: kill(2) on a group that is not empty (its id is not reused).
            unsafe { libc::kill(-m.pid, signal) };
            if signal == libc::SIGTERM {
                m.kill_at = Some(m.kill_at.map_or(deadline, |t| t.min(deadline)));
            }
        }

        /// Spawns `command` as the leader of a new process group.
        pub fn spawn(&mut self, command: std::process::Command) -> io::Result<ChildId> {
            self.launch(command, None)
        }

        /// Spawns `command` as [`Supervisor::spawn`] does, and makes its group
        /// the terminal's foreground when rolecall's group has it now and no
        /// other child does.
        pub fn spawn_foreground(&mut self, command: std::process::Command) -> io::Result<ChildId> {
            let free = !self.members.iter().any(|m| m.foreground && !m.gone);
            let terminal = if free { controlling_terminal() } else { None };
            if let Some(terminal) = terminal {
                self.terminal = Some(terminal);
                // Taking the terminal back from the background must not stop
                // rolecall, nor a refresh message written meanwhile.
                if self.ttou.is_none() {
                    self.ttou = Some(ignore(libc::SIGTTOU));
                }
            }
            self.launch(command, terminal)
        }

        fn launch(
            &mut self,
            mut command: std::process::Command,
            terminal: Option<Terminal>,
        ) -> io::Result<ChildId> {
            let ttou = self.ttou;
            if ttou.is_none() && terminal.is_none() {
                // Nothing to do between fork and exec: std spawns with
                // posix_spawn, which does not copy rolecall's page tables as
                // fork does (a fan-out starts hundreds of children).
                command.process_group(0);
            } else {
                // SAFETY: between fork and exec only async-signal-safe calls
                // (setpgid, sigaction, tcsetpgrp, getpid) on values copied in.
                unsafe { Self::before_exec(&mut command, ttou, terminal) };
            }
            let child = match command.spawn() {
                Ok(child) => child,
                Err(e) => {
                    // The failed child may have taken the terminal already.
                    if let Some(t) = terminal {
                        // SAFETY: tcsetpgrp on a terminal descriptor, SIGTTOU ignored.
                        unsafe { libc::tcsetpgrp(t.fd, t.own_group) };
                    }
                    return Err(e);
                }
            };
            let pid = child.id() as libc::pid_t;
            // The child did both already; repeated so neither side races.
            // SAFETY: plain calls on the child's pid, not yet reaped.
            unsafe {
                libc::setpgid(pid, pid);
                if let Some(t) = terminal {
                    libc::tcsetpgrp(t.fd, pid);
                }
            }
            // Reaped below with waitpid; `child` holds nothing else.
            drop(child);
            self.members.push(Member {
                pid,
                status: None,
                kill_at: None,
                gone: false,
                foreground: terminal.is_some(),
            });
            Ok(ChildId(self.members.len() - 1))
        }

        /// Makes the child lead its own group, take the terminal when given
        /// one, and find SIGTTOU as rolecall found it.
        ///
        /// # Safety
        /// Runs between fork and exec: only async-signal-safe calls
        /// (setpgid, sigaction, tcsetpgrp, getpid) on values copied in.
        unsafe fn before_exec(
            command: &mut std::process::Command,
            ttou: Option<libc::sigaction>,
            terminal: Option<Terminal>,
        ) {
            // SAFETY: see above.
            unsafe {
                command.pre_exec(move || {
                    if libc::setpgid(0, 0) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                    if let Some(old) = ttou {
                        if let Some(t) = terminal {
                            // SIGTTOU is still ignored here: no stop.
                            libc::tcsetpgrp(t.fd, libc::getpid());
                        }
                        libc::sigaction(libc::SIGTTOU, &old, std::ptr::null_mut());
                    }
                    Ok(())
                });
            }
        }

        /// A child's pid (its group's id).
        pub fn pid(&self, id: ChildId) -> u32 {
            self.members[id.0].pid as u32
        }

        /// Waits for the next child to exit, passing signals on meanwhile:
        /// `None` once every child has.
        pub async fn next_exit(&mut self) -> Option<(ChildId, ExitStatus)> {
            loop {
                if let Some(done) = self.reap() {
                    return Some(done);
                }
                if self.members.iter().all(|m| m.status.is_some()) {
                    return None;
                }
                self.wait_event().await;
            }
        }

        /// Waits until every child has exited and every group is empty,
        /// killing what remains [`GRACE`] after its leader exited.
        pub async fn finish(&mut self) {
            while self.next_exit().await.is_some() {}
            loop {
                self.sweep();
                if self.members.iter().all(|m| m.gone) {
                    return;
                }
                self.wait_event().await;
            }
        }

        /// Whether a live child holds the terminal.
        fn child_has_terminal(&self) -> bool {
            self.members
                .iter()
                .any(|m| m.foreground && m.status.is_none())
        }

        /// One signal passed on, a child's change, or a tick.
        async fn wait_event(&mut self) {
            let pending = self.members.iter().any(|m| !m.gone && m.status.is_some())
                || self.members.iter().any(|m| m.kill_at.is_some() && !m.gone);
            // SIGCHLD wakes us; the tick also sees groups empty and deadlines.
            let tick = if pending {
                Duration::from_millis(50)
            } else {
                Duration::from_secs(1)
            };
            let received = {
                let recvs = self
                    .signals
                    .iter_mut()
                    .map(|(s, stream)| Box::pin(async move { stream.recv().await.map(|()| *s) }));
                tokio::select! {
                    _ = self.child.recv() => None,
                    (got, _, _) = futures_select_all(recvs) => got,
                    () = tokio::time::sleep(tick) => None,
                }
            };
            if let Some(signal) = received {
                self.forward(signal);
            }
            self.sweep();
        }

        /// Passes `signal` on to every group that is not empty.
        pub(super) fn forward(&mut self, signal: libc::c_int) {
            if !should_forward(signal, self.child_has_terminal()) {
                return;
            }
            let signal = if signal == libc::SIGINT {
                self.interrupts += 1;
                if self.kill_on_second_interrupt && self.interrupts > 1 {
                    libc::SIGKILL
                } else {
                    signal
                }
            } else {
                signal
            };
            let deadline = Instant::now() + self.grace;
            for m in self.members.iter_mut().filter(|m| !m.gone) {
                // SAFETY: kill(2) on a group that is not empty (its id is not reused).
                unsafe { libc::kill(-m.pid, signal) };
                if signal == libc::SIGTERM {
                    m.kill_at = Some(m.kill_at.map_or(deadline, |t| t.min(deadline)));
                }
            }
        }

        /// Reaps the first child that exited; takes care of stopped ones.
        fn reap(&mut self) -> Option<(ChildId, ExitStatus)> {
            for i in 0..self.members.len() {
                if self.members[i].status.is_some() {
                    continue;
                }
                let mut raw = 0;
                // SAFETY: waitpid on our own child's pid with a local out-pointer.
                let r = unsafe {
                    libc::waitpid(
                        self.members[i].pid,
                        &mut raw,
                        libc::WNOHANG | libc::WUNTRACED,
                    )
                };
                if r != self.members[i].pid {
                    continue;
                }
                if libc::WIFSTOPPED(raw) {
                    self.stopped(i);
                    continue;
                }
                let status = ExitStatus::from_raw(raw);
                let m = &mut self.members[i];
                m.status = Some(status);
                let deadline = Instant::now() + self.grace;
                m.kill_at = Some(m.kill_at.map_or(deadline, |t| t.min(deadline)));
                if m.foreground {
                    self.take_terminal_back(self.members[i].pid);
                }
                self.sweep();
                return Some((ChildId(i), status));
            }
            None
        }

        /// A child stopped (Ctrl-Z): with the terminal, rolecall takes it back
        /// and stops as well, so the shell sees its job stop; when continued
        /// it hands the terminal back and continues the child's group.
        fn stopped(&mut self, i: usize) {
            let (pid, foreground) = (self.members[i].pid, self.members[i].foreground);
            let Some(t) = self.terminal.filter(|_| foreground) else {
                return;
            };
            self.take_terminal_back(pid);
            // SAFETY: signals to our own group, then to the child's; tcsetpgrp
            // with SIGTTOU ignored.
            unsafe {
                libc::kill(0, libc::SIGTSTP);
                // Continued (by `fg` or `bg`): the terminal goes back to the
                // child only when rolecall was continued in the foreground.
                if libc::tcgetpgrp(t.fd) == t.own_group {
                    libc::tcsetpgrp(t.fd, pid);
                }
                libc::kill(-pid, libc::SIGCONT);
            }
        }

        /// Makes rolecall's group the terminal's foreground again, if the
        /// group of `pid` has it.
        fn take_terminal_back(&self, pid: libc::pid_t) {
            if let Some(t) = self.terminal {
                // SAFETY: queries and tcsetpgrp on a terminal descriptor, with
                // SIGTTOU ignored.
                unsafe {
                    if libc::tcgetpgrp(t.fd) == pid {
                        libc::tcsetpgrp(t.fd, t.own_group);
                    }
                }
            }
        }

        /// Marks empty groups, and kills what remains past its deadline.
        fn sweep(&mut self) {
            let now = Instant::now();
            for m in self.members.iter_mut().filter(|m| !m.gone) {
                if m.status.is_some() && group_empty(m.pid) {
                    m.gone = true;
                } else if m.kill_at.is_some_and(|t| now >= t) {
                    // SAFETY: kill(2) on a group that is not empty.
                    unsafe { libc::kill(-m.pid, libc::SIGKILL) };
                    if m.status.is_some() {
                        m.gone = group_empty(m.pid);
                    }
                }
            }
        }
    }

    impl Drop for Supervisor {
        fn drop(&mut self) {
            if let Some(old) = self.ttou {
                // SAFETY: restores the disposition saved in `ignore`.
                unsafe { libc::sigaction(libc::SIGTTOU, &old, std::ptr::null_mut()) };
            }
        }
    }

    /// Waits for the first of `futures` (a small select over a list).
    async fn futures_select_all<F, T>(futures: impl Iterator<Item = F>) -> (T, usize, ())
    where
        F: std::future::Future<Output = T> + Unpin,
    {
        let mut futures: Vec<F> = futures.collect();
        std::future::poll_fn(move |cx| {
            for (i, f) in futures.iter_mut().enumerate() {
                if let std::task::Poll::Ready(v) = std::pin::Pin::new(f).poll(cx) {
                    return std::task::Poll::Ready((v, i, ()));
                }
            }
            std::task::Poll::Pending
        })
        .await
    }

    /// Whether no process is left in group `pgid`.
    fn group_empty(pgid: libc::pid_t) -> bool {
        // SAFETY: signal 0 only checks; no memory is passed.
        let failed = unsafe { libc::kill(-pgid, 0) } != 0;
        failed && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }

    /// Ignores `signal` process-wide; the old disposition is returned.
    fn ignore(signal: libc::c_int) -> libc::sigaction {
        // SAFETY: sigaction with valid pointers to zeroed local structs.
        unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = libc::SIG_IGN;
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(signal, &new, &mut old);
            old
        }
    }

    /// The terminal on standard input, output or error whose foreground is
    /// rolecall's group (not when rolecall runs in the background).
    fn controlling_terminal() -> Option<Terminal> {
        // SAFETY: plain queries on descriptors 0 to 2; no memory is passed.
        unsafe {
            let own_group = libc::getpgrp();
            (0..=2)
                .find(|&fd| libc::isatty(fd) == 1 && libc::tcgetpgrp(fd) == own_group)
                .map(|fd| Terminal { fd, own_group })
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn exit_codes_pass_through_and_signals_become_128_plus_n() {
        assert_eq!(exit_code(ExitStatus::from_raw(0)), 0);
        assert_eq!(exit_code(ExitStatus::from_raw(7 << 8)), 7);
        assert_eq!(exit_code(ExitStatus::from_raw(255 << 8)), 255);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGTERM)), 143);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGINT)), 130);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGKILL)), 137);
    }

    #[test]
    fn resizes_come_from_the_terminal_when_a_child_has_it() {
        for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            assert!(should_forward(s, true), "{s}");
            assert!(should_forward(s, false), "{s}");
        }
        assert!(!should_forward(libc::SIGWINCH, true));
        assert!(should_forward(libc::SIGWINCH, false));
    }

    /// Whether `pid` is still a process (a zombie waiting for init counts as gone).
    #[cfg(target_os = "linux")]
    fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(_, rest)| rest.trim_start().to_string())
            })
            .is_some_and(|rest| !rest.starts_with('Z'))
    }

    #[cfg(target_os = "linux")]
    fn sh(script: &str) -> std::process::Command {
        let mut c = std::process::Command::new("/bin/sh");
        c.arg("-c").arg(script);
        c
    }

    #[cfg(target_os = "linux")]
    fn read_pids(path: &std::path::Path, n: usize) -> Vec<i32> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let pids: Vec<i32> = text
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect();
            if pids.len() >= n {
                return pids;
            }
            assert!(Instant::now() < deadline, "{text:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn many_children_each_a_group_and_what_remains_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        crate::credential::obtain::block_on(async {
            let grace = Duration::from_secs(2);
            let mut s = Supervisor::new().unwrap().with_grace(grace);
            // A child that exits at once, leaving a grandchild in its group
            // that ignores SIGTERM; one that detaches (setsid) and is left
            // alone; and one that exits 3.
            let a = s
                .spawn(sh(&format!(
                    "trap '' TERM; sleep 600 & echo $! >> {0}; exit 0",
                    pids.display()
                )))
                .unwrap();
            let b = s
                .spawn(sh(&format!(
                    "setsid sleep 600 & echo $! >> {0}; wait",
                    pids.display()
                )))
                .unwrap();
            let c = s.spawn(sh("exit 3")).unwrap();
            assert_ne!(s.pid(a), s.pid(b));
            let mut exits = Vec::new();
            for _ in 0..2 {
                exits.push(s.next_exit().await.unwrap());
            }
            exits.sort_by_key(|(id, _)| id.0);
            assert_eq!(exits[0], (a, ExitStatus::from_raw(0)));
            assert_eq!(exits[1], (c, ExitStatus::from_raw(3 << 8)));
            let found = read_pids(&pids, 2);
            // `b` waits for its detached sleep: end that one by hand later.
            std::thread::sleep(Duration::from_millis(200));
            assert!(found.iter().all(|&p| alive(p)), "{found:?}");
            // SIGTERM to the groups: b's shell dies of it; a's remains ignore it.
            s.forward(libc::SIGTERM);
            let (id, status) = s.next_exit().await.unwrap();
            assert_eq!((id, status.signal()), (b, Some(libc::SIGTERM)));
            let started = Instant::now();
            s.finish().await;
            let waited = started.elapsed();
            // From a's exit, before the SIGTERM: a little less than the grace.
            assert!(waited >= grace / 2, "{waited:?}");
            assert!(waited < grace + Duration::from_secs(5), "{waited:?}");
            std::thread::sleep(Duration::from_millis(100));
            let (setsid, kept): (Vec<i32>, Vec<i32>) = (
                found.iter().copied().filter(|&p| alive(p)).collect(),
                found.iter().copied().filter(|&p| !alive(p)).collect(),
            );
            assert_eq!(setsid.len(), 1, "only the detached sleep lives: {found:?}");
            assert_eq!(kept.len(), 1, "{found:?}");
            // SAFETY: ends the detached sleep this test started.
            unsafe { libc::kill(setsid[0], libc::SIGKILL) };
        });
    }
}
