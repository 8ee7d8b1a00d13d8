//! Scrolling help, the doctor panel and the SSO setup's preview, and keeping
//! each within its last page when the screen changes size. The limits come
//! from `tui::help`, `tui::doctor` and `tui::layout` (pure functions of the
//! model's screen size), never from the view.

use crate::tui::layout;
use crate::tui::model::Model;
use crate::tui::onboard::{Stage, preview_diff};
use crate::tui::overlay::Overlay;

/// `scroll` one line down (`true`) or up, stopping at 0 and at `max`.
fn step(scroll: &mut u16, down: bool, max: u16) {
    *scroll = if down {
        scroll.saturating_add(1).min(max)
    } else {
        scroll.saturating_sub(1)
    };
}

/// Scrolls help one line.
pub(super) fn help(model: &mut Model, down: bool) {
    let max = crate::tui::help::max_scroll(&model.keys, model.areas.screen);
    if let Overlay::Help { scroll, .. } = &mut model.overlay {
        step(scroll, down, max);
    }
}

/// Scrolls the doctor panel one line.
pub(super) fn doctor(model: &mut Model, down: bool) {
    let screen = model.areas.screen;
    if let Overlay::Doctor { report, scroll } = &mut model.overlay {
        step(scroll, down, crate::tui::doctor::max_scroll(report, screen));
    }
}

/// Brings every scrolled overlay back within its last page (after a resize).
pub(super) fn clamp(model: &mut Model) {
    let screen = model.areas.screen;
    let help_max = crate::tui::help::max_scroll(&model.keys, screen);
    match &mut model.overlay {
        Overlay::Help { scroll, .. } => *scroll = (*scroll).min(help_max),
        Overlay::Doctor { report, scroll } => {
            *scroll = (*scroll).min(crate::tui::doctor::max_scroll(report, screen));
        }
        Overlay::Onboard(o) => {
            if let Stage::Preview(files, _) = &o.stage {
                let lines = preview_diff(&model.files, files).len();
                let max = layout::onboard_preview_max(screen, lines);
                o.preview_scroll = o.preview_scroll.min(max);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::demo;
    use super::super::{DoctorMsg, HelpMsg, Msg, update};
    use crate::tui::model::Model;
    use crate::tui::overlay::Overlay;
    use std::time::UNIX_EPOCH;

    fn help_scroll(m: &Model) -> u16 {
        match &m.overlay {
            Overlay::Help { scroll, .. } => *scroll,
            o => panic!("{o:?}"),
        }
    }

    fn doctor_scroll(m: &Model) -> u16 {
        match &m.overlay {
            Overlay::Doctor { scroll, .. } => *scroll,
            o => panic!("{o:?}"),
        }
    }

    /// Help's lines at a width, counted from the keymap (one column below 100).
    fn help_lines(m: &Model, width: u16) -> u16 {
        crate::tui::help::rows(&crate::tui::help::columns(&m.keys, width))
    }

    #[test]
    fn help_stops_at_its_last_page_and_a_bigger_screen_clamps_it() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut m = demo();
            let _ = update(&mut m, Msg::Resize(w, h));
            let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
            for _ in 0..500 {
                let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(true)));
            }
            // The last page: the last line sits on the box's last inner row.
            let last_page = help_lines(&m, w) - (h - 2);
            assert_eq!(help_scroll(&m), last_page, "{w}x{h}");
            let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(false)));
            assert_eq!(help_scroll(&m), last_page - 1, "{w}x{h}: back up one");
        }
        let mut m = demo();
        let _ = update(&mut m, Msg::Resize(80, 24));
        let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
        for _ in 0..500 {
            let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(true)));
        }
        assert!(help_scroll(&m) > 0);
        let _ = update(&mut m, Msg::Resize(200, 80));
        assert_eq!(help_scroll(&m), 0, "everything fits: nothing to scroll");
        let _ = update(&mut m, Msg::Resize(120, 40));
        let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(true)));
        let max = help_lines(&m, 120).saturating_sub(38);
        assert_eq!(help_scroll(&m), 1.min(max));
    }

    #[test]
    fn doctor_stops_at_its_last_page_and_a_bigger_screen_clamps_it() {
        let mut m = demo();
        let report = crate::doctor::diagnose(&crate::doctor::Input {
            env: &crate::doctor::Environment::from_pairs([
                ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEENV000001"),
                ("AWS_SECRET_ACCESS_KEY", "never-shown"),
                ("AWS_DEFAULT_PROFILE", "other"),
                ("AWS_PROFILE", "audit"),
            ]),
            set: &m.set,
            wanted: Some("audit"),
            caches: &Default::default(),
            boto_files: &[],
            now: UNIX_EPOCH,
        });
        let _ = update(&mut m, Msg::DoctorReady(Box::new(report.clone())));
        let lines = crate::tui::doctor::lines(&report).len() as u16;
        for (w, h) in [(80, 24), (120, 40)] {
            let _ = update(&mut m, Msg::Resize(w, h));
            for _ in 0..500 {
                let _ = update(&mut m, Msg::Doctor(DoctorMsg::Scroll(true)));
            }
            let max = crate::tui::doctor::max_scroll(&report, m.areas.screen);
            assert_eq!(doctor_scroll(&m), max, "{w}x{h}");
            // At least as far as the unwrapped lines need (panel: h - 2 rows, border).
            assert!(max >= lines.saturating_sub(h - 4), "{w}x{h}: {max}");
        }
        let _ = update(&mut m, Msg::Resize(60, 12));
        for _ in 0..500 {
            let _ = update(&mut m, Msg::Doctor(DoctorMsg::Scroll(true)));
        }
        assert!(doctor_scroll(&m) > 0, "the report is longer than 8 rows");
        let _ = update(&mut m, Msg::Resize(200, 100));
        assert_eq!(doctor_scroll(&m), 0);
    }

    #[test]
    fn the_sso_preview_stops_at_its_last_page_and_a_bigger_screen_clamps_it() {
        use crate::sso::portal::{Account, Assignment};
        use crate::tui::onboard::{Onboard, Stage, preview_diff};
        use crate::tui::update::OnboardMsg;
        let mut m = demo();
        let mut o = Onboard::new();
        (o.session, o.start_url, o.region) = (
            "corp".into(),
            "https://c.example/start".into(),
            "eu-west-1".into(),
        );
        o.assignments = (0..40)
            .map(|i| Assignment {
                account: Account {
                    id: format!("{:012}", 100_000_000_000u64 + i),
                    name: format!("acct-{i}"),
                    email: String::new(),
                },
                role: "Admin".into(),
            })
            .collect();
        o.check_all(true);
        let (files, plan) = o.plan(&m.files).unwrap();
        let lines = preview_diff(&m.files, &files).len();
        o.stage = Stage::Preview(Box::new(files), plan);
        m.overlay = Overlay::Onboard(Box::new(o));
        let first = |m: &Model| m.onboard().unwrap().preview_scroll;
        for (w, h) in [(80, 24), (120, 40)] {
            let _ = update(&mut m, Msg::Resize(w, h));
            for _ in 0..100 {
                let _ = update(&mut m, Msg::Onboard(OnboardMsg::Move(10)));
            }
            // The window holds h - 8 lines: the last page starts that far from the end.
            assert_eq!(first(&m), lines - usize::from(h - 8), "{w}x{h}");
        }
        let _ = update(&mut m, Msg::Onboard(OnboardMsg::Move(-1)));
        assert_eq!(first(&m), lines - 33);
        let _ = update(&mut m, Msg::Resize(120, lines as u16));
        assert_eq!(first(&m), 8, "a taller screen shows more: clamped");
    }
}
