//! Running an SSO login for the TUI: on its own thread with its own runtime,
//! reporting to the event loop through a channel (the code as soon as it is
//! known, the result at the end) and stopping when its cancel handle fires.

use std::sync::mpsc::Sender;

use tokio::sync::oneshot;

use crate::sso::config::SsoConfig;
use crate::sso::flow::Prompt;
use crate::sso::login::{self, Browser, Env, Options, Ui};

use super::update::Msg;

/// Sends what the login shows to the event loop.
struct ChannelUi {
    ticket: u64,
    tx: Sender<Msg>,
}

impl Ui for ChannelUi {
    fn show(&mut self, _cfg: &SsoConfig, prompt: &Prompt, browser_opened: bool) {
        let _ = self.tx.send(Msg::LoginPrompt {
            ticket: self.ticket,
            prompt: Box::new(prompt.clone()),
            browser_opened,
        });
    }

    fn note(&mut self, message: &str) {
        let _ = self.tx.send(Msg::Warn(message.to_string()));
    }
}

/// Starts the login; dropping or firing the returned handle cancels it.
pub fn start(
    ticket: u64,
    env: Env,
    cfg: SsoConfig,
    profile: String,
    browser: Browser,
    tx: Sender<Msg>,
) -> oneshot::Sender<()> {
    let (cancel_tx, cancel_rx) = oneshot::channel::<()>();
    std::thread::spawn(move || {
        let opts = Options {
            force: false,
            interactive: true,
            browser,
        };
        let mut ui = ChannelUi {
            ticket,
            tx: tx.clone(),
        };
        let cancel = async {
            let _ = cancel_rx.await;
        };
        let result = crate::credential::obtain::block_on(login::ensure(
            &env,
            &cfg,
            &opts,
            Some(&profile),
            &mut ui,
            cancel,
        ));
        let now = crate::clock::now();
        let result = match result {
            Ok(outcome) => {
                let left = crate::credential::expiry::countdown(outcome.token().expires_at, now);
                Ok(format!("{} {} ({left} left)", outcome.verb(), cfg.label()))
            }
            Err(e) => Err(e.to_string()),
        };
        let _ = tx.send(Msg::LoginFinished { ticket, result });
    });
    cancel_tx
}

/// Lists the session's accounts and roles with its cached token, on its own
/// thread; sends [`Msg::OnboardListed`].
pub fn list(ticket: u64, env: Env, cfg: SsoConfig, tx: Sender<Msg>) {
    std::thread::spawn(move || {
        let result = crate::credential::obtain::block_on(async {
            let token = crate::sso::token::load(&env.sso_cache, cfg.cache_key())
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no token for {}: log in first", cfg.label()))?;
            let sdk = crate::sso::oidc::sdk_config(&cfg.region, &env.files).await;
            crate::sso::portal::Portal::new(&sdk)
                .assignments(&token.access_token)
                .await
        });
        let _ = tx.send(Msg::OnboardListed { ticket, result });
    });
}
