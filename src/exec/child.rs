//! Running the child of `exec --mode server`: spawn it, pass signals on, and
//! turn how it ended into rolecall's exit status.
//!
//! rolecall stays the child's parent (it serves the credentials), so it must
//! behave like the child to whoever started it: SIGINT, SIGTERM, SIGHUP, SIGQUIT
//! and SIGWINCH sent to rolecall go on to the child, and rolecall exits with the
//! child's status, or 128+N when a signal N killed it. A signal the terminal
//! sent to its whole foreground process group (Ctrl-C, Ctrl-\, a resize, a
//! hang-up) already reached the child, which shares rolecall's group, so it is
//! not sent a second time: a second Ctrl-C means "force quit" to many programs.
//! SIGTERM never comes from the terminal and is always passed on. The child's
//! standard streams are rolecall's; nothing here writes to them.

use std::io;
use std::process::ExitStatus;

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

/// Whether a signal rolecall received should be sent on to the child, given
/// whether rolecall's process group is its terminal's foreground group (then
/// the terminal's signals reached the child already).
#[cfg(unix)]
pub fn should_forward(signal: libc::c_int, foreground: bool) -> bool {
    signal == libc::SIGTERM || !foreground
}

/// Whether this process's group is the foreground group of the terminal on
/// one of its standard streams.
#[cfg(unix)]
fn in_foreground() -> bool {
    // SAFETY: plain queries on file descriptors 0 to 2; no memory is passed.
    unsafe {
        let group = libc::getpgrp();
        (0..=2).any(|fd| libc::isatty(fd) == 1 && libc::tcgetpgrp(fd) == group)
    }
}

/// Spawns `command` and waits for it, passing signals on (see the module).
#[cfg(unix)]
pub async fn run(mut command: tokio::process::Command) -> io::Result<ExitStatus> {
    use tokio::signal::unix::{SignalKind, signal};
    // Listening before the spawn: a signal right after it is passed on, not fatal.
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut winch = signal(SignalKind::window_change())?;
    let mut child = command.spawn()?;
    loop {
        let signal = tokio::select! {
            status = child.wait() => return status,
            Some(()) = int.recv() => libc::SIGINT,
            Some(()) = term.recv() => libc::SIGTERM,
            Some(()) = hup.recv() => libc::SIGHUP,
            Some(()) = quit.recv() => libc::SIGQUIT,
            Some(()) = winch.recv() => libc::SIGWINCH,
        };
        if should_forward(signal, in_foreground())
            && let Some(pid) = child.id()
        {
            // SAFETY: kill(2) on the child's pid, which is not reaped (and so
            // not reused) before `wait` above returns.
            unsafe { libc::kill(pid as libc::pid_t, signal) };
        }
    }
}

/// Spawns `command` and waits for it.
#[cfg(not(unix))]
pub async fn run(mut command: tokio::process::Command) -> io::Result<ExitStatus> {
    command.spawn()?.wait().await
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
    fn terminal_signals_are_not_doubled() {
        assert!(should_forward(libc::SIGTERM, true));
        assert!(should_forward(libc::SIGTERM, false));
        for s in [libc::SIGINT, libc::SIGHUP, libc::SIGQUIT, libc::SIGWINCH] {
            assert!(!should_forward(s, true), "{s}");
            assert!(should_forward(s, false), "{s}");
        }
    }
}
