//! Credentials for a fan-out (`exec --each`, the TUI's `!` on marked rows):
//! each profile's plan (exec's default mode: served from the one endpoint, or
//! long-term keys in the environment; `--mode` to choose), obtaining them all
//! before any child starts (MFA profiles one at a time, the first profile of
//! each SSO session alone so a session logs in and refreshes once, then the
//! rest on [`FETCHERS`] threads), one local endpoint serving every child with
//! its own token, and the run through [`crate::exec::fanout::run`]. Both
//! front ends call [`launch`]; what reaches the user goes through their
//! [`Prompter`]. No terminal here.
//!
//! What a run costs per profile is kept small on purpose (docs/PERFORMANCE.md,
//! "Fan-out"): one runtime and one HTTPS client for every fetch
//! ([`Fetcher`]), aws-config handed each profile's own sections rather than
//! the whole files ([`extract`]), and children with the same settings
//! sharing their generated files.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;

use super::{Prompter, RESOLVING_VAR, Source, check_usable, is_long_term};
use crate::credential::obtain::Fetcher;
use crate::credential::secret::Credentials;
use crate::exec::env::{EnvDelta, endpoints, env_mode, file_vars, profile_env, server_env};
use crate::exec::fanout::Mode;
use crate::exec::fanout::report::Outcome;
use crate::exec::fanout::run::{Events, Job, Options, run_watched};
use crate::exec::fanout::select::account;
use crate::exec::files::{ChildFiles, child_config};
use crate::exec::refresh::{Event, keep_fresh, message};
use crate::exec::server;
use crate::paths::Paths;
use crate::profile::chain::{self, Base};
use crate::profile::location::Overrides;
use crate::profile::{ProfileSet, extract};
use crate::workspace::Workspace;

/// Threads fetching credentials at once (the SSO portal throttles beyond).
pub const FETCHERS: usize = 16;

/// A fan-out to launch.
pub struct Launch<'a> {
    /// The files and the environment.
    pub ws: &'a Workspace,
    /// The profiles they define.
    pub set: &'a ProfileSet,
    /// The profiles to run in, in order.
    pub names: &'a [String],
    /// The program and its arguments.
    pub command: &'a [String],
    /// How the children get credentials (`None`: exec's default per profile).
    pub mode: Option<Mode>,
    /// Fetch new credentials even when cached ones are fresh.
    pub refresh: bool,
    /// How long before expiry credentials are renewed.
    pub margin: Duration,
    /// The front end: MFA codes, SSO login codes, warnings.
    pub prompter: Arc<dyn Prompter>,
}

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

/// The environment of `exec --mode profile`: `AWS_PROFILE` and the files,
/// the region and `ROLECALL_PROFILE`.
pub fn profile_delta(ws: &Workspace, set: &ProfileSet, profile: &str) -> anyhow::Result<EnvDelta> {
    check_usable(ws, set, profile)?;
    let region = set.profile(profile).and_then(|p| p.get("region"));
    let found = Paths::aws_files(&ws.env, &Overrides::default()).ok();
    let files = file_vars(&ws.config.path, &ws.credentials.path, found.as_ref());
    let mut d = profile_env(profile, &files).with_region(region);
    d.set
        .push(("ROLECALL_PROFILE".to_string(), profile.to_string()));
    d.remove.retain(|r| r != "ROLECALL_PROFILE");
    Ok(d)
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

/// Obtains every profile's credentials, then runs the command in each with
/// `options`, telling `events` as it goes; `cancel` stops the run. Returns
/// the outcomes in `names`' order (a profile without credentials is one
/// that did not run, with the reason).
pub fn launch(
    l: &Launch<'_>,
    options: &Options,
    events: Events,
    cancel: impl Future<Output = ()>,
) -> anyhow::Result<Vec<Outcome>> {
    // One runtime for the whole run: every fetch shares its HTTPS client, and
    // the endpoint, the refreshes and the children run on it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the endpoint's runtime")?;
    let fetcher = Fetcher::on(runtime.handle().clone());
    // aws-config is handed each profile's sections rather than the whole
    // files: parsing both files per profile made the run quadratic.
    let index = match (l.ws.config.as_on_disk(), l.ws.credentials.as_on_disk()) {
        (Some(config), Some(credentials)) => extract::Index::new(config, credentials),
        _ => None,
    };
    let plans: Vec<Result<Plan, String>> = l
        .names
        .iter()
        .map(|name| {
            let mode = l.mode.unwrap_or(if is_long_term(l.set, name) {
                Mode::Env
            } else {
                Mode::Server
            });
            let source = || {
                Source::new(l.ws, l.set, name, l.prompter.clone())
                    .map(|s| {
                        let extract = index
                            .as_ref()
                            .and_then(|i| i.extract(l.set, name))
                            .map(Arc::new);
                        s.fetching_with(fetcher.clone()).reading_extract(extract)
                    })
                    .map_err(|e| format!("{e:#}"))
            };
            Ok(match mode {
                Mode::Server => Plan::Served(source()?),
                Mode::Env => Plan::Env(source()?),
                Mode::Profile => Plan::Profile,
            })
        })
        .collect();
    let ready = obtain_all(l, plans);
    let result = serve_and_run(l, &runtime, ready, options, events, cancel);
    runtime.shutdown_background();
    result
}

/// Fetches what each plan needs: MFA profiles one at a time, the first profile
/// of each SSO session alone, then the rest on [`FETCHERS`] threads.
fn obtain_all(l: &Launch<'_>, plans: Vec<Result<Plan, String>>) -> Vec<Result<Ready, String>> {
    let (names, set) = (l.names, l.set);
    let fetch = |i: usize, plan: &Plan| -> Result<Ready, String> {
        let err = |e: anyhow::Error| format!("{e:#}");
        Ok(match plan {
            Plan::Served(s) => Ready::Served(
                s.servable(l.refresh, l.margin).map_err(err)?,
                // Refreshes, hours later, read the files as they are then.
                Box::new(s.clone().reading_extract(None)),
            ),
            Plan::Env(s) => Ready::Env(s.get(l.refresh, l.margin).map_err(err)?),
            Plan::Profile => Ready::Profile(profile_delta(l.ws, set, &names[i]).map_err(err)?),
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
    l: &Launch<'_>,
    runtime: &tokio::runtime::Runtime,
    ready: Vec<Result<Ready, String>>,
    options: &Options,
    events: Events,
    cancel: impl Future<Output = ()>,
) -> anyhow::Result<Vec<Outcome>> {
    let (set, margin) = (l.set, l.margin);
    let (program, rest) = l
        .command
        .split_first()
        .map(|(p, r)| (p.clone(), r.to_vec()))
        .unwrap_or_default();
    let base = l.ws.paths.runtime_dir();
    let mut files: Vec<ChildFiles> = Vec::new();
    let mut written: std::collections::HashMap<String, usize> = Default::default();
    let result = runtime.block_on(async {
        let listener = server::bind().await.context("cannot listen on 127.0.0.1")?;
        let url = server::url(listener.local_addr()?);
        let mut endpoints_served = Vec::new();
        let mut refreshers = Vec::new();
        let mut jobs = Vec::new();
        for (name, ready) in l.names.iter().zip(ready) {
            let region = set.profile(name).and_then(|p| p.get("region"));
            let extra = endpoints(set, name);
            let delta: Result<EnvDelta, String> = match ready {
                Err(e) => Err(e),
                Ok(Ready::Env(creds)) => Ok(env_mode(name, &creds)),
                Ok(Ready::Profile(d)) => Ok(d),
                Ok(Ready::Served(first, source)) => {
                    let token = server::Token::generate().context("cannot make a random token")?;
                    // Children whose settings are the same share their files.
                    let config = child_config(set, name);
                    let at = match written.get(&config) {
                        Some(&at) => at,
                        None => {
                            files.push(
                                ChildFiles::write(&base, &config)
                                    .context("cannot write the children's config files")?,
                            );
                            written.insert(config, files.len() - 1);
                            files.len() - 1
                        }
                    };
                    let d = server_env(
                        name,
                        &url,
                        token.as_str(),
                        &files[at].config,
                        &files[at].credentials,
                    );
                    let current = Arc::new(RwLock::new(first));
                    let endpoint = server::Endpoint::new(token, current.clone(), name);
                    let failure = endpoint.failure.clone();
                    endpoints_served.push(endpoint);
                    let label = name.clone();
                    let prompter = l.prompter.clone();
                    refreshers.push(tokio::spawn(keep_fresh(
                        current,
                        margin,
                        crate::clock::now,
                        move || source.servable(false, margin),
                        move |event| {
                            prompter.warn(&message(&label, &event));
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
        let outcomes = run_watched(jobs, options, events, cancel).await;
        if let Some(s) = serving {
            s.abort();
        }
        for r in refreshers {
            r.abort();
        }
        outcomes.context("cannot run the children")
    });
    drop(files);
    result
}
