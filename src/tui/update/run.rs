//! Using a profile: the run picker (a saved or typed command run with the
//! selected profile) and copying its `export AWS_PROFILE=…` line, each noted as a
//! use. The command itself is run by the loop through [`Effect::RunCommand`].

use crate::exec::env::export_line;
use crate::tui::model::Model;
use crate::tui::overlay::Overlay;
use crate::tui::run::RunPick;

use super::RunMsg;
use super::{Effect, Msg};

/// Running a command with the selected profile, and copying its export line.
pub(super) fn run_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let saved = &model.commands;
    let mut effects = Vec::new();
    match msg {
        Msg::OpenRun => {
            let going = model.hidden_results.as_ref().is_some_and(|r| r.running);
            if !model.marks.is_empty() && going {
                let key = model.keys.first_key("results").unwrap_or_default();
                model.status = Some(format!(
                    "a run on marked rows is still going: {key} shows it; start another once it ends"
                ));
            } else if !model.marks.is_empty() {
                model.overlay = Overlay::Run(RunPick::open_many(model.targets()));
            } else if let Some(e) = model.selected_entry() {
                model.overlay = Overlay::Run(RunPick::open(model.name_of(e)));
            }
        }
        Msg::Run(RunMsg::Move(down)) => {
            if let Overlay::Run(r) = &mut model.overlay {
                r.step(down, saved);
            }
        }
        Msg::Run(RunMsg::Edit(edit)) => {
            if let Overlay::Run(r) = &mut model.overlay {
                r.edit(edit, saved);
            }
        }
        Msg::Run(RunMsg::Cancel) => model.close_overlay(),
        Msg::Run(RunMsg::Submit) => {
            let Overlay::Run(r) = &mut model.overlay else {
                return effects;
            };
            let choice = match r.choice(saved) {
                Ok(choice) => choice,
                Err(why) => {
                    r.error = Some(why);
                    model.mark_dirty();
                    return effects;
                }
            };
            let profile = r.profile.clone();
            let targets = std::mem::take(&mut r.targets);
            model.close_overlay();
            if !targets.is_empty() {
                effects.push(super::fanout::start(model, targets, choice.command.clone()));
                if choice.new {
                    model.commands.push(choice.command.clone());
                    effects.push(Effect::RememberCommand(choice.command));
                }
                model.mark_dirty();
                return effects;
            }
            effects.push(Effect::RunCommand {
                profile: profile.clone(),
                command: choice.command.clone(),
            });
            effects.extend(record_use(model, &profile));
            if choice.new {
                model.commands.push(choice.command.clone());
                effects.push(Effect::RememberCommand(choice.command));
            }
        }
        Msg::CopyExport => {
            if let Some(e) = model.selected_entry() {
                let name = model.name_of(e).to_string();
                let line = export_line(&name);
                model.status = Some(format!(
                    "{line}   copied to the clipboard (OSC 52, where the terminal allows it)"
                ));
                effects.push(Effect::Clipboard(line));
                effects.extend(record_use(model, &name));
            }
        }
        _ => {}
    }
    model.mark_dirty();
    effects
}

/// Notes a use of `profile`; the demo's uses are kept in memory only, so the
/// user's recent-use file never names profiles that are not theirs.
fn record_use(model: &mut Model, profile: &str) -> Option<Effect> {
    model.record_use(profile);
    (!model.demo).then(|| Effect::RecordUse {
        profile: profile.to_string(),
        at: model.now,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{demo, select};
    use super::super::update;
    use super::*;
    use crate::tui::model::Mode;
    use std::time::UNIX_EPOCH;

    #[test]
    fn run_picker_runs_saved_or_typed_commands_and_remembers_new_ones() {
        let mut m = demo();
        m.demo = false; // as if these were the user's files
        m.commands = vec!["env | grep AWS_".to_string()];
        select(&mut m, "dev-admin");
        m.now = UNIX_EPOCH + std::time::Duration::from_secs(100);
        let _ = update(&mut m, Msg::OpenRun);
        assert_eq!(m.mode(), Mode::RunPick);
        let effects = update(&mut m, Msg::Run(RunMsg::Submit));
        assert_eq!(
            effects,
            vec![
                Effect::RunCommand {
                    profile: "dev-admin".into(),
                    command: "env | grep AWS_".into()
                },
                Effect::RecordUse {
                    profile: "dev-admin".into(),
                    at: m.now
                },
            ]
        );
        assert_eq!(
            (m.mode(), !matches!(m.overlay, Overlay::Run(_))),
            (Mode::Normal, true)
        );
        let _ = update(&mut m, Msg::OpenRun);
        let _ = update(&mut m, Msg::Run(RunMsg::Move(true)));
        assert!(
            update(&mut m, Msg::Run(RunMsg::Submit)).is_empty(),
            "nothing typed"
        );
        assert_eq!(
            m.overlay.run().unwrap().error.as_deref(),
            Some("type a command first")
        );
        for c in "dapr run --app-id myapp -- python app.py".chars() {
            let _ = update(
                &mut m,
                Msg::Run(RunMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let effects = update(&mut m, Msg::Run(RunMsg::Submit));
        assert_eq!(
            effects.last(),
            Some(&Effect::RememberCommand(
                "dapr run --app-id myapp -- python app.py".into()
            ))
        );
        assert_eq!(m.commands.len(), 2);
        let _ = update(
            &mut m,
            Msg::CommandFinished("ran `dapr …` with dev-admin: exit status 0".into()),
        );
        let _ = update(&mut m, Msg::Warn("not remembered: disk full".into()));
        assert_eq!(
            m.status.as_deref(),
            Some("ran `dapr …` with dev-admin: exit status 0 · not remembered: disk full")
        );
        let _ = update(&mut m, Msg::OpenRun);
        let _ = update(&mut m, Msg::Run(RunMsg::Cancel));
        assert_eq!(
            (m.mode(), !matches!(m.overlay, Overlay::Run(_))),
            (Mode::Normal, true)
        );
    }

    #[test]
    fn the_demo_keeps_its_uses_in_memory() {
        let mut m = demo();
        select(&mut m, "ci");
        let _ = update(&mut m, Msg::OpenRun);
        for c in "aws sts get-caller-identity".chars() {
            let _ = update(
                &mut m,
                Msg::Run(RunMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let effects = update(&mut m, Msg::Run(RunMsg::Submit));
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::RecordUse { .. }))
        );
        assert!(m.recent.last_used("ci").is_some());
        let effects = update(&mut m, Msg::CopyExport);
        assert_eq!(
            effects,
            vec![Effect::Clipboard("export AWS_PROFILE='ci'".into())]
        );
        assert!(
            m.status
                .as_deref()
                .unwrap()
                .starts_with("export AWS_PROFILE='ci'")
        );
    }
}
