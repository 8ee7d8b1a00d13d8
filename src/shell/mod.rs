//! Shell integration: switching the current shell's profile (`rolecall init`
//! prints a function, by default `rc`, that evaluates what `rolecall switch`
//! prints), the prompt segment, and fast reads of one profile.
//!
//! A child process cannot change its parent shell, so the function runs
//! rolecall in a command substitution and evaluates its stdout, which carries
//! only the final assignments: the picker draws on stderr. [`init`] writes the
//! functions, [`state`] remembers what was changed so `rc -` and `rc --clear`
//! put it back, [`code`] writes the changes for each shell, [`prompt`]
//! computes the prompt segment and [`scan`] reads one profile's sections
//! without parsing the whole files. Pure: no I/O here or below.

pub mod init;
pub mod prompt;
pub mod scan;
pub mod state;

use crate::exec::env::shell_quote;
use crate::exec::export::{Format, fish_quote, powershell_quote, render};

/// The variable naming the profile whose keys `rc --mode env` exported (the
/// prompt shows it; `ROLECALL_PROFILE` is left to `rolecall exec`, whose
/// nesting guard it drives).
pub const KEYS_PROFILE_VAR: &str = "ROLECALL_KEYS_PROFILE";

/// The environment variable that hands the shell's state to `rolecall switch`
/// for one run.
pub const STATE_ENV: &str = "ROLECALL_SHELL_STATE";

/// The shell variable (not exported) holding the state between runs.
pub const STATE_VAR: &str = "__rolecall_state";

/// The shells `rolecall init` and `rolecall switch` write for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// bash 4 or later.
    Bash,
    /// zsh.
    Zsh,
    /// fish 3.1 or later.
    Fish,
    /// PowerShell 7 (pwsh) or Windows PowerShell 5.1.
    Powershell,
}

impl Shell {
    /// The `export` format whose statements this shell reads.
    pub fn format(self) -> Format {
        match self {
            Shell::Bash | Shell::Zsh => Format::Sh,
            Shell::Fish => Format::Fish,
            Shell::Powershell => Format::Powershell,
        }
    }

    /// `s` quoted for this shell.
    pub fn quote(self, s: &str) -> String {
        match self {
            Shell::Bash | Shell::Zsh => shell_quote(s),
            Shell::Fish => fish_quote(s),
            Shell::Powershell => powershell_quote(s),
        }
    }
}

/// The code that makes the shell's environment `target` and keeps `next` as
/// its state (`None`: forget it).
pub fn code(shell: Shell, target: &state::Vars, next: Option<&state::State>) -> String {
    let mut out = render(&state::to_delta(target), shell.format());
    let line = match (shell, next) {
        (Shell::Bash | Shell::Zsh, Some(s)) => format!("{STATE_VAR}={}", shell.quote(&s.to_json())),
        (Shell::Bash | Shell::Zsh, None) => format!("unset {STATE_VAR}"),
        (Shell::Fish, Some(s)) => format!("set -g {STATE_VAR} {}", shell.quote(&s.to_json())),
        (Shell::Fish, None) => format!("set -e {STATE_VAR}"),
        (Shell::Powershell, Some(s)) => {
            format!("$global:{STATE_VAR} = {}", shell.quote(&s.to_json()))
        }
        (Shell::Powershell, None) => {
            format!("Remove-Variable -Name {STATE_VAR} -Scope Global -ErrorAction SilentlyContinue")
        }
    };
    out.push_str(&line);
    out.push('\n');
    out
}

/// The profile a typed name means: itself, else the one name it fuzzy-matches
/// clearly better than any other. The error names the candidates.
pub fn resolve_name<'a>(
    names: impl IntoIterator<Item = &'a str>,
    typed: &str,
) -> Result<String, String> {
    let mut scored: Vec<(i64, &str)> = Vec::new();
    for name in names {
        if name == typed {
            return Ok(name.to_string());
        }
        if let Some(m) = crate::fuzzy::fuzzy_match(typed, name) {
            scored.push((m.score, name));
        }
    }
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    match scored.as_slice() {
        [] => Err(format!(
            "no profile matches '{typed}'; see `rolecall list`, or run the function without a name to pick"
        )),
        [(_, only)] => Ok(only.to_string()),
        [(best, name), (second, _), ..] if best > second => Ok(name.to_string()),
        many => Err(format!(
            "'{typed}' matches several profiles equally well: {}{}; type more of the name, or run the function without a name to pick",
            many.iter()
                .take(5)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(", "),
            if many.len() > 5 { ", …" } else { "" }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_exactly_then_fuzzily() {
        let names = ["dev", "dev-eu", "prod-eu", "staging"];
        assert_eq!(resolve_name(names, "dev").unwrap(), "dev");
        assert_eq!(resolve_name(names, "stg").unwrap(), "staging");
        assert_eq!(resolve_name(names, "pe").unwrap(), "prod-eu");
        let err = resolve_name(["dev-a", "dev-b", "ops"], "dev").unwrap_err();
        assert!(err.contains("dev-a, dev-b"), "{err}");
        assert!(
            resolve_name(names, "xyz")
                .unwrap_err()
                .contains("no profile matches")
        );
    }

    #[test]
    fn code_sets_unsets_and_keeps_the_state() {
        let mut target = state::Vars::new();
        target.insert("AWS_PROFILE".into(), Some("it's".into()));
        target.insert("AWS_ACCESS_KEY_ID".into(), None);
        let s = state::State::default();
        assert_eq!(
            code(Shell::Bash, &target, Some(&s)),
            "unset AWS_ACCESS_KEY_ID\nexport AWS_PROFILE='it'\\''s'\n__rolecall_state='{\"original\":{}}'\n"
        );
        assert_eq!(
            code(Shell::Fish, &target, None),
            "set -e AWS_ACCESS_KEY_ID\nset -gx AWS_PROFILE 'it\\'s'\nset -e __rolecall_state\n"
        );
        assert_eq!(
            code(Shell::Powershell, &target, Some(&s)),
            "Remove-Item Env:AWS_ACCESS_KEY_ID -ErrorAction SilentlyContinue\n$Env:AWS_PROFILE = 'it''s'\n$global:__rolecall_state = '{\"original\":{}}'\n"
        );
    }
}
