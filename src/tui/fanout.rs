//! Running a command on the marked rows for the TUI (issue 19): on a thread
//! of its own, through the same [`crate::credential::source::fanout::launch`]
//! as `rolecall exec --each` (one endpoint, a token per child, `-j 8`, output
//! captured with the `--json` limit), each start and outcome sent to the
//! event loop's inbox as it happens, so the list stays usable.
//!
//! Nothing may ask the terminal the TUI draws on: a profile whose credentials
//! need an MFA code, or an SSO session that needs a login, fails on its row
//! with the reason (log in with `L` first; run MFA profiles from the CLI).
//! The run is cancelled (SIGTERM to every group) when the TUI quits, and
//! waited for, so no child outlives rolecall. Signals sent to the TUI are not
//! passed on to the children (a handler would stay installed and keep SIGTERM
//! from ending the TUI): a TUI killed by a signal leaves them to finish.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use tokio::sync::oneshot;
use zeroize::Zeroizing;

use crate::credential::source::fanout::{Launch, launch};
use crate::credential::source::{NO_LOGIN_VAR, Prompter, margin};
use crate::exec::fanout::run::{Event, Options, Show};
use crate::sso::config::SsoConfig;
use crate::sso::flow::Prompt;
use crate::sso::login::Ui;
use crate::workspace::Workspace;

use super::results::Ended;
use super::update::{FanOutEvent, Msg};

/// The TUI as the credential pipeline's front end during a run: it asks
/// nothing, and warnings go to the status line.
struct Quiet {
    tx: std::sync::Mutex<Sender<Msg>>,
}

impl Prompter for Quiet {
    fn mfa_code(&self, _profile: &str, _serial: &str) -> Result<Zeroizing<String>, String> {
        // The pipeline's sentence goes on with the fix (run it once in a
        // terminal; the session is cached).
        Err("the TUI cannot ask for it during a run on marked rows".into())
    }

    fn note(&self, message: &str) {
        let tx = self.tx.lock().unwrap_or_else(|e| e.into_inner());
        let _ = tx.send(Msg::Warn(message.to_string()));
    }

    fn login_ui(&self) -> Box<dyn Ui> {
        Box::new(NoUi)
    }

    fn cancelled(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::pending())
    }
}

/// Never shown: logins do not start during a run.
struct NoUi;

impl Ui for NoUi {
    fn show(&mut self, _cfg: &SsoConfig, _prompt: &Prompt, _browser_opened: bool) {}
    fn note(&mut self, _message: &str) {}
}

/// A run in the background: firing `cancel` stops it; `thread` ends after.
pub struct Running {
    /// Stops the run.
    pub cancel: oneshot::Sender<()>,
    /// The run's thread.
    pub thread: std::thread::JoinHandle<()>,
}

/// Starts `command` (through the user's shell) in `profiles` of `ws`; sends
/// [`Msg::FanOutEvent`]s and, at the end, [`Msg::FanOutDone`].
pub fn start(
    ticket: u64,
    ws: &Workspace,
    profiles: Vec<String>,
    command: &str,
    tx: Sender<Msg>,
) -> Running {
    // No SSO login may start: it would need the terminal.
    let ws = ws.clone().with_env(&ws.env.with(NO_LOGIN_VAR, Some("1")));
    let shell = crate::exec::shell(&|k| ws.env.var(k));
    let argv = vec![shell, "-c".to_string(), command.to_string()];
    let (cancel, cancelled) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let set = ws.view();
        let names = profiles.clone();
        let events_tx = std::sync::Mutex::new(tx.clone());
        let events = Arc::new(move |event: Event| {
            let event = match event {
                Event::Started { index } => FanOutEvent::Started(names[index].clone()),
                Event::Finished { index, outcome } => {
                    FanOutEvent::Finished(names[index].clone(), Ended::from_outcome(&outcome))
                }
            };
            let tx = events_tx.lock().unwrap_or_else(|e| e.into_inner());
            let _ = tx.send(Msg::FanOutEvent { ticket, event });
        });
        let l = Launch {
            ws: &ws,
            set: &set,
            names: &profiles,
            command: &argv,
            mode: None,
            refresh: false,
            margin: margin(&ws.env, None),
            prompter: Arc::new(Quiet {
                tx: std::sync::Mutex::new(tx.clone()),
            }),
        };
        let options = Options {
            jobs: crate::exec::fanout::DEFAULT_JOBS,
            timeout: None,
            show: Show::Quiet,
            capture: true,
            grace: crate::exec::child::GRACE,
            progress: false,
            // Quitting stops the run; a handler for SIGTERM would stay
            // installed and keep the TUI from being terminated.
            forward_signals: false,
        };
        let cancel = async {
            let _ = cancelled.await;
        };
        let result = launch(&l, &options, events, cancel)
            .map(|_| ())
            .map_err(|e| format!("the run failed: {e:#}"));
        let _ = tx.send(Msg::FanOutDone { ticket, result });
    });
    Running { cancel, thread }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use crate::exec::fanout::report::Status;
    use crate::profile::location::Overrides;

    /// A run from the TUI goes through the fan-out's credentials: keys reach
    /// their child; a profile that needs an MFA code fails on its row with
    /// the reason and the fix, without asking anything.
    #[test]
    fn a_run_reports_each_row_and_refuses_to_ask_for_an_mfa_code() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(
            path("config"),
            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
        )
        .unwrap();
        std::fs::write(
            path("credentials"),
            "[base]\naws_access_key_id = AKIABASE000000000000\naws_secret_access_key = s\n",
        )
        .unwrap();
        let (home, config, credentials) = (path("home"), path("config"), path("credentials"));
        let env = Env::from_slice(&[
            ("HOME", &home),
            ("XDG_CACHE_HOME", &home),
            ("AWS_CONFIG_FILE", &config),
            ("AWS_SHARED_CREDENTIALS_FILE", &credentials),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]);
        let ws = Workspace::open(&env, &Overrides::default()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let run = start(
            7,
            &ws,
            vec!["base".into(), "mfa".into()],
            "echo \"$ROLECALL_PROFILE $AWS_ACCESS_KEY_ID\"",
            tx,
        );
        let mut ended = std::collections::HashMap::new();
        loop {
            match rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap() {
                Msg::FanOutEvent {
                    ticket: 7,
                    event: FanOutEvent::Finished(p, e),
                } => {
                    ended.insert(p, e);
                }
                Msg::FanOutDone { ticket: 7, result } => {
                    assert_eq!(result, Ok(()));
                    break;
                }
                _ => {}
            }
        }
        run.thread.join().unwrap();
        assert_eq!(ended["base"].status, Status::Exited(0));
        assert_eq!(ended["base"].output, "base AKIABASE000000000000\n");
        let mfa = &ended["mfa"];
        assert!(matches!(mfa.status, Status::NotRun(_)), "{mfa:?}");
        assert!(
            mfa.output.contains("needs a code from MFA device")
                && mfa.output.contains("the TUI cannot ask for it"),
            "{}",
            mfa.output
        );
    }
}
