//! The SSO login from the list: `L` on a profile starts a device-code login of
//! its session in the background; the code is shown large until the login ends;
//! Esc cancels it. Each login carries a ticket: the result of a cancelled or
//! superseded login is dropped, so it can never overwrite a newer one.

use super::super::model::{LoginView, Model};
use super::super::onboard::{Question, Stage};
use super::super::overlay::Overlay;
use super::{Effect, Msg};

/// Handles the login messages.
pub fn login_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Login => {
            if model.demo {
                model.status =
                    Some("the demo's SSO sessions are not real: nothing to log in to".into());
                return Vec::new();
            }
            let Some(entry) = model.selected_entry() else {
                return Vec::new();
            };
            let name = model.name_of(entry).to_string();
            match crate::sso::config::for_profile(&model.set, &name) {
                Err(e) => model.status = Some(e.to_string()),
                Ok(cfg) => {
                    model.login_ticket += 1;
                    model.overlay = Overlay::Login(LoginView {
                        ticket: model.login_ticket,
                        label: cfg.label(),
                        prompt: None,
                        browser_opened: false,
                    });
                    return vec![Effect::Login {
                        ticket: model.login_ticket,
                        cfg: Box::new(cfg),
                        profile: name,
                    }];
                }
            }
        }
        Msg::LoginPrompt {
            ticket,
            prompt,
            browser_opened,
        } => {
            if let Some(view) = model.login_view_mut().filter(|v| v.ticket == ticket) {
                view.prompt = Some(*prompt);
                view.browser_opened = browser_opened;
            }
        }
        Msg::LoginFinished { ticket, result } => {
            let for_onboarding = model
                .onboard()
                .is_some_and(|o| o.stage == Stage::LoggingIn(ticket));
            if for_onboarding {
                return super::onboard::onboard_update(
                    model,
                    Msg::LoginFinished { ticket, result },
                );
            }
            if !matches!(&model.overlay, Overlay::Login(v) if v.ticket == ticket) {
                return Vec::new(); // a late answer to a login that is gone
            }
            model.close_overlay();
            model.status = Some(match result {
                Ok(report) => report,
                Err(e) => e,
            });
            return vec![Effect::ReadCaches];
        }
        Msg::LoginCancel => {
            let view = match &mut model.overlay {
                Overlay::Login(_) => match std::mem::take(&mut model.overlay) {
                    Overlay::Login(v) => Some(v),
                    _ => None,
                },
                Overlay::Onboard(o) => {
                    let view = o.login.take();
                    if view.is_some() {
                        // Back to the last question of the onboarding.
                        o.stage = Stage::Ask(Question::Session);
                        o.input = crate::tui::input::TextInput::with_text(&o.session);
                        o.error = Some("the login was cancelled".into());
                    }
                    view
                }
                _ => None,
            };
            if let Some(view) = view {
                model.status = Some(format!("login to {} cancelled", view.label));
                return vec![Effect::CancelLogin(view.ticket)];
            }
        }
        _ => {}
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::cache::Caches;
    use crate::credential::status::EnvExpiry;
    use crate::sso::flow::Prompt;
    use crate::tui::model::Mode;
    use crate::workspace::Workspace;

    /// The demo's profiles, treated as real, with `name` selected.
    fn model(name: &str) -> Model {
        let ws = Workspace::demo();
        let mut m = Model::new(
            &ws,
            Caches::default(),
            EnvExpiry::default(),
            crate::clock::now(),
        );
        m.demo = false;
        m.select_name(name);
        assert_eq!(m.selected_name(), Some(name));
        m
    }

    fn prompt() -> Box<Prompt> {
        Box::new(Prompt {
            user_code: "ABCD-EFGH".into(),
            verification_uri: "https://device".into(),
            verification_uri_complete: "https://device?user_code=ABCD-EFGH".into(),
            expires_at: crate::clock::now(),
        })
    }

    const SSO: &str = "acme-dev.Developer";

    #[test]
    fn login_starts_shows_the_code_and_finishes() {
        let mut m = model(SSO);
        let effects = login_update(&mut m, Msg::Login);
        assert!(
            matches!(&effects[..], [Effect::Login { ticket: 1, profile, .. }] if profile == SSO)
        );
        assert_eq!(m.mode(), Mode::Login);
        login_update(
            &mut m,
            Msg::LoginPrompt {
                ticket: 1,
                prompt: prompt(),
                browser_opened: true,
            },
        );
        assert_eq!(
            m.login_view().unwrap().prompt.as_ref().unwrap().user_code,
            "ABCD-EFGH"
        );
        let effects = login_update(
            &mut m,
            Msg::LoginFinished {
                ticket: 1,
                result: Ok("logged in".into()),
            },
        );
        assert_eq!(effects, vec![Effect::ReadCaches]);
        assert!(m.login_view().is_none());
        assert_eq!(m.mode(), Mode::Normal);
        assert_eq!(m.status.as_deref(), Some("logged in"));
    }

    #[test]
    fn cancel_then_a_late_result_is_ignored() {
        let mut m = model(SSO);
        login_update(&mut m, Msg::Login);
        assert_eq!(
            login_update(&mut m, Msg::LoginCancel),
            vec![Effect::CancelLogin(1)]
        );
        login_update(&mut m, Msg::Login);
        // The first login's answers arrive late: they change nothing.
        login_update(
            &mut m,
            Msg::LoginPrompt {
                ticket: 1,
                prompt: prompt(),
                browser_opened: false,
            },
        );
        assert!(m.login_view().unwrap().prompt.is_none());
        assert!(
            login_update(
                &mut m,
                Msg::LoginFinished {
                    ticket: 1,
                    result: Ok("old".into())
                }
            )
            .is_empty()
        );
        assert_eq!(m.login_view().unwrap().ticket, 2);
        assert_eq!(m.mode(), Mode::Login);
    }

    #[test]
    fn a_profile_without_sso_says_why() {
        let mut m = model("dev-admin");
        assert!(login_update(&mut m, Msg::Login).is_empty());
        assert!(m.status.as_deref().unwrap().contains("does not use SSO"));
        assert!(m.login_view().is_none());
    }
}
