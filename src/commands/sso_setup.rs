//! `rolecall sso setup`: the guided onboarding on the command line. Asks for
//! what the flags do not give (start URL, region, session name), logs in, lists
//! every account and role, keeps those matching `--filter`, names profiles with
//! the template, previews the change and writes it in one save (atomic, with a
//! backup; nothing is written before the preview is confirmed).

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;

use crate::cli::SetupArgs;
use crate::credential::obtain::block_on;
use crate::diff::{DiffLine, diff_lines};
use crate::sso::config::{DEFAULT_SCOPE, SsoConfig, parse_scopes};
use crate::sso::login::{self, Browser, Options};
use crate::sso::onboard::{self, Settings};
use crate::sso::{oidc, portal::Portal};
use crate::workspace::Workspace;

use super::UsageError;
use super::prompter::{TerminalUi, ctrl_c};
use crate::credential::source::sso_env;

/// How many lines of the preview are printed before it is cut short.
const PREVIEW_LINES: usize = 60;

fn ask(question: &str, default: Option<&str>, flag: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(format!(
            "{flag} is required when rolecall cannot ask (no terminal)"
        ))
        .into());
    }
    let hint = default.map(|d| format!(" [{d}]")).unwrap_or_default();
    eprint!("{question}{hint}: ");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let answer = line.trim();
    match (answer.is_empty(), default) {
        (false, _) => Ok(answer.to_string()),
        (true, Some(d)) => Ok(d.to_string()),
        (true, None) => Err(UsageError(format!("no answer: pass {flag}")).into()),
    }
}

/// The session to set up: the flags, the existing section, else questions.
fn session_config(ws: &Workspace, args: &SetupArgs) -> anyhow::Result<SsoConfig> {
    let set = ws.view();
    let existing = args
        .session
        .as_deref()
        .and_then(|n| set.sso_sessions.get(n).map(|s| (n, s)));
    let known = |key: &str| existing.and_then(|(_, s)| s.get(key)).map(str::to_string);
    let start_url = match args.start_url.clone().or_else(|| known("sso_start_url")) {
        Some(u) => u,
        None => ask(
            "AWS access portal URL (https://....awsapps.com/start)",
            None,
            "--start-url",
        )?,
    };
    let region = match args.sso_region.clone().or_else(|| known("sso_region")) {
        Some(r) => r,
        None => ask(
            "IAM Identity Center region",
            Some("us-east-1"),
            "--sso-region",
        )?,
    };
    let session = match &args.session {
        Some(s) => s.clone(),
        None => ask(
            "Name for this sso-session",
            Some(&onboard::suggest_session(&start_url)),
            "--session",
        )?,
    };
    if !onboard::valid_session_name(&session) {
        return Err(UsageError(format!(
            "'{session}' cannot be an sso-session name: use letters, digits and _-/.%@:+"
        ))
        .into());
    }
    let scopes = known("sso_registration_scopes")
        .map(|s| parse_scopes(&s))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| vec![DEFAULT_SCOPE.to_string()]);
    Ok(SsoConfig {
        session: Some(session),
        start_url,
        region,
        scopes,
    })
}

fn print_preview(out: &mut dyn Write, old: &str, new: &str, full: bool) -> std::io::Result<()> {
    let lines = diff_lines(old, new, 1);
    let limit = if full { usize::MAX } else { PREVIEW_LINES };
    for line in lines.iter().take(limit) {
        match line {
            DiffLine::Same(_, t) => writeln!(out, "  {t}")?,
            DiffLine::Removed(_, t) => writeln!(out, "{}", format!("- {t}").trim_end())?,
            DiffLine::Added(_, t) => writeln!(out, "{}", format!("+ {t}").trim_end())?,
        }
    }
    if lines.len() > limit {
        writeln!(
            out,
            "  ... {} more lines (see them all with --dry-run)",
            lines.len() - limit
        )?;
    }
    Ok(())
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(UsageError("rolecall cannot ask for confirmation (no terminal): pass --yes, or --dry-run to preview".into()).into());
    }
    eprint!("{question} [y/N] ");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

/// `rolecall sso setup`.
pub fn setup(ws: &Workspace, args: &SetupArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    // Before any question or login: a template rolecall cannot fill.
    onboard::check_template(&args.template)
        .map_err(|e| UsageError(format!("--template: {e}; nothing was written")))?;
    let env = sso_env(ws)?;
    let cfg = session_config(ws, args)?;
    let session = cfg.session.clone().expect("setup always names a session");
    // The same checks as `set`, before any login: a region that is not one
    // stops here, one rolecall does not know is a warning.
    let regions = [
        ("sso_region", Some(&cfg.region)),
        ("region", args.region.as_ref()),
    ];
    for (key, value) in regions {
        let Some(f) = value.and_then(|v| crate::profile::validate::region_finding(key, v)) else {
            continue;
        };
        if f.refuses(false) {
            return Err(UsageError(format!("{key}: {}; nothing was written", f.message)).into());
        }
        eprintln!("warning: {key}: {}", f.message);
    }
    let opts = Options {
        force: false,
        interactive: true,
        browser: Browser::from_env(&ws.env, args.no_browser),
        use_device_code: false,
        ssh: crate::sso::login::over_ssh(&ws.env),
    };
    let assignments = block_on(async {
        let token = login::ensure(&env, &cfg, &opts, None, &mut TerminalUi, ctrl_c()).await?;
        eprintln!(
            "rolecall: listing the accounts and roles of {}...",
            cfg.label()
        );
        let sdk = oidc::sdk_config(&cfg.region, &env.files).await;
        Portal::new(&sdk)
            .assignments(&token.token().access_token)
            .await
            .map_err(anyhow::Error::msg)
    })
    .with_context(|| format!("cannot list the accounts of {}", cfg.label()))?;
    let total = assignments.len();
    let picked = match &args.filter {
        Some(f) => onboard::filter(&assignments, f, &args.template, &session),
        None => assignments,
    };
    eprintln!(
        "rolecall: {} in the portal, {} picked",
        super::plural(total, "role", "roles"),
        picked.len()
    );
    let settings = Settings {
        session: session.clone(),
        template: args.template.clone(),
        region: Some(args.region.clone().unwrap_or_else(|| cfg.region.clone())),
        output: args.output.clone(),
    };
    let old = ws.files();
    let (files, plan) = onboard::prepare(&old, &cfg, &picked, &settings, !args.no_prune)?;
    let old = old.config.text().to_string();
    for (name, why) in &plan.skipped {
        eprintln!("rolecall: skipped profile '{name}': {why}");
    }
    let new = files.config.text().to_string();
    writeln!(
        out,
        "{}: {} to add, {} to update, {} to remove, {} unchanged, {} skipped",
        ws.show(&ws.config.path),
        super::plural(plan.add.len(), "profile", "profiles"),
        super::plural(plan.update.len(), "key", "keys"),
        plan.remove.len(),
        plan.unchanged,
        plan.skipped.len()
    )?;
    if old == new {
        writeln!(out, "nothing to change")?;
        return Ok(0);
    }
    print_preview(out, &old, &new, args.dry_run)?;
    if args.dry_run {
        return Ok(0);
    }
    out.flush()?;
    if !args.yes && !confirm("Write these changes?")? {
        writeln!(out, "nothing written")?;
        return Ok(1);
    }
    for path in ws.save(&files)? {
        writeln!(
            out,
            "wrote {} (previous version: {})",
            ws.show(&path),
            ws.show(&crate::store::backup_path(&path))
        )?;
    }
    Ok(0)
}
