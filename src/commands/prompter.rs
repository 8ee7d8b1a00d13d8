//! The command line's answers to the credential pipeline
//! ([`crate::credential::source::Prompter`]): SSO codes and MFA questions on
//! the terminal (`/dev/tty`, else stderr), never on stdout, which may be a
//! pipe a program reads credentials from; Ctrl-C cancels.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::credential::source::Prompter;
use crate::sso::config::SsoConfig;
use crate::sso::flow::Prompt;
use crate::sso::login::Ui;

/// Writes to the terminal, else stderr.
fn write(text: &str) {
    #[cfg(unix)]
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        let _ = tty.write_all(text.as_bytes());
        return;
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Shows an SSO login's code on the terminal.
#[derive(Default)]
pub struct TerminalUi;

impl Ui for TerminalUi {
    fn show(&mut self, cfg: &SsoConfig, prompt: &Prompt, browser_opened: bool) {
        let how = if browser_opened {
            "A browser is open on the page; check that it shows this code, then allow access:"
        } else {
            "Open this page in a browser, check that it shows this code, then allow access:"
        };
        write(&format!(
            "rolecall: signing in to {} ({})\n  {}\n{how}\n\n      {}\n\nWaiting (Ctrl-C cancels)...\n",
            cfg.label(),
            cfg.start_url,
            prompt.verification_uri_complete,
            prompt.user_code,
        ));
    }

    fn note(&mut self, message: &str) {
        write(&format!("rolecall: {message}\n"));
    }
}

/// Resolves when the user presses Ctrl-C.
pub async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The terminal as the credential pipeline's front end.
#[derive(Default)]
pub struct Terminal;

impl Terminal {
    /// A shared handle, as [`crate::credential::source::Source`] keeps it.
    pub fn shared() -> Arc<dyn Prompter> {
        Arc::new(Terminal)
    }
}

impl Prompter for Terminal {
    fn mfa_code(&self, profile: &str, serial: &str) -> Result<Zeroizing<String>, String> {
        crate::tty::line(&format!("MFA code for {serial} (profile {profile}): "))
            .map_err(|e| format!("there is {e}"))
    }

    fn note(&self, message: &str) {
        let _ = crate::tty::say(message);
    }

    fn login_ui(&self) -> Box<dyn Ui> {
        Box::new(TerminalUi)
    }

    fn cancelled(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(ctrl_c())
    }
}
