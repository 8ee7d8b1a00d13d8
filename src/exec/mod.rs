//! Running programs with a profile: the environment change ([`env`], pure) and
//! launching a child in the user's shell with it. The caller owns the terminal:
//! this module only spawns and waits.
//!
//! `exec --mode server` adds a local credential endpoint ([`server`]) kept
//! fresh by [`refresh`], generated config files without credentials
//! ([`files`]), which refuses other users' connections ([`peer`]), and a
//! child supervised as a process group ([`child`]).

pub mod child;
pub mod env;
pub mod export;
pub mod fanout;
pub mod files;
pub mod peer;
pub mod refresh;
pub mod server;

use std::io;
use std::process::{Command, ExitStatus};

use env::EnvDelta;

/// The user's shell: `$SHELL`, else `/bin/sh`.
pub fn shell(env: &dyn Fn(&str) -> Option<String>) -> String {
    env("SHELL")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "/bin/sh".to_string())
}

/// The process that runs `command` through `shell -c`, with `delta` applied.
pub fn shell_command(shell: &str, command: &str, delta: &EnvDelta) -> Command {
    let mut child = Command::new(shell);
    child.arg("-c").arg(command);
    delta.apply(&mut child);
    child
}

/// Runs `command` through `shell -c` with `delta`, sharing this terminal, and
/// waits for it.
pub fn run_in_shell(shell: &str, command: &str, delta: &EnvDelta) -> io::Result<ExitStatus> {
    shell_command(shell, command, delta).status()
}

/// How a child ended, for people: `exit status 0`, `killed by signal 9`.
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_falls_back_to_sh() {
        assert_eq!(shell(&|_| None), "/bin/sh");
        assert_eq!(shell(&|_| Some(String::new())), "/bin/sh");
        assert_eq!(shell(&|_| Some("/bin/zsh".into())), "/bin/zsh");
    }

    #[cfg(unix)]
    #[test]
    fn the_child_sees_the_delta() {
        let delta = env::profile_env("dev", &env::FileVars::default());
        // As if the parent had keys in its environment: the delta removes them.
        let mut child = Command::new("/bin/sh");
        child
            .arg("-c")
            .arg("echo \"$AWS_PROFILE/$AWS_DEFAULT_PROFILE/${AWS_SECRET_ACCESS_KEY-unset}\"")
            .env("AWS_SECRET_ACCESS_KEY", "shadow");
        delta.apply(&mut child);
        let out = child.output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "dev/dev/unset\n");
        let status = run_in_shell("/bin/sh", "exit 3", &delta).unwrap();
        assert_eq!(describe(status), "exit status 3");
    }
}
