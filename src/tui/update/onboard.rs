//! Moving the SSO onboarding along: answers typed and checked, the login and
//! the listing started as effects (each with a ticket; a late answer is
//! dropped), the filter and template, the preview, and the save.

use super::super::input::Edit;
use super::super::input::TextInput;
use super::super::layout;
use super::super::model::{LoginView, Model};
use super::super::onboard::{Focus, Onboard, Question, Stage, check_template, preview_diff};
use super::super::overlay::Overlay;
use super::super::region::Chooser;
use super::OnboardMsg;
use super::{Effect, Msg};

fn check(question: Question, answer: &str) -> Result<(), String> {
    match question {
        Question::StartUrl
            if !(answer.starts_with("https://") || answer.starts_with("http://")) =>
        {
            Err(
                "the portal URL starts with https:// (e.g. https://my-org.awsapps.com/start)"
                    .into(),
            )
        }
        Question::Region => match crate::profile::region::check(answer) {
            // A region's shape rolecall does not know may be a new region: taken.
            None | Some(crate::profile::region::Problem::Unknown { .. }) => Ok(()),
            Some(crate::profile::region::Problem::Malformed { suggestion }) => {
                Err(match suggestion {
                    Some(s) => format!("'{answer}' is not a region; did you mean {s}?"),
                    None => "a region such as us-east-1".into(),
                })
            }
        },
        Question::Session if !crate::sso::onboard::valid_session_name(answer) => {
            Err("letters, digits and _-/.%@:+ only".into())
        }
        _ => Ok(()),
    }
}

/// Starts the login of the session being set up: the dialog and the effect.
fn start_login(tickets: &mut u64, o: &mut Onboard) -> Effect {
    *tickets += 1;
    let ticket = *tickets;
    let cfg = o.config();
    o.login = Some(LoginView {
        ticket,
        label: cfg.label(),
        prompt: None,
        browser_opened: false,
    });
    o.stage = Stage::LoggingIn(ticket);
    Effect::Login {
        ticket,
        cfg: Box::new(cfg),
        profile: String::new(),
    }
}

/// Handles the onboarding messages.
pub fn onboard_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    if let Msg::OpenOnboard = msg {
        if model.demo {
            model.status =
                Some("the demo is read-only: run rolecall without --demo to set up SSO".into());
        } else {
            // The files' sso-sessions are offered first, to reuse.
            let existing = model
                .set
                .sso_sessions
                .iter()
                .filter_map(|(name, s)| {
                    let url = s.get("sso_start_url")?;
                    let region = s.get("sso_region")?;
                    Some((name.to_string(), url.to_string(), region.to_string()))
                })
                .collect();
            model.overlay = Overlay::Onboard(Box::new(Onboard::offering(existing)));
        }
        return Vec::new();
    }
    let mut o = match std::mem::take(&mut model.overlay) {
        Overlay::Onboard(o) => o,
        other => {
            model.overlay = other;
            return Vec::new();
        }
    };
    let mut effects = Vec::new();
    let mut keep = true;
    match (msg, o.stage.clone()) {
        (Msg::Onboard(OnboardMsg::Move(by)), Stage::Reuse(at)) => {
            o.stage = Stage::Reuse(at.saturating_add_signed(by).min(o.existing.len()));
        }
        (Msg::Onboard(OnboardMsg::Next), Stage::Reuse(at)) => match o.existing.get(at).cloned() {
            Some((name, url, region)) => {
                o.session = name;
                o.start_url = url;
                o.region = region;
                effects.push(start_login(&mut model.login_ticket, &mut o));
            }
            None => o.stage = Stage::Ask(Question::StartUrl),
        },
        (Msg::Onboard(OnboardMsg::Cancel), Stage::Preview(..)) => {
            o.stage = Stage::Pick(Focus::Table)
        }
        (Msg::Onboard(OnboardMsg::Cancel), _) => {
            keep = false;
            model.status = Some("SSO setup cancelled: nothing written".into());
        }
        (Msg::Onboard(OnboardMsg::Edit(edit)), Stage::Ask(q)) => {
            o.input.apply(edit);
            // Typing the region (re)opens the chooser of known regions.
            if q == Question::Region {
                o.region_pick = Some(Chooser::open(&o.input));
            }
        }
        (Msg::Onboard(OnboardMsg::Next), Stage::Ask(q)) => {
            let answer = o.input.text().trim().to_string();
            match check(q, &answer) {
                Err(e) => o.error = Some(e),
                Ok(()) => {
                    o.error = None;
                    o.input.clear();
                    match q {
                        Question::StartUrl => {
                            o.start_url = answer;
                            // Offered, selected: typing replaces it.
                            o.input = TextInput::prefilled("us-east-1");
                            o.region_pick = Some(Chooser::open(&o.input));
                            o.stage = Stage::Ask(Question::Region);
                        }
                        Question::Region => {
                            o.region = answer;
                            o.region_pick = None;
                            o.input = TextInput::prefilled(&crate::sso::onboard::suggest_session(
                                &o.start_url,
                            ));
                            o.stage = Stage::Ask(Question::Session);
                        }
                        Question::Session => {
                            o.session = answer;
                            effects.push(start_login(&mut model.login_ticket, &mut o));
                        }
                    }
                }
            }
        }
        (Msg::LoginFinished { ticket, result }, Stage::LoggingIn(t)) if t == ticket => {
            o.login = None;
            match result {
                Ok(_) => {
                    o.stage = Stage::Listing(ticket);
                    effects.push(Effect::ListAssignments {
                        ticket,
                        cfg: Box::new(o.config()),
                    });
                }
                Err(e) => {
                    o.error = Some(e);
                    o.input = TextInput::with_text(&o.session);
                    o.stage = Stage::Ask(Question::Session);
                }
            }
        }
        (Msg::OnboardListed { ticket, result }, Stage::Listing(t)) if t == ticket => match result {
            Ok(assignments) => {
                o.assignments = assignments;
                o.stage = Stage::Pick(Focus::Filter);
            }
            Err(e) => {
                o.error = Some(e);
                o.stage = Stage::Ask(Question::Session);
                o.input = TextInput::with_text(&o.session);
            }
        },
        (Msg::Onboard(OnboardMsg::SwitchField), Stage::Pick(f)) => o.stage = Stage::Pick(f.next()),
        (Msg::Onboard(OnboardMsg::Move(by)), Stage::Pick(_)) => {
            o.move_cursor(by);
            o.stage = Stage::Pick(Focus::Table);
        }
        (Msg::Onboard(OnboardMsg::Move(by)), Stage::Preview(files, _)) => {
            let lines = preview_diff(&model.files, &files).len();
            let max = layout::onboard_preview_max(model.areas.screen, lines);
            o.preview_scroll = o.preview_scroll.saturating_add_signed(by).min(max);
        }
        // In the table, keys are commands: Space toggles, a checks all shown,
        // A unchecks all, j/k move.
        (Msg::Onboard(OnboardMsg::Edit(Edit::Insert(c))), Stage::Pick(Focus::Table)) => match c {
            ' ' => o.toggle(),
            'a' => o.check_all(true),
            'A' => o.check_all(false),
            'j' => o.move_cursor(1),
            'k' => o.move_cursor(-1),
            _ => {}
        },
        (Msg::Onboard(OnboardMsg::Edit(_)), Stage::Pick(Focus::Table)) => {}
        (Msg::Onboard(OnboardMsg::Edit(edit)), Stage::Pick(Focus::Template)) => {
            o.template.apply(edit);
        }
        (Msg::Onboard(OnboardMsg::Edit(edit)), Stage::Pick(Focus::Filter)) => {
            o.filter.apply(edit);
            o.cursor = 0;
        }
        (Msg::Onboard(OnboardMsg::Next), Stage::Pick(_)) => {
            let checked = check_template(o.template.text()).and_then(|()| {
                if o.checked.is_empty() {
                    Err(
                        "pick at least one role: Tab to the table, Space checks a row, a all shown"
                            .into(),
                    )
                } else {
                    Ok(())
                }
            });
            match checked.and_then(|()| o.plan(&model.files)) {
                Ok((files, plan)) => {
                    o.error = None;
                    o.preview_scroll = 0;
                    o.stage = Stage::Preview(Box::new(files), plan);
                }
                Err(e) => o.error = Some(e),
            }
        }
        (Msg::Onboard(OnboardMsg::Next), Stage::Preview(files, plan)) => {
            keep = false;
            model.status = Some(format!(
                "writing {} new, {}, {}…",
                crate::words::plural(plan.add.len(), "profile", "profiles"),
                crate::words::plural(plan.update.len(), "update", "updates"),
                crate::words::plural(plan.remove.len(), "removal", "removals")
            ));
            effects.push(Effect::Save {
                files,
                undo: Some(Box::new(model.files.clone())),
            });
        }
        _ => {} // a late answer, or a key with no meaning here
    }
    if keep {
        model.overlay = Overlay::Onboard(o);
    }
    effects
}

#[cfg(test)]
mod tests;
