//! The TUI's state. Plain data: `update` changes it, `view` reads it. Also the
//! list's order (sort and grouping), computed here so both agree.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::credential::cache::Caches;
use crate::credential::expiry::{Urgency, countdown, urgency};
use crate::credential::status::{EnvExpiry, Status, status_of_resolved};
use crate::fuzzy::fuzzy_match;
use crate::ini::SharedStr;
use crate::profile::Section;
use crate::profile::chain;
use crate::profile::edit::Files;
use crate::profile::summary::{Row, row};
use crate::profile::{FileKind, ProfileSet};
use crate::recent::Recent;
use crate::settings::Settings;
use crate::workspace::Workspace;

use super::layout::Areas;
use super::overlay::Overlay;

/// How long a status message stays on screen.
pub const STATUS_FOR: std::time::Duration = std::time::Duration::from_secs(6);

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
    /// Choosing the edited profile's new kind.
    FormKind,
    /// Typing into a region field (the form's or the SSO setup's) with the
    /// chooser of known regions open under it.
    RegionPick,
    /// The diff preview before saving.
    Preview,
    /// Asking whether to discard the form's changes.
    Discard,
    /// Typing a name into a prompt.
    Prompt,
    /// A yes/no question.
    Confirm,
    /// Choosing the kind of a new profile.
    KindPick,
    /// Choosing or typing a command to run with the profile.
    RunPick,
    /// The welcome screen, when there are no profiles yet.
    Welcome,
    /// An SSO login in progress: the code on screen.
    Login,
    /// The guided SSO onboarding.
    Onboard,
    /// The doctor panel: which credentials each SDK family uses, and findings.
    Doctor,
    /// The results of a command run on marked rows.
    Results,
}

/// The login dialog: which login, and the code once the service gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginView {
    /// The login's ticket (see [`super::update::Msg::LoginFinished`]).
    pub ticket: u64,
    /// The session, for people.
    pub label: String,
    /// The code and page, once known.
    pub prompt: Option<crate::sso::flow::Prompt>,
    /// Whether a browser was opened on the page.
    pub browser_opened: bool,
}

/// List order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// By name.
    Name,
    /// By kind, then name.
    Kind,
    /// Most recently used first (from rolecall), then the others by name.
    Recent,
}

impl Sort {
    /// The next order.
    pub fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::Kind,
            Sort::Kind => Sort::Recent,
            Sort::Recent => Sort::Name,
        }
    }

    /// For the title bar.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Kind => "kind",
            Sort::Recent => "recent",
        }
    }
}

/// What the list is grouped by: rows with the same value come together, and
/// the list shows the value in a first column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Not grouped.
    None,
    /// By `sso_session`.
    SsoSession,
    /// By AWS account (`sso_account_id`, or the account in `role_arn`).
    Account,
}

impl Group {
    /// The next grouping.
    pub fn next(self) -> Group {
        match self {
            Group::None => Group::SsoSession,
            Group::SsoSession => Group::Account,
            Group::Account => Group::None,
        }
    }

    /// For the title bar and the column header.
    pub fn label(self) -> &'static str {
        match self {
            Group::None => "none",
            Group::SsoSession => "sso-session",
            Group::Account => "account",
        }
    }

    /// The value `entry` (a profile of `set`) is grouped under; `None` when
    /// it has none (those come last).
    pub fn key<'a>(self, set: &'a ProfileSet, entry: &Entry) -> Option<&'a str> {
        let (_, p) = set.profiles.at(entry.index as usize)?;
        match self {
            Group::None => None,
            Group::SsoSession => p.get("sso_session"),
            Group::Account => account(p),
        }
    }
}

/// One profile of the list: where it is in the set, and its kind (for
/// sorting). Everything else a row shows is read from the set when the row is
/// drawn ([`Model::row`], [`Model::status`]): a row of owned text and a status
/// for each of a million profiles was over half the TUI's memory, and working
/// out every status a third of the time to the first frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its position in the set's profiles (`set.profiles.at`; a set holds
    /// fewer than 2^32, its documents at most 4 GiB).
    pub index: u32,
    /// Its kind's position in [`crate::profile::kind::LABELS`].
    kind: u8,
}

impl Entry {
    /// Its kind, as the KIND column shows it.
    pub fn kind(self) -> &'static str {
        crate::profile::kind::LABELS[usize::from(self.kind)]
    }
}

/// A profile's AWS account: `sso_account_id`, or the account in `role_arn`.
pub fn account(p: &Section) -> Option<&str> {
    p.get("sso_account_id")
        .or_else(|| p.get("role_arn").and_then(|arn| arn.split(':').nth(4)))
        .filter(|a| !a.is_empty())
}

/// What the filter searches after a profile's name, into `out`: its account
/// ids, role names and ARNs, region and sso-session, separated by spaces.
fn push_search_text(out: &mut String, p: &Section) {
    out.clear();
    for key in [
        "sso_account_id",
        "sso_role_name",
        "role_arn",
        "region",
        "sso_session",
        "source_profile",
    ] {
        if let Some(value) = p.get(key) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(value);
        }
    }
}

/// A status cell: its text and how urgent it is (for colour).
pub fn status_cell(status: &Status, now: SystemTime) -> (String, Option<Urgency>) {
    match status {
        Status::Expires { at, .. } => (countdown(*at, now), Some(urgency(*at, now))),
        Status::LoginNeeded(_) => ("login needed".to_string(), Some(Urgency::Expired)),
        Status::Unknown => (String::new(), None),
    }
}

/// A visible row: which entry. (Which characters of its name match the
/// filter is worked out when the row is drawn, [`Model::matched`].)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visible {
    /// Index into [`Model::entries`].
    pub entry: usize,
}

/// The whole state.
#[derive(Debug)]
pub struct Model {
    /// Everything the files define.
    pub set: ProfileSet,
    /// The documents, as read.
    pub files: Files,
    /// What is on top of the list, with its state; the keyboard's mode comes
    /// from it ([`Model::mode`]).
    pub overlay: Overlay,
    /// The documents before the last save, for undo.
    pub undo: Option<Files>,
    /// The profile selected when the save that undo reverts was made: undoing
    /// selects it again.
    pub undo_select: Option<String>,
    /// Commands remembered in the settings file, for the run picker.
    pub commands: Vec<String>,
    /// When profiles were last used, for [`Sort::Recent`].
    pub recent: Recent,
    /// The profile to select once the pending save has landed.
    pub select_after_save: Option<String>,
    /// Every profile.
    pub entries: Vec<Entry>,
    /// Profiles passing the filter, in display order.
    pub visible: Vec<Visible>,
    /// Index into `visible` of the selection. Kept on the same profile (see
    /// [`Model::anchor`]): change it through [`Model::select_index`].
    pub selected: usize,
    /// The selected profile's name: the selection's identity. Filtering,
    /// sorting, grouping and reloading reselect it when it is still shown; when
    /// it is not, the first row is selected (and becomes the anchor), except
    /// that an empty list keeps the anchor for when rows come back.
    pub anchor: Option<String>,
    /// Marked profiles, by name (issue 19): kept through filter, sort and
    /// grouping; a reload drops the names no profile has any more.
    pub marks: std::collections::BTreeSet<String>,
    /// Index into `visible` of the first row on screen.
    pub offset: usize,
    /// The filter.
    pub filter: super::input::TextInput,
    /// List order.
    pub sort: Sort,
    /// List grouping.
    pub group: Group,
    /// Keys in force (the table with the settings' overrides).
    pub keys: super::keymap::Keymap,
    /// Screen regions, from the last resize.
    pub areas: Areas,
    /// The details pane's default was flipped (`i`/Tab): shown below 100
    /// columns, hidden from there.
    pub details_toggled: bool,
    /// A one-line message for the status bar.
    pub status: Option<String>,
    /// The message as seen by the last tick, and since when: it is cleared
    /// once it has been on screen for [`STATUS_FOR`].
    pub status_seen: Option<(String, SystemTime)>,
    /// The files shown.
    pub paths: (PathBuf, PathBuf),
    /// The same, as people read them (`~/.aws/config`): computed once at
    /// load, so drawing never looks at the environment.
    pub shown_paths: (String, String),
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
    /// Opened as a picker (`rolecall exec --pick`): Enter picks instead of editing.
    pub picker: bool,
    /// The profile picked, when the picker ends with one.
    pub picked: Option<String>,
    /// The picker takes marked rows too (`exec --pick`): Enter with marks
    /// ends it with them.
    pub pick_many: bool,
    /// The marked profiles Enter ended the picker with.
    pub picked_marks: Vec<String>,
    /// The last login's ticket.
    pub login_ticket: u64,
    /// The last run on marked rows' ticket.
    pub run_ticket: u64,
    /// The results view, hidden by Esc while its run goes on (`J` shows it).
    pub hidden_results: Option<Box<super::results::Results>>,
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
            overlay: Overlay::None,
            undo: None,
            undo_select: None,
            commands: Vec::new(),
            recent: Recent::default(),
            select_after_save: None,
            entries: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            anchor: None,
            marks: Default::default(),
            offset: 0,
            filter: super::input::TextInput::new(),
            sort: Sort::Name,
            group: Group::None,
            keys: super::keymap::Keymap::default(),
            areas: Areas::default(),
            details_toggled: false,
            status: None,
            status_seen: None,
            paths: (
                ws.path(FileKind::Config).to_path_buf(),
                ws.path(FileKind::Credentials).to_path_buf(),
            ),
            shown_paths: (
                ws.show(ws.path(FileKind::Config)),
                ws.show(ws.path(FileKind::Credentials)),
            ),
            demo: ws.demo,
            now,
            caches,
            env_expiry,
            caches_read_at: now,
            shown_statuses: Vec::new(),
            theme: super::view::Theme::colored(),
            picker: false,
            picked: None,
            pick_many: false,
            picked_marks: Vec::new(),
            login_ticket: 0,
            run_ticket: 0,
            hidden_results: None,
            quit: false,
            dirty: true,
        };
        model.load(ws.view());
        model
    }

    /// Applies the settings file: colours, keys and saved commands. Whatever it
    /// refused is shown in the status bar. `no_color`: `NO_COLOR` is set.
    pub fn apply_settings(&mut self, settings: &Settings, no_color: bool) {
        let mut problems = settings.problems.clone();
        let (theme, theme_problems) =
            super::view::Theme::from_settings(settings.color && !no_color, &settings.colors);
        self.theme = theme;
        problems.extend(theme_problems);
        let (keys, key_problems) = super::keymap::Keymap::new(&settings.keys);
        self.keys = keys;
        problems.extend(key_problems);
        self.commands = settings.commands.clone();
        if !problems.is_empty() {
            self.status = Some(problems.join(" · "));
        }
        self.mark_dirty();
    }

    /// Whether to show the welcome screen: no profiles, and not the demo.
    pub fn welcome(&self) -> bool {
        self.entries.is_empty() && !self.demo
    }

    /// What the keyboard talks to, from the overlay on screen.
    pub fn mode(&self) -> Mode {
        self.overlay.mode(self.welcome())
    }

    /// Closes the overlay: back to the list (or the welcome screen).
    pub fn close_overlay(&mut self) {
        self.overlay = Overlay::None;
    }

    /// The open edit form.
    pub fn form(&self) -> Option<&super::form::Form> {
        match &self.overlay {
            Overlay::Form(f) => Some(f),
            _ => None,
        }
    }

    /// The open name prompt.
    pub fn prompt(&self) -> Option<&super::dialog::Prompt> {
        match &self.overlay {
            Overlay::Prompt(p) => Some(p),
            _ => None,
        }
    }

    /// The open question.
    pub fn confirm(&self) -> Option<&super::dialog::Confirm> {
        match &self.overlay {
            Overlay::Confirm(c) => Some(c),
            _ => None,
        }
    }

    /// The SSO setup in progress.
    pub fn onboard(&self) -> Option<&super::onboard::Onboard> {
        match &self.overlay {
            Overlay::Onboard(o) => Some(o),
            _ => None,
        }
    }

    /// The SSO setup in progress, to change.
    pub fn onboard_mut(&mut self) -> Option<&mut super::onboard::Onboard> {
        match &mut self.overlay {
            Overlay::Onboard(o) => Some(o),
            _ => None,
        }
    }

    /// The login dialog on screen: a login from the list, or the SSO setup's.
    pub fn login_view(&self) -> Option<&LoginView> {
        match &self.overlay {
            Overlay::Login(v) => Some(v),
            Overlay::Onboard(o) => o.login.as_ref(),
            _ => None,
        }
    }

    /// The login dialog on screen, to change.
    pub fn login_view_mut(&mut self) -> Option<&mut LoginView> {
        match &mut self.overlay {
            Overlay::Login(v) => Some(v),
            Overlay::Onboard(o) => o.login.as_mut(),
            _ => None,
        }
    }

    /// Notes that `profile` was used now; in the recent order it moves up and
    /// stays selected.
    pub fn record_use(&mut self, profile: &str) {
        self.recent.record(profile, self.now);
        if self.sort == Sort::Recent && self.filter.text().is_empty() {
            self.refilter();
            self.select_name(profile);
        }
    }

    /// Replaces the profiles, keeping the selection on the same name when it still exists.
    pub fn load(&mut self, set: ProfileSet) {
        // Only the order and each kind are kept: chains and statuses are
        // worked out for the rows on screen.
        self.entries = set
            .profiles
            .natural_order()
            .filter_map(|i| {
                let (_, p) = set.profiles.at(i)?;
                Some(Entry {
                    index: u32::try_from(i).ok()?,
                    kind: crate::profile::kind::classify(p).label_index(),
                })
            })
            .collect();
        self.set = set;
        let profiles = &self.set.profiles;
        self.marks.retain(|m| profiles.contains_key(m));
        self.refilter();
    }

    /// The profile of `entry`: its name and section in the set.
    pub fn profile_of(&self, entry: &Entry) -> Option<(&SharedStr, &Section)> {
        self.set.profiles.at(entry.index as usize)
    }

    /// The name of `entry`'s profile.
    pub fn name_of(&self, entry: &Entry) -> &str {
        self.profile_of(entry).map_or("", |(name, _)| name.as_str())
    }

    /// The expiry that matters for `entry`'s profile, from the caches read
    /// last (its chain resolved now).
    pub fn status(&self, entry: &Entry) -> Status {
        match self.profile_of(entry) {
            Some((name, p)) => {
                let chain = chain::resolve_in(&self.set, name, p);
                status_of_resolved(
                    &self.set,
                    name,
                    chain.as_ref().ok(),
                    &self.caches,
                    &self.env_expiry,
                )
            }
            None => Status::Unknown,
        }
    }

    /// The characters of `entry`'s name that match the filter (none when it
    /// matched elsewhere, or there is no filter).
    pub fn matched(&self, entry: &Entry) -> Vec<usize> {
        fuzzy_match(self.filter.text(), self.name_of(entry)).map_or_else(Vec::new, |m| m.positions)
    }

    /// Selects the profile `name`: at once if it is shown, else as soon as it is.
    pub fn select_name(&mut self, name: &str) {
        self.anchor = Some(name.to_string());
        self.reselect();
    }

    /// Selects the row `i` of `visible` (clamped), which becomes the anchor.
    pub fn select_index(&mut self, i: usize) {
        self.selected = i.min(self.visible.len().saturating_sub(1));
        if let Some(v) = self.visible.get(self.selected) {
            self.anchor = Some(self.name_of(&self.entries[v.entry]).to_string());
        }
        self.clamp();
    }

    /// The profile shown after `name` (or, for the last row, before it): where
    /// the selection goes when `name` is deleted.
    pub fn neighbour_of(&self, name: &str) -> Option<String> {
        let i = self.row_of(name)?;
        let next = self
            .visible
            .get(i + 1)
            .or_else(|| i.checked_sub(1).and_then(|p| self.visible.get(p)))?;
        Some(self.name_of(&self.entries[next.entry]).to_string())
    }

    /// The row of `visible` showing the profile `name`.
    pub fn row_of(&self, name: &str) -> Option<usize> {
        self.visible
            .iter()
            .position(|v| self.name_of(&self.entries[v.entry]) == name)
    }

    /// Puts the selection back on the anchor, or on the first row when the
    /// anchor is not shown.
    fn reselect(&mut self) {
        let at = self.anchor.as_deref().and_then(|a| self.row_of(a));
        self.select_index(at.unwrap_or(0));
    }

    /// The row the list shows for `entry`, read from the set (its chain
    /// resolved now).
    pub fn row(&self, entry: &Entry) -> Row {
        match self.profile_of(entry) {
            Some((name, p)) => row(name, p, &chain::resolve_in(&self.set, name, p)),
            None => Row {
                name: String::new(),
                kind: entry.kind().to_string(),
                region: None,
                chain: Vec::new(),
                chain_summary: String::new(),
                chain_error: None,
                sso_session: None,
                expires: None,
            },
        }
    }

    /// The selected profile's name.
    pub fn selected_name(&self) -> Option<&str> {
        self.selected_entry().map(|e| self.name_of(e))
    }

    /// The selected profile's entry.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible
            .get(self.selected)
            .map(|v| &self.entries[v.entry])
    }

    /// Recomputes `visible` from the filter and sort order.
    pub fn refilter(&mut self) {
        let filter = self.filter.text();
        if filter.is_empty() && self.group == Group::None && self.sort == Sort::Name {
            // Every entry, in the order they are kept: no scores to sort by.
            self.visible = (0..self.entries.len())
                .map(|entry| Visible { entry })
                .collect();
            self.reselect();
            return;
        }
        let mut search = String::new();
        let mut scored: Vec<(i64, Visible)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let visible = Visible { entry: i };
                if filter.is_empty() {
                    return Some((0, visible));
                }
                let (name, p) = self.profile_of(e)?;
                if let Some(m) = fuzzy_match(filter, name) {
                    return Some((m.score + 1000, visible));
                }
                push_search_text(&mut search, p);
                fuzzy_match(filter, &search).map(|m| (m.score, visible))
            })
            .collect();
        let model = &*self;
        let (entries, group, sort, recent) = (&self.entries, self.group, self.sort, &self.recent);
        let set = &self.set;
        let filtering = !self.filter.text().is_empty();
        // Stable sorts: rows come in name order, and equal keys keep it.
        scored.sort_by(|a, b| {
            let (ea, eb) = (&entries[a.1.entry], &entries[b.1.entry]);
            let (ga, gb) = (group.key(set, ea), group.key(set, eb));
            let by_group = (ga.is_none(), ga).cmp(&(gb.is_none(), gb));
            by_group.then_with(|| {
                if filtering {
                    return b.0.cmp(&a.0);
                }
                match sort {
                    Sort::Name => std::cmp::Ordering::Equal,
                    Sort::Kind => ea.kind().cmp(eb.kind()),
                    Sort::Recent => {
                        let (ra, rb) = (
                            recent.last_used(model.name_of(ea)),
                            recent.last_used(model.name_of(eb)),
                        );
                        (rb.is_some(), rb).cmp(&(ra.is_some(), ra))
                    }
                }
            })
        });
        self.visible = scored.into_iter().map(|(_, v)| v).collect();
        self.reselect();
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
    }

    /// The status texts of the rows on screen now.
    pub fn statuses_on_screen(&self) -> Vec<String> {
        let rows = usize::from(self.areas.list_rows());
        self.visible
            .iter()
            .skip(self.offset)
            .take(rows)
            .map(|v| status_cell(&self.status(&self.entries[v.entry]), self.now).0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::status::status_of;
    use crate::profile::summary::rows;
    use std::fmt::Write as _;
    use std::time::UNIX_EPOCH;

    /// A session rolecall cached (MFA sessions included) shows in the list,
    /// from the same status the prompt and `list --json` use.
    #[test]
    fn rolecalls_own_sessions_show_a_countdown() {
        let config = "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n\
                      [profile mfa]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\nmfa_serial = arn:aws:iam::1:mfa/me\n";
        let credentials = "[keys]\naws_access_key_id = A\naws_secret_access_key = S\n";
        let ws = Workspace {
            config: crate::store::StoredFile::in_memory("/c".into(), config),
            credentials: crate::store::StoredFile::in_memory("/k".into(), credentials),
            demo: false,
            ..Workspace::demo()
        };
        let set = ws.view();
        let at = UNIX_EPOCH + std::time::Duration::from_secs(7200);
        let mut caches = Caches {
            files: Some(("/c".into(), "/k".into())),
            ..Caches::default()
        };
        for name in ["role", "mfa"] {
            let chain = crate::profile::chain::resolve(&set, name).unwrap();
            let e = crate::credential::key::entries(
                (std::path::Path::new("/c"), std::path::Path::new("/k")),
                &set,
                name,
                Some(&chain),
                true,
            );
            caches.own.insert(e.credentials, at);
        }
        let m = Model::new(&ws, caches, EnvExpiry::default(), UNIX_EPOCH);
        for name in ["role", "mfa"] {
            let entry = m.entries.iter().find(|e| m.name_of(e) == name).unwrap();
            assert_eq!(
                m.status(entry),
                Status::Expires {
                    at,
                    source: crate::credential::status::Source::Rolecall
                },
                "{name}"
            );
        }
    }

    /// An entry per profile is all the list keeps (docs/PERFORMANCE.md).
    #[test]
    fn an_entry_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 8);
        assert_eq!(std::mem::size_of::<Visible>(), 8);
    }

    /// The entries, in order, give the rows and statuses computed one by one.
    #[test]
    fn a_big_set_loads_like_a_small_one() {
        let mut config =
            String::from("[sso-session s]\nsso_start_url = https://x\nsso_region = r\n");
        let mut credentials = String::new();
        for i in 0..2_501 {
            match i % 4 {
                0 => {
                    let _ = write!(
                        credentials,
                        "[k{i}]\naws_access_key_id = A\naws_secret_access_key = S\n"
                    );
                }
                1 => {
                    let _ = write!(
                        config,
                        "[profile r{i}]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = k{}\n",
                        i - 1
                    );
                }
                2 => {
                    let _ = write!(
                        config,
                        "[profile s{i}]\nsso_session = s\nsso_account_id = 2\nsso_role_name = R\n"
                    );
                }
                _ => {
                    let _ = write!(
                        config,
                        "[profile broken{i}]\nsource_profile = nowhere\nrole_arn = arn:aws:iam::3:role/y\n"
                    );
                }
            }
        }
        let ws = Workspace {
            config: crate::store::StoredFile::in_memory("/c".into(), &config),
            credentials: crate::store::StoredFile::in_memory("/k".into(), &credentials),
            demo: false,
            ..Workspace::demo()
        };
        let mut caches = Caches::default();
        caches.sso_tokens.insert(
            crate::credential::cache::sso_token_file("s"),
            UNIX_EPOCH + std::time::Duration::from_secs(60),
        );
        let m = Model::new(&ws, caches, EnvExpiry::default(), UNIX_EPOCH);
        let set = ws.view();
        let expected = rows(&set);
        assert_eq!(m.entries.len(), 2_501);
        assert_eq!(m.entries.len(), expected.len());
        for (entry, row) in m.entries.iter().zip(&expected) {
            assert_eq!(&m.row(entry), row);
            assert_eq!(m.name_of(entry), row.name);
            assert_eq!(entry.kind(), row.kind);
            let status = status_of(&set, &row.name, &m.caches, &m.env_expiry);
            assert_eq!(m.status(entry), status, "{}", row.name);
        }
        assert!(
            m.entries
                .iter()
                .any(|e| matches!(m.status(e), Status::Expires { .. }))
        );
        assert!(m.entries.iter().any(|e| m.row(e).chain_error.is_some()));
    }
}
