//! `rolecall keys add|migrate|rm|rotate`: long-term keys in the keychain, and
//! profiles that get them through `credential_process = rolecall
//! credential-process --profile NAME`.
//!
//! Keys are written to the keychain and read back before a file changes; a
//! save that removed keys also overwrites the backup it left with the new
//! text, so no plaintext copy stays behind. Secrets are read from the
//! terminal without echo (or from stdin when it is not a terminal) and never
//! printed: key ids are shown masked to their last four characters.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};

use crate::cli::KeysCommand;
use crate::credential::secret::Credentials;
use crate::keychain::migrate::{self, Candidate};
use crate::keychain::{Store, SystemStore, line};
use crate::profile::edit::{self, Target};
use crate::workspace::Workspace;

use super::UsageError;

/// `rolecall keys ...`.
pub fn run(ws: &Workspace, cmd: &KeysCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    if ws.demo {
        bail!("the demo profiles are not real: run without --demo");
    }
    let store = SystemStore;
    match cmd {
        KeysCommand::Add {
            profile,
            access_key_id,
        } => add(ws, &store, profile, access_key_id.as_deref(), out),
        KeysCommand::Migrate { profiles, yes } => migrate(ws, &store, profiles, *yes, out),
        KeysCommand::Rm { profile, yes } => rm(ws, &store, profile, *yes, out),
        KeysCommand::Rotate { profile } => super::rotate::run(ws, &store, profile, out),
    }
}

/// A key id as shown: `AKIA…WXYZ`.
pub fn short_id(id: &str) -> String {
    let tail: String = id
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}…{tail}", id.chars().take(4).collect::<String>())
}

/// The key id and secret, from the terminal or from stdin (two lines).
fn read_keys(access_key_id: Option<&str>) -> anyhow::Result<Credentials> {
    let (id, secret) = if std::io::stdin().is_terminal() {
        let id = match access_key_id {
            Some(id) => zeroize::Zeroizing::new(id.to_string()),
            None => crate::tty::line("AWS access key id: ")?,
        };
        (
            id,
            crate::tty::secret("AWS secret access key (not shown): ")?,
        )
    } else {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        let mut next = || -> anyhow::Result<zeroize::Zeroizing<String>> {
            Ok(zeroize::Zeroizing::new(
                lines
                    .next()
                    .transpose()?
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ))
        };
        let id = match access_key_id {
            Some(id) => zeroize::Zeroizing::new(id.to_string()),
            None => next()?,
        };
        (id, next()?)
    };
    if id.is_empty() || secret.is_empty() {
        bail!(UsageError(
            "give the access key id and the secret access key (on the terminal, or as two lines on stdin)".into()
        ));
    }
    if id.starts_with("ASIA") {
        bail!(UsageError(
            "ASIA… keys are temporary and expire: the keychain is for long-term (AKIA…) keys"
                .into()
        ));
    }
    Ok(Credentials::new(&id, &secret, None, None))
}

/// Saves the documents; where a file lost keys, its backup is overwritten with
/// the new text so no plaintext copy stays behind.
pub fn save_scrubbed(
    ws: &Workspace,
    files: &edit::Files,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for path in ws.save(files)? {
        crate::store::scrub_backup(&path).with_context(|| {
            format!(
                "cannot scrub the backup of {}: delete its .rolecall.bak by hand",
                ws.show(&path)
            )
        })?;
        writeln!(out, "wrote {}", ws.show(&path))?;
    }
    Ok(())
}

fn add(
    ws: &Workspace,
    store: &dyn Store,
    profile: &str,
    id: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let set = ws.view();
    if let Some(p) = set.profile(profile) {
        if let Some(v) = p.properties.get("aws_access_key_id") {
            bail!(
                "profile '{profile}' already has keys in {}: move them with `rolecall keys migrate {profile}`",
                super::place(ws, v.origin.file, Some(v.origin.line))
            );
        }
        let own = p.get("credential_process").and_then(line::own_profile) == Some(profile);
        let other = [
            "credential_process",
            "role_arn",
            "sso_session",
            "sso_start_url",
            "web_identity_token_file",
        ]
        .iter()
        .find(|k| p.get(k).is_some() && !(own && **k == "credential_process"));
        if let Some(k) = other {
            bail!(
                "profile '{profile}' gets credentials through {k}: use a new profile for keys (e.g. `rolecall keys add {profile}-keys`)"
            );
        }
    }
    let keys = read_keys(id)?;
    store.set_verified(profile, &keys)?;
    let mut files = ws.files();
    let cp = line::process_line(profile);
    if set.profile(profile).is_some() {
        edit::set(
            &mut files,
            Target::Profile(profile),
            "credential_process",
            &cp,
            Some(crate::profile::FileKind::Config),
        )?;
    } else {
        edit::add_profile(&mut files, profile, &[("credential_process".into(), cp)])?;
    }
    writeln!(
        out,
        "stored {} for profile '{profile}' in the {}",
        short_id(&keys.access_key_id),
        store.backend()
    )?;
    save_scrubbed(ws, &files, out)?;
    Ok(0)
}

fn confirm(yes: bool, question: &str) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!(UsageError("no terminal to confirm on: pass --yes".into()));
    }
    if !crate::tty::confirm(question)? {
        bail!("cancelled: nothing changed");
    }
    Ok(())
}

fn migrate(
    ws: &Workspace,
    store: &dyn Store,
    only: &[String],
    yes: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let set = ws.view();
    let moving: Vec<Candidate> = migrate::candidates(&set, only)?;
    if moving.is_empty() {
        writeln!(
            out,
            "no long-term keys in {} or {} to move",
            ws.show(ws.path(crate::profile::FileKind::Config)),
            ws.show(ws.path(crate::profile::FileKind::Credentials))
        )?;
        return Ok(0);
    }
    writeln!(out, "Moving into the {}:", store.backend())?;
    for c in &moving {
        writeln!(out, "  {}: {}", c.profile, short_id(&c.keys.access_key_id))?;
    }
    writeln!(
        out,
        "Each profile gets credential_process = rolecall credential-process --profile NAME (rolecall must be on PATH for other tools);\nthe keys leave the files and their rolecall backups."
    )?;
    if cfg!(target_os = "linux") {
        writeln!(
            out,
            "Note: the kernel keyutils keyring is memory only: keys are lost at reboot (and after a few idle days). Keep a copy elsewhere, e.g. in your password manager."
        )?;
    }
    out.flush()?;
    confirm(yes, "Move these keys?")?;
    migrate::store_all(store, &moving)?;
    let mut files = ws.files();
    for c in &moving {
        migrate::rewrite(&mut files, &c.profile)?;
    }
    if let Err(e) = save_scrubbed(ws, &files, out) {
        return Err(e.context("the keys are in the keychain, but the files still hold them: run `rolecall keys migrate` again"));
    }
    writeln!(
        out,
        "moved {}",
        super::plural(moving.len(), "profile", "profiles")
    )?;
    Ok(0)
}

fn rm(
    ws: &Workspace,
    store: &dyn Store,
    profile: &str,
    yes: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let set = ws.view();
    let keys = store.get(profile)?;
    confirm(
        yes,
        &format!(
            "Delete the keys of profile '{profile}' ({}) from the {}? This may be their only copy.",
            short_id(&keys.access_key_id),
            store.backend()
        ),
    )?;
    store.remove(profile)?;
    writeln!(
        out,
        "deleted the keys of profile '{profile}' from the {}",
        store.backend()
    )?;
    let own = set
        .profile(profile)
        .and_then(|p| p.get("credential_process"))
        .and_then(line::own_profile)
        == Some(profile);
    if own {
        let mut files = ws.files();
        edit::unset(
            &mut files,
            Target::Profile(profile),
            "credential_process",
            None,
        )?;
        save_scrubbed(ws, &files, out)?;
    }
    Ok(0)
}
