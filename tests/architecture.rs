//! The layering docs/ARCHITECTURE.md states, checked on the source: who may
//! import `commands`, `tui` and `cli`, which modules may name clap, and that
//! the environment is read in one place.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file under `src/`, as (path relative to `src/`, text).
fn files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The top-level module a file belongs to (`commands/exec.rs` → `commands`).
fn module(rel: &str) -> &str {
    rel.split('/').next().unwrap().trim_end_matches(".rs")
}

/// Lines that are code (not comments), with their numbers.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

fn offenders(allowed: &[&str], needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, text) in files() {
        if allowed.contains(&module(&rel)) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if line.contains(needle) {
                out.push(format!("src/{rel}:{n}: {}", line.trim()));
            }
        }
    }
    out
}

#[test]
fn only_the_binary_and_the_command_line_import_commands() {
    let bad = offenders(&["commands", "cli", "main"], "crate::commands");
    assert!(
        bad.is_empty(),
        "modules below `commands` import it:\n{}",
        bad.join("\n")
    );
}

#[test]
fn only_commands_and_the_binary_import_the_tui() {
    let bad = offenders(&["tui", "commands", "main"], "crate::tui");
    assert!(
        bad.is_empty(),
        "modules outside `tui` import it:\n{}",
        bad.join("\n")
    );
}

#[test]
fn only_the_command_line_knows_clap() {
    let bad = offenders(&["cli", "commands", "main"], "clap");
    assert!(
        bad.is_empty(),
        "domain modules name clap:\n{}",
        bad.join("\n")
    );
    let bad = offenders(&["cli", "commands", "main"], "crate::cli");
    assert!(
        bad.is_empty(),
        "domain modules import `cli`:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_environment_is_read_in_one_place() {
    // `env::Env::real` takes the snapshot; nothing else reads or changes the
    // process environment but `main`, which marks what child processes inherit.
    for needle in ["env::var(", "env::var_os(", "env::vars(", "env::vars_os("] {
        let bad = offenders(&["env"], needle);
        assert!(
            bad.is_empty(),
            "`{needle}` outside src/env.rs:\n{}",
            bad.join("\n")
        );
    }
    for needle in ["env::set_var(", "env::remove_var("] {
        let bad = offenders(&["main"], needle);
        assert!(
            bad.is_empty(),
            "`{needle}` outside main:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn the_domain_never_draws() {
    let domain = [
        "ini",
        "profile",
        "credential",
        "sso",
        "exec",
        "doctor",
        "dapr",
        "keychain",
        "shell",
        "store",
        "workspace",
        "env",
        "paths",
        "clock",
        "diff",
        "fuzzy",
        "recent",
        "settings",
    ];
    for (rel, text) in files() {
        if !domain.contains(&module(&rel)) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            assert!(
                !line.contains("ratatui") && !line.contains("crossterm"),
                "src/{rel}:{n} draws: {}",
                line.trim()
            );
        }
    }
}

#[test]
fn every_module_says_what_it_owns() {
    for (rel, text) in files() {
        assert!(
            text.trim_start().starts_with("//!"),
            "src/{rel} does not start with a `//!` paragraph"
        );
    }
}

#[test]
fn update_never_asks_the_view() {
    // Scroll limits and layout are data (`tui::layout`, `tui::help`,
    // `tui::doctor`); the theme is a value the model holds, so its tests may name it.
    let mut bad = Vec::new();
    for (rel, text) in files() {
        if !rel.starts_with("tui/update") {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if line.contains("view::") && !line.contains("view::Theme") {
                bad.push(format!("src/{rel}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "update depends on the view:\n{}",
        bad.join("\n")
    );
}
