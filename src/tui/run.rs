//! The "run a command with this profile" picker: the saved commands, and a line
//! below them to type a new one. Plain state and pure functions; `update` drives
//! it, `view::run` draws it, and `tui::run`'s effects start the command. What
//! environment the command gets is `exec::env`'s business, not this module's.

use super::input::{Edit, TextInput};

/// The picker's state. The saved commands themselves live in the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunPick {
    /// The profile the command runs with.
    pub profile: String,
    /// The marked profiles, when the command runs in each of them in the
    /// background (issue 19); empty: the terminal is lent to it for `profile`.
    pub targets: Vec<String>,
    /// The highlighted row: a saved command, or (at `saved.len()`) the typing line.
    pub selected: usize,
    /// The typing line.
    pub typed: TextInput,
    /// Why Enter was refused.
    pub error: Option<String>,
}

/// What Enter chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The command line.
    pub command: String,
    /// Typed, not saved yet: to remember.
    pub new: bool,
}

impl RunPick {
    /// A picker for `profile`, on the first saved command (or the typing line).
    pub fn open(profile: &str) -> RunPick {
        RunPick {
            profile: profile.to_string(),
            targets: Vec::new(),
            selected: 0,
            typed: TextInput::new(),
            error: None,
        }
    }

    /// A picker for a run in each of `targets` (the marked profiles).
    pub fn open_many(targets: Vec<String>) -> RunPick {
        let mut p = RunPick::open(targets.first().map_or("", String::as_str));
        p.targets = targets;
        p
    }

    /// Whether the typing line is highlighted.
    pub fn typing(&self, saved: &[String]) -> bool {
        self.selected >= saved.len()
    }

    /// Moves the highlight down (`true`) or up, the typing line last.
    pub fn step(&mut self, down: bool, saved: &[String]) {
        self.selected = if down {
            (self.selected + 1).min(saved.len())
        } else {
            self.selected.saturating_sub(1)
        };
        self.error = None;
    }

    /// Edits the typing line, which takes the highlight.
    pub fn edit(&mut self, edit: Edit, saved: &[String]) {
        self.selected = saved.len();
        self.typed.apply(edit);
        self.error = None;
    }

    /// The command Enter runs, or why there is none.
    pub fn choice(&self, saved: &[String]) -> Result<Choice, String> {
        if let Some(command) = saved.get(self.selected) {
            return Ok(Choice {
                command: command.clone(),
                new: false,
            });
        }
        let command = self.typed.text().trim();
        if command.is_empty() {
            return Err("type a command first".to_string());
        }
        Ok(Choice {
            command: command.to_string(),
            new: !saved.iter().any(|s| s == command),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_commands_then_the_typing_line() {
        let saved = vec!["env | grep AWS_".to_string(), "aws s3 ls".to_string()];
        let mut p = RunPick::open("dev");
        assert_eq!(
            p.choice(&saved).unwrap(),
            Choice {
                command: "env | grep AWS_".into(),
                new: false
            }
        );
        p.step(true, &saved);
        p.step(true, &saved);
        p.step(true, &saved);
        assert!(p.typing(&saved));
        assert_eq!(p.choice(&saved).unwrap_err(), "type a command first");
        p.step(false, &saved);
        assert_eq!(p.choice(&saved).unwrap().command, "aws s3 ls");
        for c in " aws s3 ls ".chars() {
            p.edit(Edit::Insert(c), &saved);
        }
        assert_eq!(
            p.choice(&saved).unwrap(),
            Choice {
                command: "aws s3 ls".into(),
                new: false
            },
            "typing a saved command again does not save it twice"
        );
        p.edit(Edit::DeleteWordBefore, &saved);
        assert_eq!(
            p.choice(&saved).unwrap(),
            Choice {
                command: "aws s3".into(),
                new: true
            }
        );
    }

    #[test]
    fn with_nothing_saved_the_typing_line_is_all_there_is() {
        let mut p = RunPick::open("dev");
        assert!(p.typing(&[]));
        p.step(true, &[]);
        assert_eq!(p.selected, 0);
    }
}
