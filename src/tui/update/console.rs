//! The console key: `o` on a profile opens the AWS console signed in as it,
//! through `rolecall console` run in the background (see `tui::console`); the
//! status line says when the browser got it, or why not.

use super::{Effect, Msg};
use crate::tui::model::Model;

/// Handles [`Msg::OpenConsole`] and [`Msg::ConsoleFinished`].
pub fn console_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::OpenConsole => {
            if model.demo {
                model.status =
                    Some("the demo's profiles are not real: there is no console to open".into());
                return Vec::new();
            }
            let Some(entry) = model.selected_entry() else {
                return Vec::new();
            };
            let name = model.name_of(entry).to_string();
            model.status = Some(format!("opening the AWS console as '{name}'…"));
            vec![Effect::OpenConsole(name)]
        }
        Msg::ConsoleFinished(report) => {
            model.status = Some(report);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::update;
    use super::*;

    #[test]
    fn the_key_opens_the_selected_profile_and_reports_back() {
        let mut m = demo();
        assert!(
            update(&mut m, Msg::OpenConsole).is_empty(),
            "not for the demo"
        );
        assert!(m.status.as_deref().unwrap().contains("not real"));
        m.demo = false;
        let name = selected(&m);
        let effects = update(&mut m, Msg::OpenConsole);
        assert_eq!(effects, vec![Effect::OpenConsole(name.clone())]);
        assert_eq!(
            m.status.as_deref(),
            Some(format!("opening the AWS console as '{name}'…").as_str())
        );
        let effects = update(&mut m, Msg::ConsoleFinished("opened".into()));
        assert!(effects.is_empty());
        assert_eq!(m.status.as_deref(), Some("opened"));
    }
}
