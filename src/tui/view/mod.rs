//! Drawing. `render` reads the model and draws the whole screen; it never changes
//! the model, so the same model always gives the same screen.

mod detail;
mod dialog;
mod doctor;
mod form;
mod help;
mod input;
mod list;
mod login;
mod onboard;
mod region;
mod results;
mod run;
mod welcome;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::settings::Entry;

use super::model::{Group, Mode, Model};
use super::overlay::Overlay;

/// Styles used across screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// Titles and headers.
    pub title: Style,
    /// The selected row.
    pub selected: Style,
    /// Matched filter characters.
    pub matched: Style,
    /// Secondary text.
    pub dim: Style,
    /// Errors.
    pub error: Style,
    /// Warnings.
    pub warning: Style,
    /// Kind badges.
    pub badge: Style,
    /// Healthy countdowns.
    pub ok: Style,
}

impl Theme {
    /// The default colours.
    pub fn colored() -> Theme {
        Theme {
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            matched: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Gray),
            error: Style::new().fg(Color::Red),
            warning: Style::new().fg(Color::Yellow),
            badge: Style::new().fg(Color::Magenta),
            ok: Style::new().fg(Color::Green),
        }
    }

    /// The theme the settings ask for: [`Theme::plain`] without colour, else
    /// [`Theme::colored`] with the named styles recoloured (`selected` sets the
    /// background, the others the text). Returns what it refused, too.
    pub fn from_settings(color: bool, colors: &[Entry]) -> (Theme, Vec<String>) {
        if !color {
            return (Theme::plain(), Vec::new());
        }
        let mut theme = Theme::colored();
        let mut problems = Vec::new();
        for e in colors {
            let style = match e.name.as_str() {
                "title" => &mut theme.title,
                "selected" => &mut theme.selected,
                "matched" => &mut theme.matched,
                "dim" => &mut theme.dim,
                "error" => &mut theme.error,
                "warning" => &mut theme.warning,
                "badge" => &mut theme.badge,
                "ok" => &mut theme.ok,
                _ => {
                    problems.push(format!(
                        "{}: theme.{}: no such style; ignored (styles: title, selected, matched, dim, error, warning, badge, ok)",
                        e.place, e.name
                    ));
                    continue;
                }
            };
            match e.value.parse::<Color>() {
                Ok(c) if e.name == "selected" => *style = style.bg(c),
                Ok(c) => *style = style.fg(c),
                Err(_) => problems.push(format!(
                    "{}: theme.{} = \"{}\": not a colour (a name like blue or light-red, #rrggbb, or 0-255); ignored",
                    e.place, e.name, e.value
                )),
            }
        }
        (theme, problems)
    }

    /// No colours, only bold and reverse (for `NO_COLOR`).
    pub fn plain() -> Theme {
        Theme {
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            matched: Style::new().add_modifier(Modifier::UNDERLINED),
            dim: Style::new(),
            error: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new(),
            badge: Style::new(),
            ok: Style::new(),
        }
    }
}

/// Draws the screen.
pub fn render(model: &Model, frame: &mut Frame) {
    let areas = model.areas;
    frame.render_widget(title(model), areas.title);
    if model.welcome() {
        let top = areas.title.y + areas.title.height;
        let body = Rect::new(
            0,
            top,
            areas.screen.width,
            areas.status.y.saturating_sub(top),
        );
        welcome::render(model, frame, body);
    } else {
        list::render(model, frame, outer(areas.list));
        if areas.detail.width > 0 {
            detail::render(model, frame, outer(areas.detail));
        }
    }
    frame.render_widget(status(model), areas.status);
    draw_overlay(model, &model.overlay, frame);
}

/// Draws `overlay` (help draws what it was opened over first).
fn draw_overlay(model: &Model, overlay: &Overlay, frame: &mut Frame) {
    let screen = model.areas.screen;
    match overlay {
        Overlay::None | Overlay::Filter => {}
        Overlay::Help { scroll, under } => {
            draw_overlay(model, under, frame);
            help::render(model, *scroll, frame);
        }
        Overlay::Doctor { report, scroll } => doctor::render(model, report, *scroll, frame),
        Overlay::Form(f) => form::render(model, f, frame, screen),
        Overlay::Prompt(_) | Overlay::Confirm(_) | Overlay::KindPick { .. } => {
            dialog::render(model, overlay, frame, screen)
        }
        Overlay::Run(r) => run::render(model, r, frame, screen),
        Overlay::Results(r) => results::render(model, r, frame, screen),
        Overlay::Login(l) => login::render(model, l, frame, screen),
        Overlay::Onboard(o) => {
            onboard::render(model, o, frame, screen);
            if let Some(l) = &o.login {
                login::render(model, l, frame, screen);
            }
        }
    }
}

fn outer(inner: Rect) -> Rect {
    Rect::new(
        inner.x.saturating_sub(1),
        inner.y.saturating_sub(1),
        inner.width + 2,
        inner.height + 2,
    )
}

/// Draws `lines` in a bordered box titled `title`, centred on `screen`: `margin`
/// columns narrower than the screen, at most `max_width`, and as tall as the
/// wrapped lines need (counted roughly, so nothing is cut).
pub(super) fn popup(
    model: &Model,
    frame: &mut Frame,
    screen: Rect,
    (title, margin, max_width): (&str, u16, u16),
    lines: Vec<Line>,
) {
    let width = screen.width.saturating_sub(margin).clamp(20, max_width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows as u16 + 2).min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width.saturating_sub(width)) / 2,
        screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block(title, model)),
        area,
    );
}

/// A bordered block with a title.
pub(super) fn block<'a>(title: &'a str, model: &Model) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, model.theme.title))
}

fn title(model: &Model) -> Paragraph<'_> {
    let source = if model.demo {
        "bundled demo (read-only)".to_string()
    } else {
        format!("{} + {}", model.shown_paths.0, model.shown_paths.1)
    };
    let counts = if model.filter.text().is_empty() {
        crate::words::plural(model.entries.len(), "profile", "profiles")
    } else {
        format!(
            "{} of {}",
            model.visible.len(),
            crate::words::plural(model.entries.len(), "profile", "profiles")
        )
    };
    let group = if model.group == Group::None {
        String::new()
    } else {
        format!("  ·  grouped by {}", model.group.label())
    };
    // Right after the counts: long file names must not push it off screen.
    let counts = if model.marks.is_empty() {
        counts
    } else {
        format!("{counts}  ·  {} marked", model.marks.len())
    };
    Paragraph::new(Line::from(vec![
        Span::styled(" rolecall ", model.theme.title),
        Span::raw(format!(
            " {source}  ·  {counts}  ·  sort: {}{group}",
            model.sort.label()
        )),
    ]))
}

fn status(model: &Model) -> Paragraph<'_> {
    let line = match model.mode() {
        Mode::Filter => {
            let mut spans = vec![Span::styled(" /", model.theme.title)];
            spans.extend(input::focused(&model.filter, &model.theme));
            spans.push(Span::styled("   Enter keep · Esc clear", model.theme.dim));
            Line::from(spans)
        }
        _ => {
            // A message comes first so a narrow screen cuts the hints, not the news.
            let mut spans = Vec::new();
            if let Some(s) = &model.status {
                spans.push(Span::raw(format!(" {s}  ")));
            }
            if !model.filter.text().is_empty() {
                spans.push(Span::raw(format!(" filter: {}  ", model.filter.text())));
            }
            // A run on marked rows going on behind the list.
            if let Some(r) = model.hidden_results.as_ref().filter(|r| r.running) {
                let (ok, failed, going) = r.counts();
                let key = model.keys.first_key("results").unwrap_or_default();
                spans.push(Span::styled(
                    format!(" run: {ok} ok, {failed} failed, {going} to go ({key})  "),
                    model.theme.warning,
                ));
            }
            if model.picker && model.pick_many {
                let text = if model.marks.is_empty() {
                    " Pick a profile: Enter picks · Space marks several · / filter · q cancels"
                } else {
                    " Enter runs in the marked profiles · Space marks · Esc unmarks · q cancels"
                };
                spans.push(Span::styled(text, model.theme.title));
            } else if model.picker {
                spans.push(Span::styled(
                    " Pick a profile: Enter picks · / filter · q cancels",
                    model.theme.title,
                ));
            } else if !model.welcome() {
                let used: usize = spans.iter().map(|s| s.width()).sum();
                let room = usize::from(model.areas.status.width).saturating_sub(used + 1);
                spans.push(Span::styled(
                    format!(" {}", hints(model, room)),
                    model.theme.dim,
                ));
            }
            Line::from(spans)
        }
    };
    Paragraph::new(line)
}

/// The list's main keys as the keymap has them, `j/k move · / filter · …`,
/// the most important first, as many as fit in `room` columns; help's key
/// always comes last, so the rest can be found.
fn hints(model: &Model, room: usize) -> String {
    const HINTS: &[(&str, &str)] = &[
        ("down", "move"),
        ("filter", "filter"),
        ("edit", "edit"),
        ("details", "details"),
        ("run", "run"),
        ("export", "export"),
        ("new", "new"),
        ("copy", "copy"),
        ("rename", "rename"),
        ("delete", "delete"),
        ("undo", "undo"),
        ("help", "help"),
        ("quit", "quit"),
    ];
    let keys = &model.keys;
    let hint = |action: &str, word: &str| {
        let key = keys.first_key(action)?;
        if action == "down" {
            let up = keys.first_key("up").unwrap_or_default();
            return Some(format!("{key}/{up} {word}"));
        }
        Some(format!("{key} {word}"))
    };
    let help = hint("help", "help").unwrap_or_default();
    let mut shown: Vec<String> = Vec::new();
    let mut width = help.chars().count();
    for (action, word) in HINTS.iter().filter(|(a, _)| *a != "help") {
        let Some(h) = hint(action, word) else {
            continue;
        };
        // Each hint adds itself and a " · ".
        let w = h.chars().count() + 3;
        if width + w > room {
            break;
        }
        width += w;
        shown.push(h);
    }
    shown.push(help);
    shown.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::update::{
        ConfirmMsg, DoctorMsg, FilterMsg, FormMsg, HelpMsg, PromptMsg, RunMsg,
    };
    use crate::tui::update::{Msg, update};
    use crate::workspace::Workspace;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::UNIX_EPOCH;

    pub(super) fn screen(model: &Model) -> String {
        let a = model.areas.screen;
        let mut terminal = Terminal::new(TestBackend::new(a.width, a.height)).unwrap();
        terminal.draw(|f| render(model, f)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..a.height)
            .map(|y| {
                (0..a.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(super) fn demo(width: u16, height: u16) -> Model {
        let mut caches = crate::credential::cache::Caches::default();
        let token = crate::credential::cache::sso_token_file("acme");
        caches.sso_tokens.insert(
            token,
            UNIX_EPOCH + std::time::Duration::from_secs(2 * 3600 + 5),
        );
        let mut m = Model::new(&Workspace::demo(), caches, Default::default(), UNIX_EPOCH);
        m.theme = Theme::plain();
        let _ = update(&mut m, Msg::Resize(width, height));
        m
    }

    /// A name, key and value of 70,000 characters: the list and the detail
    /// pane draw, cut with `…`, without panicking.
    #[test]
    fn huge_names_keys_and_values_are_cut_not_a_panic() {
        let name = "n".repeat(70_000);
        let key = "k".repeat(70_000);
        let value = "v".repeat(70_000);
        let config = format!("[profile {name}]\n{key} = {value}\nregion = {value}\n");
        let ws = Workspace {
            config: crate::store::StoredFile::in_memory("/c".into(), &config),
            credentials: crate::store::StoredFile::in_memory("/k".into(), ""),
            demo: false,
            ..Workspace::demo()
        };
        let mut m = Model::new(&ws, Default::default(), Default::default(), UNIX_EPOCH);
        m.theme = Theme::plain();
        let _ = update(&mut m, Msg::Resize(100, 20));
        let shown = screen(&m);
        assert!(shown.contains("kkk…"), "{shown}");
        assert!(shown.lines().all(|l| l.chars().count() <= 100));
    }

    #[test]
    fn main_screen() {
        let mut m = demo(130, 24);
        let _ = update(&mut m, Msg::Down);
        let _ = update(&mut m, Msg::Down);
        insta::assert_snapshot!(screen(&m));
    }

    #[test]
    fn sso_setup_pick_screen() {
        use crate::sso::portal::{Account, Assignment};
        let mut m = demo(110, 30);
        let mut o = crate::tui::onboard::Onboard::new();
        o.session = "corp".into();
        o.assignments = (0..20)
            .map(|i| Assignment {
                account: Account {
                    id: format!("{:012}", 100_000_000_000u64 + i),
                    name: format!("Team {i:02}"),
                    email: String::new(),
                },
                role: if i % 2 == 0 { "Admin" } else { "ReadOnly" }.into(),
            })
            .collect();
        o.filter = crate::tui::input::TextInput::with_text("read");
        o.stage = crate::tui::onboard::Stage::Pick(crate::tui::onboard::Focus::Filter);
        m.overlay = Overlay::Onboard(Box::new(o));
        insta::assert_snapshot!("sso_setup_pick", screen(&m));
    }

    #[test]
    fn sso_setup_region_chooser() {
        let mut m = demo(80, 24);
        let mut o = crate::tui::onboard::Onboard::new();
        o.start_url = "https://corp.awsapps.com/start".into();
        o.stage = crate::tui::onboard::Stage::Ask(crate::tui::onboard::Question::Region);
        o.input = crate::tui::input::TextInput::with_text("ap-s");
        let mut chooser = crate::tui::region::Chooser::open(&o.input);
        chooser.step(&o.input, true);
        o.region_pick = Some(chooser);
        m.overlay = Overlay::Onboard(Box::new(o));
        assert_eq!(m.mode(), Mode::RegionPick);
        let s = screen(&m);
        assert!(s.contains("▶ ap-south-2"), "{s}");
        insta::assert_snapshot!("sso_setup_region_chooser_80x24", s);
    }

    #[test]
    fn sso_login_shows_the_code_large() {
        let mut m = demo(100, 30);
        m.overlay = Overlay::Login(crate::tui::model::LoginView {
            ticket: 1,
            label: "sso-session 'acme'".into(),
            prompt: Some(crate::sso::flow::Prompt {
                user_code: "WDKX-QBHT".into(),
                verification_uri: "https://device.sso.eu-west-1.amazonaws.com/".into(),
                verification_uri_complete:
                    "https://device.sso.eu-west-1.amazonaws.com/?user_code=WDKX-QBHT".into(),
                expires_at: UNIX_EPOCH,
            }),
            browser_opened: true,
        });
        insta::assert_snapshot!("sso_login", screen(&m));
    }

    #[test]
    fn sso_login_with_pkce_says_so_and_shows_no_code() {
        let mut m = demo(100, 30);
        let url = "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=c";
        m.overlay = Overlay::Login(crate::tui::model::LoginView {
            ticket: 1,
            label: "sso-session 'acme'".into(),
            prompt: Some(crate::sso::flow::Prompt {
                user_code: String::new(),
                verification_uri: url.into(),
                verification_uri_complete: url.into(),
                expires_at: UNIX_EPOCH,
            }),
            browser_opened: true,
        });
        let text = screen(&m);
        assert!(text.contains("Authorization code with PKCE"), "{text}");
        assert!(text.contains(url), "{text}");
        insta::assert_snapshot!("sso_login_pkce", text);
    }

    #[test]
    fn doctor_panel() {
        let mut m = demo(130, 24);
        let env = crate::doctor::Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEENV000001"),
            ("AWS_SECRET_ACCESS_KEY", "never-shown"),
            ("AWS_DEFAULT_PROFILE", "other"),
        ]);
        let name = m.selected_name().unwrap().to_string();
        let report = crate::doctor::diagnose(&crate::doctor::Input {
            env: &env,
            set: &m.set,
            wanted: Some(&name),
            caches: &Default::default(),
            boto_files: &[],
            now: UNIX_EPOCH,
        });
        let _ = update(&mut m, Msg::DoctorReady(Box::new(report)));
        assert_eq!(m.mode(), Mode::Doctor);
        let shown = screen(&m);
        assert!(!shown.contains("never-shown"));
        insta::assert_snapshot!("doctor", shown);
        let _ = update(&mut m, Msg::Doctor(DoctorMsg::Close));
        assert_eq!(
            (m.mode(), !matches!(m.overlay, Overlay::Doctor { .. })),
            (Mode::Normal, true)
        );
    }

    #[test]
    fn filtering_and_help() {
        let mut m = demo(130, 24);
        let _ = update(&mut m, Msg::StartFilter);
        for c in "prod".chars() {
            let _ = update(
                &mut m,
                Msg::Filter(FilterMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        insta::assert_snapshot!("filtering", screen(&m));
        let _ = update(&mut m, Msg::Filter(FilterMsg::Accept));
        let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
        insta::assert_snapshot!("help", screen(&m));
    }

    #[test]
    fn edit_form_and_preview() {
        let mut m = demo(130, 30);
        m.select_name("dev-admin");
        let _ = update(&mut m, Msg::OpenForm);
        let _ = update(&mut m, Msg::Form(FormMsg::Down));
        let _ = update(&mut m, Msg::Form(FormMsg::Down));
        let _ = update(&mut m, Msg::Form(FormMsg::Cycle(true)));
        insta::assert_snapshot!("form", screen(&m));
        let _ = update(&mut m, Msg::Form(FormMsg::Cycle(false)));
        for _ in 0..5 {
            let _ = update(&mut m, Msg::Form(FormMsg::Down)); // to region
        }
        // The value is selected: typing replaces it.
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        for c in "eu-west-3".chars() {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        insta::assert_snapshot!("preview", screen(&m));
    }

    #[test]
    fn dialogs() {
        let mut m = demo(130, 24);
        m.select_name("base");
        let _ = update(&mut m, Msg::DeleteProfile);
        insta::assert_snapshot!("confirm_delete", screen(&m));
        let _ = update(&mut m, Msg::Confirm(ConfirmMsg::Cancel));
        let _ = update(&mut m, Msg::NewProfile);
        for c in "new one".chars() {
            let _ = update(
                &mut m,
                Msg::Prompt(PromptMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        insta::assert_snapshot!("prompt_error", screen(&m));
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Cancel));
        let _ = update(&mut m, Msg::NewProfile);
        let _ = update(
            &mut m,
            Msg::Prompt(PromptMsg::Edit(crate::tui::input::Edit::Insert('x'))),
        );
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        insta::assert_snapshot!("kind_pick", screen(&m));
    }

    #[test]
    fn picker_says_what_enter_does() {
        let mut m = demo(130, 12);
        m.picker = true;
        insta::assert_snapshot!("picker", screen(&m));
    }

    #[test]
    fn narrow_terminal_hides_details_and_secrets_stay_masked() {
        let mut m = demo(80, 16);
        let s = screen(&m);
        assert!(!s.contains("Details"));
        let _ = update(&mut m, Msg::Resize(140, 30));
        for _ in 0..10 {
            let _ = update(&mut m, Msg::Down);
        }
        let s = screen(&m);
        assert!(s.contains("session"), "{s}");
        assert!(!s.contains("wJalrXUtnFEMI"), "{s}");
        assert!(s.contains("****EKEY"), "{s}");
    }

    #[test]
    fn welcome_screen() {
        let empty = crate::store::StoredFile::in_memory("/home/me/.aws/config".into(), "");
        let ws = Workspace {
            config: empty.clone(),
            credentials: crate::store::StoredFile::in_memory(
                "/home/me/.aws/credentials".into(),
                "",
            ),
            demo: false,
            ..Workspace::demo()
        };
        let mut m = Model::new(&ws, Default::default(), Default::default(), UNIX_EPOCH);
        m.theme = Theme::plain();
        let _ = update(&mut m, Msg::Resize(120, 20));
        insta::assert_snapshot!("welcome", screen(&m));
    }

    #[test]
    fn run_picker() {
        let mut m = demo(130, 24);
        m.commands = vec![
            "env | grep AWS_".to_string(),
            "dapr run --app-id myapp -- python app.py".to_string(),
        ];
        let _ = update(&mut m, Msg::OpenRun);
        let _ = update(&mut m, Msg::Run(RunMsg::Move(true)));
        insta::assert_snapshot!("run_picker", screen(&m));
        for c in "aws s3 ls".chars() {
            let _ = update(
                &mut m,
                Msg::Run(RunMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let s = screen(&m);
        assert!(s.contains("▶ $ aws s3 ls"), "{s}");
        assert!(s.contains("from the bundled demo"), "{s}");
    }

    #[test]
    fn grouped_by_sso_session_and_export_copied() {
        let mut m = demo(130, 24);
        let _ = update(&mut m, Msg::CycleGroup);
        let _ = update(&mut m, Msg::CopyExport);
        insta::assert_snapshot!("grouped", screen(&m));
        let _ = update(&mut m, Msg::CycleGroup);
        let s = screen(&m);
        assert!(s.contains("grouped by account"), "{s}");
        assert!(s.contains("ACCOUNT"), "{s}");
    }

    #[test]
    fn help_scrolled_to_the_end() {
        let mut m = demo(130, 24);
        let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
        for _ in 0..100 {
            let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(true)));
        }
        insta::assert_snapshot!("help_end", screen(&m));
    }

    /// The onboarding picker over `n` assignments (two roles per account).
    fn picker_onboard(n: u64) -> crate::tui::onboard::Onboard {
        use crate::sso::portal::{Account, Assignment};
        let mut o = crate::tui::onboard::Onboard::new();
        o.session = "corp".into();
        o.assignments = (0..n)
            .map(|i| Assignment {
                account: Account {
                    id: format!("{:012}", 100_000_000_000u64 + i / 2),
                    name: format!("acct-{}", i / 2),
                    email: String::new(),
                },
                role: if i % 2 == 0 { "Admin" } else { "ReadOnly" }.into(),
            })
            .collect();
        o.stage = crate::tui::onboard::Stage::Pick(crate::tui::onboard::Focus::Table);
        o.checked = [0, 3].into_iter().collect();
        o.cursor = 3;
        o
    }

    /// The main screens at the three sizes people use: 80×24, 100×30, 120×40.
    #[test]
    fn screens_at_three_sizes() {
        for (w, h) in [(80, 24), (100, 30), (120, 40)] {
            let size = format!("{w}x{h}");
            let mut m = demo(w, h);
            m.select_name("audit");
            insta::assert_snapshot!(format!("list_{size}"), screen(&m));
            let _ = update(&mut m, Msg::ToggleDetails);
            insta::assert_snapshot!(format!("details_toggled_{size}"), screen(&m));
            let _ = update(&mut m, Msg::ToggleDetails);
            let _ = update(&mut m, Msg::OpenForm);
            insta::assert_snapshot!(format!("form_{size}"), screen(&m));
            let _ = update(&mut m, Msg::Form(FormMsg::Close));
            let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
            insta::assert_snapshot!(format!("help_{size}"), screen(&m));
            let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
            m.overlay = Overlay::Onboard(Box::new(picker_onboard(100)));
            insta::assert_snapshot!(format!("onboard_pick_{size}"), screen(&m));
            m.overlay = Overlay::None;
            let report = crate::doctor::diagnose(&crate::doctor::Input {
                env: &crate::doctor::Environment::from_pairs([("AWS_PROFILE", "audit")]),
                set: &m.set,
                wanted: Some("audit"),
                caches: &Default::default(),
                boto_files: &[],
                now: UNIX_EPOCH,
            });
            let _ = update(&mut m, Msg::DoctorReady(Box::new(report)));
            insta::assert_snapshot!(format!("doctor_{size}"), screen(&m));
        }
    }

    #[test]
    fn the_region_chooser_under_the_form_field() {
        let mut m = demo(80, 24);
        m.select_name("audit");
        let _ = update(&mut m, Msg::OpenForm);
        while {
            let f = m.form().unwrap();
            f.fields[f.focus].key != "region"
        } {
            let _ = update(&mut m, Msg::Form(FormMsg::Down));
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        for c in "eu-".chars() {
            let _ = update(
                &mut m,
                Msg::Region(crate::tui::update::RegionMsg::Edit(
                    crate::tui::input::Edit::Insert(c),
                )),
            );
        }
        let _ = update(
            &mut m,
            Msg::Region(crate::tui::update::RegionMsg::Move(true)),
        );
        let s = screen(&m);
        assert!(s.contains("▶ eu-central-2"), "{s}");
        insta::assert_snapshot!("form_region_chooser_80x24", s);
    }

    #[test]
    fn change_kind_offers_the_kinds_and_previews_the_old_keys_going() {
        let mut m = demo(80, 24);
        m.select_name("base");
        let _ = update(&mut m, Msg::OpenForm);
        let _ = update(&mut m, Msg::Form(FormMsg::ChangeKind));
        insta::assert_snapshot!("form_change_kind_80x24", screen(&m));
        // To "credential_process": the keys go, the secret shown masked.
        for _ in 0..4 {
            let _ = update(&mut m, Msg::Form(FormMsg::KindMove(true)));
        }
        let _ = update(&mut m, Msg::Form(FormMsg::KindChoose));
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        for c in "/usr/bin/creds".chars() {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        let s = screen(&m);
        assert!(!s.contains("wJalrXUtnFEMI"), "{s}");
        assert!(s.contains("- aws_secret_access_key = ****EKEY"), "{s}");
        insta::assert_snapshot!("form_change_kind_preview_80x24", s);
    }

    #[test]
    fn keys_can_go_to_the_keychain_and_the_preview_says_so() {
        let mut m = demo(80, 24);
        m.select_name("base");
        let _ = update(&mut m, Msg::OpenForm);
        let s = screen(&m);
        assert!(
            s.contains("keys go to the credentials file  (t: the system keychain)"),
            "{s}"
        );
        let _ = update(&mut m, Msg::Form(FormMsg::SecretsTo));
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        let s = screen(&m);
        assert!(!s.contains("wJalrXUtnFEMI"), "{s}");
        assert!(
            s.contains("credential_process = rolecall credential-process"),
            "{s}"
        );
        insta::assert_snapshot!("form_keychain_preview_80x24", s);
    }

    #[test]
    fn the_details_pane_is_a_toggle_at_narrow_widths() {
        let mut m = demo(80, 24);
        assert!(!screen(&m).contains("Details"));
        let _ = update(&mut m, Msg::ToggleDetails);
        let s = screen(&m);
        assert!(s.contains("Details"), "{s}");
        assert!(s.contains("│acme-dev.Developer sso"), "the list stays: {s}");
        let _ = update(&mut m, Msg::Resize(120, 40));
        assert!(
            !screen(&m).contains("Details"),
            "the flip holds: hidden when wide"
        );
        let _ = update(&mut m, Msg::ToggleDetails);
        assert!(screen(&m).contains("Details"));
    }

    #[test]
    fn long_chains_are_cut_with_an_ellipsis_and_columns_fit_their_content() {
        let m = demo(120, 40);
        let s = screen(&m);
        let header = s.lines().find(|l| l.contains("NAME")).unwrap();
        assert!(
            header.contains("EXPIRES      CHAIN"),
            "EXPIRES fits its content: {header}"
        );
        assert!(s.contains('…'), "{s}");
        for line in s.lines() {
            assert!(line.chars().count() <= 120, "{line}");
        }
    }
}
