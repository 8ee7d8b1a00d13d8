//! What doctor looks at, gathered for a workspace: the environment snapshot,
//! the files as read, the caches' expiry times and botocore's boto2 files.
//! The only part of `doctor` that reads files; [`super::diagnose`] stays pure.
//! The CLI (`rolecall doctor`) and the TUI's doctor panel both call [`report`].

use std::path::Path;

use crate::credential::cache::Caches;
use crate::workspace::Workspace;

use super::{BotoFile, Environment, Input, Report};

/// The boto2 files botocore reads: `$BOTO_CONFIG` alone, else `/etc/boto.cfg`
/// and `~/.boto`; those that exist.
fn boto_files(ws: &Workspace, env: &Environment) -> Vec<BotoFile> {
    let paths: Vec<String> = match env.get("BOTO_CONFIG") {
        Some(p) => vec![p.to_string()],
        None => std::iter::once("/etc/boto.cfg".to_string())
            .chain(ws.paths.home().map(|h| format!("{}/.boto", h.display())))
            .collect(),
    };
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some(BotoFile {
                path: ws.show(Path::new(&p)),
                text,
            })
        })
        .collect()
}

/// Doctor's report on the workspace's environment and files, `caches` and the
/// boto2 files, for `wanted` (else the environment's profile).
pub fn report(ws: &Workspace, wanted: Option<&str>, caches: &Caches) -> Report {
    let env = Environment::from_pairs(ws.env.iter());
    let boto = boto_files(ws, &env);
    let set = ws.view();
    super::diagnose(&Input {
        env: &env,
        set: &set,
        wanted,
        caches,
        boto_files: &boto,
        now: crate::clock::now(),
    })
}
