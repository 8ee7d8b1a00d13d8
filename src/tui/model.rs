//! The TUI's state. Plain data: `update` changes it, `view` reads it.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::credential::cache::Caches;
use crate::credential::expiry::{Urgency, countdown, urgency};
use crate::credential::status::{EnvExpiry, Status, status_of};
use crate::fuzzy::fuzzy_match;
use crate::profile::edit::Files;
use crate::profile::summary::{Row, rows};
use crate::profile::{FileKind, ProfileSet};
use crate::workspace::Workspace;

use super::layout::Areas;

/// What the keyboard is talking to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Moving through the list.
    Normal,
    /// Typing a filter.
    Filter,
    /// The help overlay.
    Help,
    /// The edit form, moving between fields.
    Form,
    /// Typing into a form field.
    FormInput,
    /// The diff preview before saving.
    Preview,
    /// Typing a name into a prompt.
    Prompt,
    /// A yes/no question.
    Confirm,
    /// Choosing the kind of a new profile.
    KindPick,
}

/// List order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// By name.
    Name,
    /// By kind, then name.
    Kind,
}

impl Sort {
    /// The next order.
    pub fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::Kind,
            Sort::Kind => Sort::Name,
        }
    }

    /// For the title bar.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Kind => "kind",
        }
    }
}

/// One profile as the list shows it, plus what the filter searches besides the name.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The list row.
    pub row: Row,
    /// Account ids, role names and ARNs, region, sso-session: searched after the name.
    pub extra: String,
    /// The expiry that matters for it.
    pub status: Status,
}

/// A status cell: its text and how urgent it is (for colour).
pub fn status_cell(status: &Status, now: SystemTime) -> (String, Option<Urgency>) {
    match status {
        Status::Expires { at, .. } => (countdown(*at, now), Some(urgency(*at, now))),
        Status::LoginNeeded(_) => ("login needed".to_string(), Some(Urgency::Expired)),
        Status::Unknown => (String::new(), None),
    }
}

/// A visible row: which entry, and which characters of its name matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visible {
    /// Index into [`Model::entries`].
    pub entry: usize,
    /// Matched character positions in the name (empty when the match was elsewhere).
    pub positions: Vec<usize>,
}

/// The whole state.
#[derive(Debug)]
pub struct Model {
    /// Everything the files define.
    pub set: ProfileSet,
    /// The documents, as read.
    pub files: Files,
    /// The open edit form.
    pub form: Option<super::form::Form>,
    /// The documents before the last save, for undo.
    pub undo: Option<Files>,
    /// An open name prompt.
    pub prompt: Option<super::dialog::Prompt>,
    /// An open confirmation.
    pub confirm: Option<super::dialog::Confirm>,
    /// The kind picker for a new profile: its name and the highlighted template.
    pub kind_pick: Option<(String, usize)>,
    /// The profile to select once the pending save has landed.
    pub select_after_save: Option<String>,
    /// Every profile.
    pub entries: Vec<Entry>,
    /// Profiles passing the filter, in display order.
    pub visible: Vec<Visible>,
    /// Index into `visible` of the selection.
    pub selected: usize,
    /// Index into `visible` of the first row on screen.
    pub offset: usize,
    /// The filter text.
    pub filter: String,
    /// Keyboard focus.
    pub mode: Mode,
    /// Where closing help returns to.
    pub before_help: Mode,
    /// List order.
    pub sort: Sort,
    /// Screen regions, from the last resize.
    pub areas: Areas,
    /// A one-line message for the status bar.
    pub status: Option<String>,
    /// The files shown.
    pub paths: (PathBuf, PathBuf),
    /// Showing the bundled demo.
    pub demo: bool,
    /// The time of the last tick.
    pub now: SystemTime,
    /// Expiry times read from the shared caches.
    pub caches: Caches,
    /// `AWS_CREDENTIAL_EXPIRATION` for `ROLECALL_PROFILE`.
    pub env_expiry: EnvExpiry,
    /// When the caches were last read.
    pub caches_read_at: SystemTime,
    /// The status texts on screen at the last draw, to redraw only when one changes.
    pub shown_statuses: Vec<String>,
    /// Colours (none under `NO_COLOR`).
    pub theme: super::view::Theme,
    /// Set to leave the loop.
    pub quit: bool,
    dirty: bool,
}

impl Model {
    /// A model of `ws` at time `now`.
    pub fn new(ws: &Workspace, caches: Caches, env_expiry: EnvExpiry, now: SystemTime) -> Model {
        let mut model = Model {
            set: ProfileSet::default(),
            files: ws.files(),
            form: None,
            undo: None,
            prompt: None,
            confirm: None,
            kind_pick: None,
            select_after_save: None,
            entries: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            mode: Mode::Normal,
            before_help: Mode::Normal,
            sort: Sort::Name,
            areas: Areas::default(),
            status: None,
            paths: (
                ws.path(FileKind::Config).to_path_buf(),
                ws.path(FileKind::Credentials).to_path_buf(),
            ),
            demo: ws.demo,
            now,
            caches,
            env_expiry,
            caches_read_at: now,
            shown_statuses: Vec::new(),
            theme: super::view::Theme::colored(),
            quit: false,
            dirty: true,
        };
        model.load(ws.view());
        model
    }

    /// Replaces the profiles, keeping the selection on the same name when it still exists.
    pub fn load(&mut self, set: ProfileSet) {
        let selected_name = self.selected_entry().map(|e| e.row.name.clone());
        self.entries = rows(&set)
            .into_iter()
            .map(|row| {
                let p = &set.profiles[&row.name];
                let extra = [
                    "sso_account_id",
                    "sso_role_name",
                    "role_arn",
                    "region",
                    "sso_session",
                    "source_profile",
                ]
                .iter()
                .filter_map(|k| p.get(k))
                .collect::<Vec<_>>()
                .join(" ");
                let status = status_of(&set, &row.name, &self.caches, &self.env_expiry);
                Entry { row, extra, status }
            })
            .collect();
        self.set = set;
        self.refilter();
        if let Some(name) = selected_name
            && let Some(i) = self
                .visible
                .iter()
                .position(|v| self.entries[v.entry].row.name == name)
        {
            self.selected = i;
        }
        self.clamp();
    }

    /// Selects the profile `name` if it is visible.
    pub fn select_name(&mut self, name: &str) {
        if let Some(i) = self
            .visible
            .iter()
            .position(|v| self.entries[v.entry].row.name == name)
        {
            self.selected = i;
            self.clamp();
        }
    }

    /// The selected profile's entry.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible
            .get(self.selected)
            .map(|v| &self.entries[v.entry])
    }

    /// Recomputes `visible` from the filter and sort order.
    pub fn refilter(&mut self) {
        let mut scored: Vec<(i64, Visible)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                if let Some(m) = fuzzy_match(&self.filter, &e.row.name) {
                    return Some((
                        m.score + 1000,
                        Visible {
                            entry: i,
                            positions: m.positions,
                        },
                    ));
                }
                fuzzy_match(&self.filter, &e.extra).map(|m| {
                    (
                        m.score,
                        Visible {
                            entry: i,
                            positions: Vec::new(),
                        },
                    )
                })
            })
            .collect();
        let entries = &self.entries;
        if self.filter.is_empty() {
            match self.sort {
                Sort::Name => {}
                Sort::Kind => scored.sort_by(|a, b| {
                    entries[a.1.entry]
                        .row
                        .kind
                        .cmp(&entries[b.1.entry].row.kind)
                }),
            }
        } else {
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        }
        self.visible = scored.into_iter().map(|(_, v)| v).collect();
        self.selected = 0;
        self.offset = 0;
    }

    /// Keeps the selection in range and on screen.
    pub fn clamp(&mut self) {
        let n = self.visible.len();
        self.selected = self.selected.min(n.saturating_sub(1));
        let height = usize::from(self.areas.list_rows()).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(n.saturating_sub(height));
    }

    /// New cache contents: every status is recomputed.
    pub fn set_caches(&mut self, caches: Caches, now: SystemTime) {
        self.caches = caches;
        self.caches_read_at = now;
        for e in &mut self.entries {
            e.status = status_of(&self.set, &e.row.name, &self.caches, &self.env_expiry);
        }
    }

    /// The status texts of the rows on screen now.
    pub fn statuses_on_screen(&self) -> Vec<String> {
        let rows = usize::from(self.areas.list_rows());
        self.visible
            .iter()
            .skip(self.offset)
            .take(rows)
            .map(|v| status_cell(&self.entries[v.entry].status, self.now).0)
            .collect()
    }

    /// Marks the screen for a redraw.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Whether a redraw was requested since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }
}
