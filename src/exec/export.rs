//! An environment delta written for a shell or a file: `sh`, `fish`,
//! `powershell`, `dotenv` or `json`. Values are quoted so nothing in them is
//! ever evaluated by the shell that reads the output.

use super::env::{EnvDelta, shell_quote};

/// Output formats of `rolecall export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// POSIX shells: `export K='v'` and `unset K`.
    Sh,
    /// fish: `set -gx K 'v'` and `set -e K`.
    Fish,
    /// PowerShell: `$Env:K = 'v'` and `Remove-Item Env:K`.
    Powershell,
    /// A `.env` file: `K="v"` (only what is set).
    Dotenv,
    /// JSON: `{"set": {...}, "unset": [...]}`.
    Json,
}

/// `s` quoted for fish.
pub fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

/// `s` quoted for PowerShell: in single quotes, each quote character doubled.
pub fn powershell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        // PowerShell also ends a single-quoted string at the typographic quotes.
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn dotenv_quote(s: &str) -> String {
    let escaped = s
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('$', "\\$")
        .replace('\n', r"\n");
    format!("\"{escaped}\"")
}

/// Renders `delta` in `format`, one statement per line.
pub fn render(delta: &EnvDelta, format: Format) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    match format {
        Format::Json => {
            let set: serde_json::Map<String, serde_json::Value> = delta
                .set
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect();
            let v = serde_json::json!({ "set": set, "unset": delta.remove });
            line(serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Dotenv => delta
            .set
            .iter()
            .for_each(|(k, v)| line(format!("{k}={}", dotenv_quote(v)))),
        Format::Sh => {
            delta.remove.iter().for_each(|k| line(format!("unset {k}")));
            delta
                .set
                .iter()
                .for_each(|(k, v)| line(format!("export {k}={}", shell_quote(v))));
        }
        Format::Fish => {
            delta
                .remove
                .iter()
                .for_each(|k| line(format!("set -e {k}")));
            delta
                .set
                .iter()
                .for_each(|(k, v)| line(format!("set -gx {k} {}", fish_quote(v))));
        }
        Format::Powershell => {
            delta
                .remove
                .iter()
                .for_each(|k| line(format!("Remove-Item Env:{k} -ErrorAction SilentlyContinue")));
            delta
                .set
                .iter()
                .for_each(|(k, v)| line(format!("$Env:{k} = {}", powershell_quote(v))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta() -> EnvDelta {
        EnvDelta {
            set: vec![("A".into(), "it's $(x)".into())],
            remove: vec!["B".into()],
        }
    }

    #[test]
    fn every_format_quotes_safely() {
        assert_eq!(
            render(&delta(), Format::Sh),
            "unset B\nexport A='it'\\''s $(x)'\n"
        );
        assert_eq!(
            render(&delta(), Format::Fish),
            "set -e B\nset -gx A 'it\\'s $(x)'\n"
        );
        assert_eq!(
            render(&delta(), Format::Powershell),
            "Remove-Item Env:B -ErrorAction SilentlyContinue\n$Env:A = 'it''s $(x)'\n"
        );
        assert_eq!(render(&delta(), Format::Dotenv), "A=\"it's \\$(x)\"\n");
        let json: serde_json::Value =
            serde_json::from_str(&render(&delta(), Format::Json)).unwrap();
        assert_eq!(json["set"]["A"], "it's $(x)");
        assert_eq!(json["unset"][0], "B");
    }

    #[cfg(unix)]
    #[test]
    fn sh_output_round_trips_through_a_real_shell() {
        let script = format!("{}printf '%s' \"$A\"", render(&delta(), Format::Sh));
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "it's $(x)");
    }
}
