//! `rolecall exec --each PATTERN -- CMD`: one command in many profiles.
//!
//! Profiles are chosen by [`crate::exec::fanout::select`] (globs, never fuzzy),
//! listed by `--dry-run`, and confirmed on a terminal unless `--yes`. Their
//! credentials are obtained before any child starts, through
//! [`crate::credential::source::Source`]: MFA profiles one at a time (one code
//! asked at a time), then the first profile of each SSO session (one login or
//! token refresh per session), then all the others concurrently. A profile
//! whose credentials cannot be had is reported failed; the others go on.
//! Children get exec's default mode per profile (`--mode` to choose): served
//! credentials come from ONE local endpoint with a token per child that only
//! serves its own profile; long-term keys go in the environment. Then
//! [`crate::exec::fanout::run`] runs them and the summary (stderr) or the JSON
//! lines (stdout) report; the exit status is 0 only when every child exited 0.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::cli::{ExecArgs, ExecMode};
use crate::credential::secret::Credentials;
use crate::credential::source::{RESOLVING_VAR, Source, is_long_term, margin};
use crate::exec::env::{EnvDelta, endpoints, env_mode, server_env};
use crate::exec::fanout::report::{self, Outcome};
use crate::exec::fanout::run::{Job, Options, Show};
use crate::exec::fanout::select::{Selector, account, select};
use crate::exec::files::{ChildFiles, child_config};
use crate::exec::refresh::{Event, keep_fresh, message};
use crate::exec::{child, server};
use crate::profile::ProfileSet;
use crate::profile::chain::{self, Base};
use crate::workspace::Workspace;

use super::prompter::Terminal;

/// Threads fetching credentials at once (the SSO portal throttles beyond).
const FETCHERS: usize = 16;

/// How one profile's child gets its credentials.
enum Plan {
    /// From the shared endpoint.
    Served(Source),
    /// In its environment.
    Env(Source),
    /// `AWS_PROFILE` and the files.
    Profile,
}

/// What a profile's child is given, once credentials are in hand.
enum Ready {
    Served(Credentials, Box<Source>),
    Env(Credentials),
    Profile(EnvDelta),
}

/// The SSO session (or legacy start URL) a profile's chain starts from.
fn sso_key(set: &ProfileSet, profile: &str) -> Option<String> {
    let chain = chain::resolve(set, profile).ok()?;
    let Base::Sso { profile: base, .. } = &chain.base else {
        return None;
    };
    let p = set.profile(base)?;
    p.get("sso_session")
        .or_else(|| p.get("sso_start_url"))
        .map(|s| s.trim().to_string())
}

/// `exec --each ...`.
pub fn run(ws: &Workspace, args: &ExecArgs) -> anyhow::Result<u8> {
    let f = &args.fanout;
    let set = ws.view();
    let selector = Selector {
        patterns: f.each.clone(),
        kinds: f.kind.clone(),
        sso_sessions: f.sso_session.clone(),
        accounts: f.account.clone(),
    };
    let names = select(&set, &selector);
    if names.is_empty() {
        bail!(
            "no profile matches: --each takes glob patterns over whole names (prod-* matches prod-eu, not preprod); see `rolecall list`"
        );
    }
    if f.dry_run {
        let mut out = std::io::stdout().lock();
        for name in &names {
            let kind = set
                .profile(name)
                .map_or("", |p| crate::profile::kind::classify(p).label());
            let acct = account(&set, name).unwrap_or_default();
            writeln!(out, "{name}\t{kind}\t{acct}")?;
        }
        return Ok(0);
    }
    if args.command.is_empty() {
        bail!(
            "--each runs a command in every profile it matches: give it after `--` (rolecall exec --each 'prod-*' -- aws sts get-caller-identity)"
        );
    }
    if let Some(outer) = ws.env.non_empty("ROLECALL_PROFILE")
        && !args.force
    {
        bail!(
            "already inside `rolecall exec` for profile '{outer}'; running other profiles inside it mixes identities (pass --force to do it anyway)"
        );
    }
    if !f.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
        let more = names.len().saturating_sub(shown.len());
        eprintln!(
            "rolecall: {} profile(s) match: {}{}",
            names.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        if !crate::tty::confirm(&format!("Run `{}` in each?", args.command.join(" ")))? {
            bail!("nothing was run");
        }
    }
    let margin = margin(&ws.env, args.credentials.margin);
    let refresh = args.credentials.refresh;
    let prompter = Terminal::shared();
    let plans: Vec<Result<Plan, String>> = names
        .iter()
        .map(|name| {
            let mode = args.mode.unwrap_or(if is_long_term(&set, name) {
                ExecMode::Env
            } else {
                ExecMode::Server
            });
            let source =
                || Source::new(ws, &set, name, prompter.clone()).map_err(|e| format!("{e:#}"));
            Ok(match mode {
                ExecMode::Server => Plan::Served(source()?),
                ExecMode::Env => Plan::Env(source()?),
                ExecMode::Profile => Plan::Profile,
            })
        })
        .collect();
    let ready = obtain_all(ws, &set, &names, plans, refresh, margin);
    let show = if f.json || f.quiet {
        Show::Quiet
    } else if f.group {
        Show::Group
    } else {
        Show::Live {
            colour: std::io::stdout().is_terminal() && !ws.env.has("NO_COLOR"),
        }
    };
    let options = Options {
        jobs: f.jobs as usize,
        timeout: f.timeout,
        show,
        capture: f.json,
        grace: child::GRACE,
        // On a terminal, unless live lines go to the same one.
        progress: std::io::stderr().is_terminal()
            && !(matches!(show, Show::Live { .. }) && std::io::stdout().is_terminal()),
    };
    let outcomes = serve_and_run(ws, &set, &names, ready, args, margin, &options)?;
    if f.json {
        let mut out = std::io::stdout().lock();
        for o in &outcomes {
            writeln!(out, "{}", report::json(o))?;
        }
    }
    eprint!("{}", report::summary(&outcomes));
    Ok(report::exit_status(&outcomes))
}

/// Fetches what each plan needs: MFA profiles one at a time, the first profile
/// of each SSO session alone, then the rest on [`FETCHERS`] threads.
fn obtain_all(
    ws: &Workspace,
    set: &ProfileSet,
    names: &[String],
    plans: Vec<Result<Plan, String>>,
    refresh: bool,
    margin: Duration,
) -> Vec<Result<Ready, String>> {
    let fetch = |i: usize, plan: &Plan| -> Result<Ready, String> {
        let err = |e: anyhow::Error| format!("{e:#}");
        Ok(match plan {
            Plan::Served(s) => Ready::Served(
                s.servable(refresh, margin).map_err(err)?,
                Box::new(s.clone()),
            ),
            Plan::Env(s) => Ready::Env(s.get(refresh, margin).map_err(err)?),
            Plan::Profile => {
                Ready::Profile(super::exec::profile_delta(ws, set, &names[i]).map_err(err)?)
            }
        })
    };
    let mut done: Vec<Option<Result<Ready, String>>> = names.iter().map(|_| None).collect();
    let mut first_of_session = std::collections::HashSet::new();
    // One at a time: MFA codes are asked in turn, and each SSO session logs
    // in or refreshes its token once, before its other profiles share it.
    for (i, plan) in plans.iter().enumerate() {
        let Ok(plan) = plan else { continue };
        let needs_turn = match plan {
            Plan::Profile => false,
            _ => {
                crate::credential::mfa::plan(set, &names[i]).is_some()
                    || sso_key(set, &names[i]).is_some_and(|k| first_of_session.insert(k))
            }
        };
        if needs_turn {
            done[i] = Some(fetch(i, plan));
        }
    }
    let next = AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Ready, String>>>> =
        names.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..FETCHERS.min(names.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= names.len() {
                        return;
                    }
                    if done[i].is_some() {
                        continue;
                    }
                    let r = match &plans[i] {
                        Ok(plan) => fetch(i, plan),
                        Err(e) => Err(e.clone()),
                    };
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
            });
        }
    });
    done.into_iter()
        .zip(results)
        .map(|(d, r)| {
            d.or_else(|| r.into_inner().unwrap_or_else(|e| e.into_inner()))
                .unwrap_or_else(|| Err("no credentials".into()))
        })
        .collect()
}

/// Starts the one endpoint for every served profile (with refreshes), builds
/// each child's command, and runs them all.
fn serve_and_run(
    ws: &Workspace,
    set: &ProfileSet,
    names: &[String],
    ready: Vec<Result<Ready, String>>,
    args: &ExecArgs,
    margin: Duration,
    options: &Options,
) -> anyhow::Result<Vec<Outcome>> {
    let (program, rest) = args
        .command
        .split_first()
        .map(|(p, r)| (p.clone(), r.to_vec()))
        .unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the endpoint's runtime")?;
    let base = ws.paths.runtime_dir();
    let mut files: Vec<ChildFiles> = Vec::new();
    let result = runtime.block_on(async {
        let listener = server::bind().await.context("cannot listen on 127.0.0.1")?;
        let url = server::url(listener.local_addr()?);
        let mut endpoints_served = Vec::new();
        let mut refreshers = Vec::new();
        let mut jobs = Vec::new();
        for (name, ready) in names.iter().zip(ready) {
            let region = set.profile(name).and_then(|p| p.get("region"));
            let extra = endpoints(set, name);
            let delta: Result<EnvDelta, String> = match ready {
                Err(e) => Err(e),
                Ok(Ready::Env(creds)) => Ok(env_mode(name, &creds)),
                Ok(Ready::Profile(d)) => Ok(d),
                Ok(Ready::Served(first, source)) => {
                    let token = server::Token::generate().context("cannot make a random token")?;
                    let written = ChildFiles::write(&base, &child_config(set, name))
                        .context("cannot write the children's config files")?;
                    let d = server_env(
                        name,
                        &url,
                        token.as_str(),
                        &written.config,
                        &written.credentials,
                    );
                    files.push(written);
                    let current = Arc::new(RwLock::new(first));
                    let endpoint = server::Endpoint::new(token, current.clone(), name);
                    let failure = endpoint.failure.clone();
                    endpoints_served.push(endpoint);
                    let label = name.clone();
                    refreshers.push(tokio::spawn(keep_fresh(
                        current,
                        margin,
                        crate::clock::now,
                        move || source.servable(false, margin),
                        move |event| {
                            let _ = writeln!(std::io::stderr(), "{}", message(&label, &event));
                            *failure.write().unwrap_or_else(|e| e.into_inner()) = match &event {
                                Event::Failed { error, .. } => Some(error.clone()),
                                Event::Refreshed { .. } => None,
                            };
                        },
                    )));
                    Ok(d)
                }
            };
            let command = delta.map(|d| {
                let d = d
                    .with_region(region)
                    .with_endpoints(&extra)
                    .without(RESOLVING_VAR);
                let mut c = std::process::Command::new(&program);
                c.args(&rest);
                d.apply(&mut c);
                c
            });
            jobs.push(Job {
                profile: name.clone(),
                account: account(set, name),
                command,
            });
        }
        let serving = (!endpoints_served.is_empty())
            .then(|| tokio::spawn(server::serve_all(listener, endpoints_served)));
        let outcomes = crate::exec::fanout::run::run(jobs, options).await;
        if let Some(s) = serving {
            s.abort();
        }
        for r in refreshers {
            r.abort();
        }
        outcomes.context("cannot run the children")
    });
    runtime.shutdown_background();
    drop(files);
    result
}
