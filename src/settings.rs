//! rolecall's own settings: `config.toml` in `$XDG_CONFIG_HOME/rolecall/`, else
//! `~/.config/rolecall/`.
//!
//! ```toml
//! [theme]
//! color = true          # false: no colours (NO_COLOR in the environment wins anyway)
//! selected = "blue"     # a colour for a theme style, by style name
//!
//! [keys]                # a new key for an action in the list
//! quit = "x"
//!
//! [commands]            # remembered for "run a command with this profile"
//! saved = ["env | grep AWS_"]
//! ```
//!
//! [`parse`] takes the text and never fails: a file that is not TOML, or a value
//! of the wrong type, becomes a message naming the file and line (kept in
//! [`Settings::problems`]) and the defaults stand. Key and colour names are kept
//! as text: the TUI knows which ones exist and reports the rest. Writing goes
//! through `toml_edit` ([`remember_command`]), so the user's comments and layout
//! survive, and lands atomically ([`save_command`]). This module knows nothing of
//! the terminal.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Key, TableLike, Value};

use crate::paths::Paths;
use crate::store::{self, StoreError};

/// One `name = "value"` from a table, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key, e.g. `quit`.
    pub name: String,
    /// The value, e.g. `x`.
    pub value: String,
    /// `FILE:LINE`, for messages about it.
    pub place: String,
}

/// Everything the settings file says, with what was wrong in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `[theme] color`: draw in colour.
    pub color: bool,
    /// `[theme]` colours for styles, by style name.
    pub colors: Vec<Entry>,
    /// `[keys]`: action name → key.
    pub keys: Vec<Entry>,
    /// `[commands] saved`: commands remembered for running with a profile.
    pub commands: Vec<String>,
    /// What was refused, one message each, naming the file and line.
    pub problems: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            color: true,
            colors: Vec::new(),
            keys: Vec::new(),
            commands: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Why a command could not be remembered. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Reading or writing the file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file is not TOML, or `[commands] saved` is not a list.
    #[error("{0}; fix the file first")]
    Invalid(String),
}

/// The line of byte `offset` in `text`, counting from 1.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// The line `key = item` starts on.
fn line_of(text: &str, key: &Key, item: &Item) -> usize {
    key.span()
        .or_else(|| item.span())
        .map_or(1, |s| line_at(text, s.start))
}

/// A TOML error as `FILE:LINE: message`.
fn toml_error(text: &str, file: &str, err: &toml_edit::TomlError) -> String {
    let line = err.span().map_or(1, |s| line_at(text, s.start));
    let message = err.message().trim().replace('\n', "; ");
    format!("{file}:{line}: not valid TOML: {message}")
}

/// Reads settings from `text`; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Settings {
    let mut settings = Settings::default();
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            settings.problems.push(format!(
                "{}; using the default settings",
                toml_error(text, file, &err)
            ));
            return settings;
        }
    };
    let root = doc.as_table();
    for (name, item) in root.iter() {
        let (key, _) = root.get_key_value(name).expect("the key just listed");
        let place = format!("{file}:{}", line_of(text, key, item));
        let Some(table) = item.as_table_like() else {
            settings.problems.push(format!(
                "{place}: '{name}' should be a [{name}] table; ignored"
            ));
            continue;
        };
        match name {
            "theme" => read_theme(text, file, table, &mut settings),
            "keys" => {
                for (key, item, place) in entries(text, file, table) {
                    match item.as_str() {
                        Some(v) => settings.keys.push(Entry {
                            name: key,
                            value: v.to_string(),
                            place,
                        }),
                        None => settings.problems.push(format!(
                            "{place}: keys.{key} should be a key in quotes, like \"x\"; ignored"
                        )),
                    }
                }
            }
            "commands" => {
                for (key, item, place) in entries(text, file, table) {
                    if key != "saved" {
                        settings.problems.push(format!(
                            "{place}: unknown setting commands.{key}; ignored (known: saved)"
                        ));
                        continue;
                    }
                    let Some(list) = item.as_array() else {
                        settings.problems.push(format!(
                            "{place}: commands.saved should be a list of strings; ignored"
                        ));
                        continue;
                    };
                    for v in list.iter() {
                        match v.as_str() {
                            Some(s) if !s.trim().is_empty() => {
                                settings.commands.push(s.to_string())
                            }
                            Some(_) => {}
                            None => settings.problems.push(format!(
                                "{place}: commands.saved holds {v}, not a string; skipped",
                                v = v.to_string().trim()
                            )),
                        }
                    }
                }
            }
            _ => settings.problems.push(format!(
                "{place}: unknown table [{name}]; ignored (known: [theme], [keys], [commands])"
            )),
        }
    }
    settings
}

/// The entries of a table with their places.
fn entries<'a>(
    text: &'a str,
    file: &'a str,
    table: &'a dyn TableLike,
) -> impl Iterator<Item = (String, &'a Item, String)> + 'a {
    table.iter().map(move |(name, item)| {
        let line = table
            .get_key_value(name)
            .map_or(1, |(key, item)| line_of(text, key, item));
        (name.to_string(), item, format!("{file}:{line}"))
    })
}

fn read_theme(text: &str, file: &str, table: &dyn TableLike, settings: &mut Settings) {
    for (key, item, place) in entries(text, file, table) {
        match (key.as_str(), item.as_bool(), item.as_str()) {
            ("color", Some(b), _) => settings.color = b,
            ("color", None, _) => settings.problems.push(format!(
                "{place}: theme.color should be true or false; ignored"
            )),
            (_, _, Some(v)) => settings.colors.push(Entry {
                name: key,
                value: v.to_string(),
                place,
            }),
            _ => settings.problems.push(format!(
                "{place}: theme.{key} should be a colour in quotes, like \"blue\"; ignored"
            )),
        }
    }
}

/// `text` with `command` added to `[commands] saved`, keeping everything else as
/// written; `None` when it is saved already.
pub fn remember_command(text: &str, command: &str) -> Result<Option<String>, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| toml_error(text, "the settings file", &e))?;
    let commands = doc.entry("commands").or_insert(toml_edit::table());
    let table = commands
        .as_table_like_mut()
        .ok_or("the settings file's 'commands' is not a [commands] table")?;
    let saved = table
        .entry("saved")
        .or_insert(Item::Value(Value::Array(Array::new())));
    let list = saved
        .as_array_mut()
        .ok_or("the settings file's commands.saved is not a list")?;
    if list.iter().any(|v| v.as_str() == Some(command)) {
        return Ok(None);
    }
    // Lay the new entry out like the last one (one per line stays one per line).
    let prefix = list
        .iter()
        .last()
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .filter(|p| p.contains('\n'))
        .map(str::to_string);
    list.push(command);
    if let (Some(prefix), Some(new)) = (prefix, list.iter_mut().last()) {
        new.decor_mut().set_prefix(prefix);
    }
    Ok(Some(doc.to_string()))
}

/// Adds `command` to the saved commands in the file at `path` (creating it, mode
/// 0600, if needed), re-reading the file first so edits made meanwhile are kept.
/// Returns the saved commands as now in the file.
pub fn save_command(path: &Path, paths: &Paths, command: &str) -> Result<Vec<String>, SaveError> {
    let io = |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(e).into()),
    };
    let file = paths.show(path);
    let new = remember_command(&text, command)
        .map_err(|e| SaveError::Invalid(e.replace("the settings file", &file)))?;
    if let Some(new) = &new {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        store::write_atomic(path, new.as_bytes(), store::current_mode(path))?;
    }
    Ok(parse(new.as_deref().unwrap_or(&text), &file).commands)
}

/// Reads the settings at `path`; a missing file gives the defaults, an unreadable
/// one the defaults and a message.
pub fn load(path: &Path, paths: &Paths) -> Settings {
    let file = paths.show(path);
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(e) => Settings {
            problems: vec![format!("{file}: {e}; using the default settings")],
            ..Settings::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "~/.config/rolecall/config.toml";

    #[test]
    fn reads_every_table() {
        let s = parse(
            "# mine\n[theme]\ncolor = false\nselected = \"blue\"\n\n[keys]\nquit = \"x\"\nedit = \"E\"\n\n[commands]\nsaved = [\"env | grep AWS_\", \"dapr run -- python app.py\"]\n",
            FILE,
        );
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert!(!s.color);
        assert_eq!(
            s.colors,
            vec![Entry {
                name: "selected".into(),
                value: "blue".into(),
                place: format!("{FILE}:4"),
            }]
        );
        let keys: Vec<_> = s.keys.iter().map(|e| (&*e.name, &*e.value)).collect();
        assert_eq!(keys, vec![("quit", "x"), ("edit", "E")]);
        assert_eq!(s.keys[1].place, format!("{FILE}:8"));
        assert_eq!(
            s.commands,
            vec!["env | grep AWS_", "dapr run -- python app.py"]
        );
    }

    #[test]
    fn bad_toml_names_file_and_line_and_keeps_the_defaults() {
        let s = parse("[theme]\ncolor = true\n[keys\nquit = \"x\"\n", FILE);
        assert_eq!(s.problems.len(), 1);
        let p = &s.problems[0];
        assert!(p.starts_with(&format!("{FILE}:3: not valid TOML")), "{p}");
        assert!(p.ends_with("using the default settings"), "{p}");
        assert_eq!(
            s,
            Settings {
                problems: s.problems.clone(),
                ..Settings::default()
            }
        );
    }

    #[test]
    fn wrong_types_are_reported_and_skipped() {
        let s = parse(
            "theme = 3\n[keys]\nquit = 1\n[commands]\nsaved = [\"ok\", 2]\nother = 1\n[extra]\n",
            FILE,
        );
        let lines: Vec<_> = s
            .problems
            .iter()
            .map(|p| p.split(": ").next().unwrap().rsplit(':').next().unwrap())
            .collect();
        assert_eq!(lines, vec!["1", "3", "5", "6", "7"], "{:?}", s.problems);
        assert!(s.problems[0].contains("[theme] table"));
        assert_eq!(s.commands, vec!["ok"]);
        let s = parse("[theme]\ncolor = \"no\"\ndim = false\n", FILE);
        assert!(s.color);
        assert_eq!(s.problems.len(), 2, "{:?}", s.problems);
    }

    #[test]
    fn inline_tables_work_too() {
        let s = parse("theme = { color = false }\n", FILE);
        assert!(!s.color);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn remembering_keeps_comments_and_layout() {
        let text = "# my settings\n[theme]\ncolor = true # yes\n\n[commands]\n# handy\nsaved = [\n  \"env | grep AWS_\",\n]\n";
        let new = remember_command(text, "aws sts get-caller-identity")
            .unwrap()
            .unwrap();
        assert_eq!(
            new,
            "# my settings\n[theme]\ncolor = true # yes\n\n[commands]\n# handy\nsaved = [\n  \"env | grep AWS_\",\n  \"aws sts get-caller-identity\",\n]\n"
        );
        assert_eq!(
            remember_command(&new, "env | grep AWS_").unwrap(),
            None,
            "saved already"
        );
        let fresh = remember_command("", "it's \"quoted\"").unwrap().unwrap();
        assert_eq!(
            parse(&fresh, FILE).commands,
            vec!["it's \"quoted\"".to_string()]
        );
        let inline = remember_command("saved_theme = 1\n[commands]\nsaved = [\"a\"]\n", "b")
            .unwrap()
            .unwrap();
        assert_eq!(
            inline,
            "saved_theme = 1\n[commands]\nsaved = [\"a\", \"b\"]\n"
        );
    }

    #[test]
    fn remembering_refuses_a_broken_file() {
        assert!(remember_command("[commands\n", "x").is_err());
        assert!(remember_command("commands = 1\n", "x").is_err());
        assert!(remember_command("[commands]\nsaved = \"x\"\n", "x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn save_creates_a_private_file_and_rereads_before_writing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rolecall").join("config.toml");
        assert_eq!(
            save_command(&path, &Paths::default(), "env").unwrap(),
            vec!["env"]
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::write(&path, "# added by hand\n[commands]\nsaved = [\"env\"]\n").unwrap();
        assert_eq!(
            save_command(&path, &Paths::default(), "ls").unwrap(),
            vec!["env", "ls"]
        );
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("# added by hand\n")
        );
        std::fs::write(&path, "[commands\n").unwrap();
        let err = save_command(&path, &Paths::default(), "ls")
            .unwrap_err()
            .to_string();
        assert!(err.contains(":1: not valid TOML"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[commands\n");
        assert_eq!(load(&path, &Paths::default()).problems.len(), 1);
        assert_eq!(
            load(&dir.path().join("none.toml"), &Paths::default()),
            Settings::default()
        );
    }
}
