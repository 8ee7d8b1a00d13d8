//! Runs `rolecall console PROFILE` for the TUI on a thread of its own: the
//! same command as on the command line (credentials, sign-in, the one-time
//! address and the browser), as a child process so the screen keeps working.
//! The child never touches the terminal: no stdin, no stdout, and no SSO login
//! (`ROLECALL_NO_LOGIN`: an expired session says to press L), and a session of
//! its own, without the controlling terminal, so an MFA prompt can never read
//! the keys meant for the TUI (it fails instead, unless a session is cached);
//! its last line on stderr becomes the status line.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::Sender;

use super::update::Msg;

/// Starts the console sign-in of `profile` with the files the TUI shows;
/// sends [`Msg::ConsoleFinished`] when it ends.
pub fn start(profile: String, config: PathBuf, credentials: PathBuf, inbox: Sender<Msg>) {
    std::thread::spawn(move || {
        let report = match run(&profile, &config, &credentials) {
            Ok(report) => report,
            Err(e) => format!("console for '{profile}': {e}"),
        };
        let _ = inbox.send(Msg::ConsoleFinished(report));
    });
}

fn run(profile: &str, config: &PathBuf, credentials: &PathBuf) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find rolecall itself: {e}"))?;
    let mut cmd = Command::new(exe);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and only detaches the child
        // from this terminal.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    let output = cmd
        .arg("--config")
        .arg(config)
        .arg("--credentials")
        .arg(credentials)
        .args(["console", "--", profile])
        .env(crate::credential::source::NO_LOGIN_VAR, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run rolecall console: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let last = last
        .strip_prefix("rolecall: error: ")
        .or_else(|| last.strip_prefix("rolecall: "))
        .unwrap_or(last)
        .to_string();
    if output.status.success() {
        Ok(last)
    } else if last.is_empty() {
        Err(format!("rolecall console failed ({})", output.status))
    } else {
        Err(last)
    }
}
