//! Messages in, state changes and effects out. Never performs I/O: effects are
//! returned as data for the loop in `tui::run` to carry out.

use std::time::SystemTime;

use crate::credential::cache::Caches;
use crate::profile::ProfileSet;

use super::layout::Areas;
use super::model::{Mode, Model};

/// Something that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Selection one up.
    Up,
    /// Selection one down.
    Down,
    /// A screen up.
    PageUp,
    /// A screen down.
    PageDown,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Select the row at this index from the top of the screen (mouse click).
    ClickRow(usize),
    /// Open the filter.
    StartFilter,
    /// A character typed into the filter.
    FilterInput(char),
    /// Delete the filter's last character.
    FilterBackspace,
    /// Keep the filter and go back to the list.
    FilterAccept,
    /// Clear the filter and go back to the list.
    FilterCancel,
    /// Open or close help.
    ToggleHelp,
    /// Next sort order.
    CycleSort,
    /// Re-read the files.
    Reload,
    /// The files were re-read.
    Loaded(Box<ProfileSet>),
    /// Show a message.
    Status(String),
    /// The terminal's new size.
    Resize(u16, u16),
    /// A second passed.
    Tick(SystemTime),
    /// The caches were re-read.
    CachesRead(Box<Caches>, SystemTime),
    /// Leave.
    Quit,
}

/// Work for the loop to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Re-read the files and send [`Msg::Loaded`].
    Reload,
    /// Re-read the caches and send [`Msg::CachesRead`].
    ReadCaches,
}

/// How often the caches are re-read, so a login elsewhere shows up.
pub const CACHE_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Applies `msg` to `model`; returns the effects to perform.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let page = usize::from(model.areas.list_rows()).max(1);
    let last = model.visible.len().saturating_sub(1);
    match msg {
        Msg::Up => model.selected = model.selected.saturating_sub(1),
        Msg::Down => model.selected = (model.selected + 1).min(last),
        Msg::PageUp => model.selected = model.selected.saturating_sub(page),
        Msg::PageDown => model.selected = (model.selected + page).min(last),
        Msg::Top => model.selected = 0,
        Msg::Bottom => model.selected = last,
        Msg::ClickRow(row) => {
            if model.offset + row < model.visible.len() {
                model.selected = model.offset + row;
            }
        }
        Msg::StartFilter => model.mode = Mode::Filter,
        Msg::FilterInput(c) => {
            model.filter.push(c);
            model.refilter();
        }
        Msg::FilterBackspace => {
            model.filter.pop();
            model.refilter();
        }
        Msg::FilterAccept => model.mode = Mode::Normal,
        Msg::FilterCancel => {
            model.mode = Mode::Normal;
            model.filter.clear();
            model.refilter();
        }
        Msg::ToggleHelp => {
            model.mode = if model.mode == Mode::Help {
                Mode::Normal
            } else {
                Mode::Help
            };
        }
        Msg::CycleSort => {
            model.sort = model.sort.next();
            model.refilter();
        }
        Msg::Reload => return vec![Effect::Reload, Effect::ReadCaches],
        Msg::Loaded(set) => {
            model.load(*set);
            model.status = Some("reloaded".to_string());
        }
        Msg::Status(s) => model.status = Some(s),
        Msg::Resize(w, h) => model.areas = Areas::compute(w, h),
        Msg::Tick(now) => {
            model.now = now;
            let shown = model.statuses_on_screen();
            if shown != model.shown_statuses {
                model.shown_statuses = shown;
                model.mark_dirty();
            }
            let due = now
                .duration_since(model.caches_read_at)
                .is_ok_and(|d| d >= CACHE_REFRESH);
            return if due {
                vec![Effect::ReadCaches]
            } else {
                Vec::new()
            };
        }
        Msg::CachesRead(caches, now) => model.set_caches(*caches, now),
        Msg::Quit => model.quit = true,
    }
    model.clamp();
    model.shown_statuses = model.statuses_on_screen();
    model.mark_dirty();
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use std::time::UNIX_EPOCH;

    fn demo() -> Model {
        let mut m = Model::new(
            &Workspace::demo(),
            Caches::default(),
            Default::default(),
            UNIX_EPOCH,
        );
        update(&mut m, Msg::Resize(120, 12));
        m
    }

    fn selected(m: &Model) -> String {
        m.selected_entry().unwrap().row.name.clone()
    }

    #[test]
    fn moves_and_scrolls_within_bounds() {
        let mut m = demo();
        assert_eq!(selected(&m), "acme-dev.Developer");
        update(&mut m, Msg::Up);
        assert_eq!(m.selected, 0);
        update(&mut m, Msg::Bottom);
        assert_eq!(m.selected, m.visible.len() - 1);
        assert!(m.offset > 0, "the last row is scrolled into view");
        assert!(m.selected < m.offset + usize::from(m.areas.list_rows()));
        update(&mut m, Msg::Down);
        assert_eq!(m.selected, m.visible.len() - 1);
        update(&mut m, Msg::Top);
        assert_eq!((m.selected, m.offset), (0, 0));
    }

    #[test]
    fn filter_narrows_highlights_and_escape_clears() {
        let mut m = demo();
        update(&mut m, Msg::StartFilter);
        for c in "audt".chars() {
            update(&mut m, Msg::FilterInput(c));
        }
        assert_eq!(selected(&m), "audit");
        assert_eq!(m.visible[0].positions, vec![0, 1, 2, 4]);
        update(&mut m, Msg::FilterAccept);
        assert_eq!((m.mode, m.filter.as_str()), (Mode::Normal, "audt"));
        update(&mut m, Msg::StartFilter);
        update(&mut m, Msg::FilterCancel);
        assert!(m.filter.is_empty());
        assert_eq!(m.visible.len(), m.entries.len());
    }

    #[test]
    fn filter_searches_account_ids_too() {
        let mut m = demo();
        for c in "222222".chars() {
            update(&mut m, Msg::FilterInput(c));
        }
        assert_eq!(m.visible.len(), 1);
        assert_eq!(selected(&m), "acme-prod.ReadOnly");
        assert!(m.visible[0].positions.is_empty());
    }

    #[test]
    fn reload_is_an_effect_and_keeps_the_selection() {
        let mut m = demo();
        update(&mut m, Msg::Down);
        let name = selected(&m);
        assert_eq!(
            update(&mut m, Msg::Reload),
            vec![Effect::Reload, Effect::ReadCaches]
        );
        update(&mut m, Msg::Loaded(Box::new(Workspace::demo().view())));
        assert_eq!(selected(&m), name);
    }

    #[test]
    fn clicks_select_rows_and_sort_cycles() {
        let mut m = demo();
        update(&mut m, Msg::ClickRow(2));
        assert_eq!(m.selected, 2);
        update(&mut m, Msg::ClickRow(99));
        assert_eq!(m.selected, 2);
        update(&mut m, Msg::CycleSort);
        let kinds: Vec<_> = m
            .visible
            .iter()
            .map(|v| m.entries[v.entry].row.kind.clone())
            .collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
    }

    #[test]
    fn ticks_redraw_only_when_a_countdown_on_screen_changes() {
        use crate::credential::cache::sso_token_file;
        use std::time::Duration;
        let mut m = demo();
        let mut caches = Caches::default();
        let expires = UNIX_EPOCH + Duration::from_secs(7200);
        caches.sso_tokens.insert(sso_token_file("acme"), expires);
        update(&mut m, Msg::CachesRead(Box::new(caches), UNIX_EPOCH));
        m.take_dirty();
        // 2h00m → 1h59m: a visible change.
        assert!(update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(1))).is_empty());
        assert!(m.take_dirty());
        // Still 1h59m a second later: no redraw.
        update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(2)));
        assert!(!m.take_dirty());
        // Ten seconds after the last read, the caches are read again.
        assert_eq!(
            update(&mut m, Msg::Tick(UNIX_EPOCH + CACHE_REFRESH)),
            vec![Effect::ReadCaches]
        );
    }
}
