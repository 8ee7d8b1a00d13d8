//! Drawing. `render` reads the model and draws the whole screen; it never changes
//! the model, so the same model always gives the same screen.

mod detail;
mod dialog;
mod doctor;
mod form;
mod help;
mod list;
mod login;
mod onboard;
mod run;
mod welcome;

pub use doctor::max_scroll as doctor_max_scroll;
pub use help::max_scroll as help_max_scroll;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::settings::Entry;

use super::model::{Group, Mode, Model};

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
    if let Some(f) = &model.form {
        form::render(model, f, frame, areas.screen);
    }
    dialog::render(model, frame, areas.screen);
    if let Some(r) = &model.run {
        run::render(model, r, frame, areas.screen);
    }
    if let Some(o) = &model.onboard {
        onboard::render(model, o, frame, areas.screen);
    }
    if let Some(l) = &model.login {
        login::render(model, l, frame, areas.screen);
    }
    if model.mode == Mode::Doctor {
        doctor::render(model, frame);
    }
    if model.mode == Mode::Help {
        help::render(model, frame);
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
    let counts = if model.filter.is_empty() {
        format!("{} profiles", model.entries.len())
    } else {
        format!(
            "{} of {} profiles",
            model.visible.len(),
            model.entries.len()
        )
    };
    let group = if model.group == Group::None {
        String::new()
    } else {
        format!("  ·  grouped by {}", model.group.label())
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
    let line = match model.mode {
        Mode::Filter => Line::from(vec![
            Span::styled(" /", model.theme.title),
            Span::raw(model.filter.clone()),
            Span::styled("▏", model.theme.matched),
            Span::styled("   Enter keep · Esc clear", model.theme.dim),
        ]),
        _ => {
            // A message comes first so a narrow screen cuts the hints, not the news.
            let mut spans = Vec::new();
            if let Some(s) = &model.status {
                spans.push(Span::raw(format!(" {s}  ")));
            }
            if !model.filter.is_empty() {
                spans.push(Span::raw(format!(" filter: {}  ", model.filter)));
            }
            if model.picker {
                spans.push(Span::styled(
                    " Pick a profile: Enter picks · / filter · q cancels",
                    model.theme.title,
                ));
            } else if !model.welcome() {
                spans.push(Span::styled(format!(" {}", hints(model)), model.theme.dim));
            }
            Line::from(spans)
        }
    };
    Paragraph::new(line)
}

/// The list's main keys as the keymap has them: `j/k move · / filter · …`.
fn hints(model: &Model) -> String {
    const HINTS: &[(&str, &str)] = &[
        ("down", "move"),
        ("filter", "filter"),
        ("edit", "edit"),
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
    HINTS
        .iter()
        .filter_map(|(action, word)| {
            let key = keys.first_key(action)?;
            if *action == "down" {
                let up = keys.first_key("up").unwrap_or_default();
                return Some(format!("{key}/{up} {word}"));
            }
            Some(format!("{key} {word}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::update::{Msg, Typed, update};
    use crate::workspace::Workspace;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::UNIX_EPOCH;

    fn screen(model: &Model) -> String {
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

    fn demo(width: u16, height: u16) -> Model {
        let mut caches = crate::credential::cache::Caches::default();
        let token = crate::credential::cache::sso_token_file("acme");
        caches.sso_tokens.insert(
            token,
            UNIX_EPOCH + std::time::Duration::from_secs(2 * 3600 + 5),
        );
        let mut m = Model::new(&Workspace::demo(), caches, Default::default(), UNIX_EPOCH);
        m.theme = Theme::plain();
        update(&mut m, Msg::Resize(width, height));
        m
    }

    #[test]
    fn main_screen() {
        let mut m = demo(130, 24);
        update(&mut m, Msg::Down);
        update(&mut m, Msg::Down);
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
        o.filter = "read".into();
        o.stage = crate::tui::onboard::Stage::Pick(false);
        m.onboard = Some(o);
        m.mode = Mode::Onboard;
        insta::assert_snapshot!("sso_setup_pick", screen(&m));
    }

    #[test]
    fn sso_login_shows_the_code_large() {
        let mut m = demo(100, 30);
        m.login = Some(crate::tui::model::LoginView {
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
        m.mode = Mode::Login;
        insta::assert_snapshot!("sso_login", screen(&m));
    }

    #[test]
    fn doctor_panel() {
        let mut m = demo(130, 24);
        let env = crate::doctor::Environment::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEENV000001"),
            ("AWS_SECRET_ACCESS_KEY", "never-shown"),
            ("AWS_DEFAULT_PROFILE", "other"),
        ]);
        let name = m.selected_entry().unwrap().row.name.clone();
        let report = crate::doctor::diagnose(&crate::doctor::Input {
            env: &env,
            set: &m.set,
            wanted: Some(&name),
            caches: &Default::default(),
            boto_files: &[],
            now: UNIX_EPOCH,
        });
        update(&mut m, Msg::DoctorReady(Box::new(report)));
        assert_eq!(m.mode, Mode::Doctor);
        let shown = screen(&m);
        assert!(!shown.contains("never-shown"));
        insta::assert_snapshot!("doctor", shown);
        update(&mut m, Msg::CloseDoctor);
        assert_eq!((m.mode, m.doctor.is_none()), (Mode::Normal, true));
    }

    #[test]
    fn filtering_and_help() {
        let mut m = demo(130, 24);
        update(&mut m, Msg::StartFilter);
        for c in "prod".chars() {
            update(&mut m, Msg::FilterInput(c));
        }
        insta::assert_snapshot!("filtering", screen(&m));
        update(&mut m, Msg::FilterAccept);
        update(&mut m, Msg::ToggleHelp);
        insta::assert_snapshot!("help", screen(&m));
    }

    #[test]
    fn edit_form_and_preview() {
        let mut m = demo(130, 30);
        let i = m
            .visible
            .iter()
            .position(|v| m.entries[v.entry].row.name == "dev-admin")
            .unwrap();
        m.selected = i;
        update(&mut m, Msg::OpenForm);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormCycle(true));
        insta::assert_snapshot!("form", screen(&m));
        update(&mut m, Msg::FormCycle(false));
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormStartTyping);
        for _ in 0..9 {
            update(&mut m, Msg::FormBackspace);
        }
        for c in "eu-west-3".chars() {
            update(&mut m, Msg::FormInput(Typed(c)));
        }
        update(&mut m, Msg::FormStopTyping);
        update(&mut m, Msg::FormSubmit);
        insta::assert_snapshot!("preview", screen(&m));
    }

    #[test]
    fn dialogs() {
        let mut m = demo(130, 24);
        let i = m
            .visible
            .iter()
            .position(|v| m.entries[v.entry].row.name == "base")
            .unwrap();
        m.selected = i;
        update(&mut m, Msg::DeleteProfile);
        insta::assert_snapshot!("confirm_delete", screen(&m));
        update(&mut m, Msg::ConfirmCancel);
        update(&mut m, Msg::NewProfile);
        for c in "new one".chars() {
            update(&mut m, Msg::PromptInput(Typed(c)));
        }
        update(&mut m, Msg::PromptSubmit);
        insta::assert_snapshot!("prompt_error", screen(&m));
        update(&mut m, Msg::PromptCancel);
        update(&mut m, Msg::NewProfile);
        update(&mut m, Msg::PromptInput(Typed('x')));
        update(&mut m, Msg::PromptSubmit);
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
        update(&mut m, Msg::Resize(140, 30));
        for _ in 0..10 {
            update(&mut m, Msg::Down);
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
        update(&mut m, Msg::Resize(120, 20));
        insta::assert_snapshot!("welcome", screen(&m));
    }

    #[test]
    fn run_picker() {
        let mut m = demo(130, 24);
        m.commands = vec![
            "env | grep AWS_".to_string(),
            "dapr run --app-id myapp -- python app.py".to_string(),
        ];
        update(&mut m, Msg::OpenRun);
        update(&mut m, Msg::RunMove(true));
        insta::assert_snapshot!("run_picker", screen(&m));
        for c in "aws s3 ls".chars() {
            update(&mut m, Msg::RunInput(c));
        }
        let s = screen(&m);
        assert!(s.contains("▶ $ aws s3 ls▏"), "{s}");
        assert!(s.contains("from the bundled demo"), "{s}");
    }

    #[test]
    fn grouped_by_sso_session_and_export_copied() {
        let mut m = demo(130, 24);
        update(&mut m, Msg::CycleGroup);
        update(&mut m, Msg::CopyExport);
        insta::assert_snapshot!("grouped", screen(&m));
        update(&mut m, Msg::CycleGroup);
        let s = screen(&m);
        assert!(s.contains("grouped by account"), "{s}");
        assert!(s.contains("ACCOUNT"), "{s}");
    }

    #[test]
    fn help_scrolled_to_the_end() {
        let mut m = demo(130, 24);
        update(&mut m, Msg::ToggleHelp);
        for _ in 0..100 {
            update(&mut m, Msg::HelpScroll(true));
        }
        insta::assert_snapshot!("help_end", screen(&m));
    }
}
