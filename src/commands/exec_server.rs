//! `rolecall exec --mode server`: the child gets a local container-credentials
//! endpoint instead of keys or a profile name.
//!
//! The first credentials are fetched before anything starts (an error stops
//! here, before the child runs). Then a two-worker tokio runtime serves them on
//! 127.0.0.1 ([`crate::exec::server`]), refreshes them through the locked cache
//! ahead of expiry ([`crate::exec::refresh`], messages on stderr), and runs the
//! child with generated config files ([`crate::exec::files`]) as a supervised
//! process group ([`crate::exec::child`]: the terminal's foreground, signals
//! passed on to the whole tree). When the child ends, the endpoint serves on
//! until what remains of its group has ended (killed after 10 s), then stops,
//! the files are removed and rolecall exits with the child's status.

use std::io::Write;
use std::sync::{Arc, RwLock};

use anyhow::Context;

use crate::cli::ExecArgs;
use crate::exec::env::{endpoints, server_env};
use crate::exec::files::{ChildFiles, child_config};
use crate::exec::refresh::{Event, keep_fresh, message};
use crate::exec::{child, server};
use crate::profile::ProfileSet;
use crate::workspace::Workspace;

use super::prompter::Terminal;
use crate::credential::source::{RESOLVING_VAR, Source, margin};

/// Runs `program` with `rest` as arguments for `profile` in server mode.
pub fn run(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    args: &ExecArgs,
    program: &str,
    rest: &[String],
) -> anyhow::Result<u8> {
    let source = Source::new(ws, set, profile, Terminal::shared())?;
    let margin = margin(&ws.env, args.credentials.margin);
    let first = source.servable(args.credentials.refresh, margin)?;
    let token = server::Token::generate().context("cannot make a random token")?;
    let files = ChildFiles::write(&ws.paths.runtime_dir(), &child_config(set, profile))
        .context("cannot write the child's config files")?;
    let region = set.profile(profile).and_then(|p| p.get("region"));
    let endpoints = endpoints(set, profile);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the endpoint's runtime")?;
    let result = runtime.block_on(async {
        let listener = server::bind().await.context("cannot listen on 127.0.0.1")?;
        let url = server::url(listener.local_addr()?);
        let delta = server_env(
            profile,
            &url,
            token.as_str(),
            &files.config,
            &files.credentials,
        )
        .with_region(region)
        .with_endpoints(&endpoints)
        .without(RESOLVING_VAR);
        let current = Arc::new(RwLock::new(first));
        let endpoint = server::Endpoint::new(token, current.clone(), profile);
        let failure = endpoint.failure.clone();
        let serving = tokio::spawn(server::serve(listener, endpoint));
        let name = profile.to_string();
        let refreshing = tokio::spawn(keep_fresh(
            current,
            margin,
            crate::clock::now,
            move || source.servable(false, margin),
            // Never a panic when stderr is gone: refreshing matters more.
            move |event| {
                let _ = writeln!(std::io::stderr(), "{}", message(&name, &event));
                // What a 503 answer tells the child.
                *failure.write().unwrap_or_else(|e| e.into_inner()) = match &event {
                    Event::Failed { error, .. } => Some(error.clone()),
                    Event::Refreshed { .. } => None,
                };
            },
        ));
        let mut command = std::process::Command::new(program);
        command.args(rest);
        delta.apply(&mut command);
        let status = child::run(command).await;
        serving.abort();
        refreshing.abort();
        status.with_context(|| format!("cannot run {program}"))
    });
    // A refresh still waiting on the network must not hold up the exit.
    runtime.shutdown_background();
    drop(files);
    Ok(child::exit_code(result?))
}
