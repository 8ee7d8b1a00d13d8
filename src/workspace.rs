//! The user's two files, located, read and ready to edit or save together.

use std::path::{Path, PathBuf};

use crate::credential::cache::Caches;
use crate::env::Env;
use crate::paths::Paths;
use crate::profile::edit::Files;
use crate::profile::location::{Locations, NoHome, Overrides};
use crate::profile::{Diagnostic, FileKind, ProfileSet, Severity};
use crate::store::{self, StoreError, StoredFile};

/// The bundled demo config, shown by `--demo` and when there are no AWS files.
pub const DEMO_CONFIG: &str = include_str!("../assets/demo/config");
/// The bundled demo credentials (fake keys).
pub const DEMO_CREDENTIALS: &str = include_str!("../assets/demo/credentials");

/// Why the files could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// No home directory.
    #[error(transparent)]
    NoHome(#[from] NoHome),
    /// Reading or writing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The demo is read-only.
    #[error("the demo files are read-only; run without --demo to edit your own files")]
    Demo,
}

/// Both files, as read.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Where the files are and which profile is selected.
    pub locations: Locations,
    /// The config file.
    pub config: StoredFile,
    /// The credentials file.
    pub credentials: StoredFile,
    /// The bundled demo, not the user's files.
    pub demo: bool,
    /// The environment the command runs in (read once by `main`).
    pub env: Env,
    /// Where things live in that environment, and how paths are shown.
    pub paths: Paths,
}

/// From this size of either file, [`Workspace::open`] reads the two on two threads.
const PARALLEL_BYTES: u64 = 64 * 1024;

/// Whether files of these sizes are read and parsed on two threads, one per
/// file (the same documents either way); small ones are not worth a thread.
pub fn worth_two_threads(config_bytes: u64, credentials_bytes: u64) -> bool {
    config_bytes > PARALLEL_BYTES || credentials_bytes > PARALLEL_BYTES
}

/// `(config(), credentials())`, the second on a thread of its own when
/// `parallel`: how [`Workspace::open`] reads the two files (the benchmarks
/// parse in-memory text the same way).
pub fn both<C: Send, K: Send>(
    parallel: bool,
    config: impl FnOnce() -> C + Send,
    credentials: impl FnOnce() -> K + Send,
) -> (C, K) {
    if parallel {
        std::thread::scope(|s| {
            let credentials = s.spawn(credentials);
            let config = config();
            (
                config,
                credentials.join().expect("reading the credentials file"),
            )
        })
    } else {
        (config(), credentials())
    }
}

impl Workspace {
    /// Locates and reads the user's files.
    pub fn open(env: &Env, overrides: &Overrides) -> Result<Workspace, WorkspaceError> {
        let locations = Paths::aws_files(env, overrides)?;
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        let paths = Paths::current(env);
        let show = |p: &Path| paths.show(p);
        let (config, credentials) = both(
            worth_two_threads(size(&locations.config), size(&locations.credentials)),
            || store::load_or_note(&locations.config, &show),
            || store::load_or_note(&locations.credentials, &show),
        );
        Ok(Workspace {
            config: config?,
            credentials: credentials?,
            locations,
            demo: false,
            env: env.clone(),
            paths,
        })
    }

    /// Locates and reads the user's files for a command that will write them:
    /// first finishes a two-file save a crash interrupted (the returned
    /// sentences say what it did), then reads each file once it has settled
    /// (see [`store::load_for_edit`]).
    pub fn open_for_edit(
        env: &Env,
        overrides: &Overrides,
    ) -> Result<(Workspace, Vec<String>), WorkspaceError> {
        let locations = Paths::aws_files(env, overrides)?;
        let notes = store::recover(&[&locations.config, &locations.credentials])?;
        let paths = Paths::current(env);
        let show = |p: &Path| paths.show(p);
        // A file that cannot be read at all is a finding, as in `open`: an edit
        // of the other file still works.
        let load = |path: &Path| match store::load_for_edit(path) {
            Err(StoreError::Io { .. }) => store::load_or_note(path, &show),
            other => other,
        };
        let ws = Workspace {
            config: load(&locations.config)?,
            credentials: load(&locations.credentials)?,
            locations,
            demo: false,
            env: env.clone(),
            paths: paths.clone(),
        };
        Ok((ws, notes))
    }

    /// The same files read again, settled, for an edit to be applied afresh.
    pub fn reload_for_edit(&self) -> Result<Workspace, WorkspaceError> {
        if self.demo {
            return Ok(self.clone());
        }
        Ok(Workspace {
            config: store::load_for_edit(&self.locations.config)?,
            credentials: store::load_for_edit(&self.locations.credentials)?,
            ..self.clone()
        })
    }

    /// The bundled demo files.
    pub fn demo() -> Workspace {
        let config = PathBuf::from("<demo>/config");
        let credentials = PathBuf::from("<demo>/credentials");
        Workspace {
            config: StoredFile::in_memory(config.clone(), DEMO_CONFIG),
            credentials: StoredFile::in_memory(credentials.clone(), DEMO_CREDENTIALS),
            locations: Locations {
                config,
                credentials,
                profile: "default".to_string(),
            },
            demo: true,
            env: Env::default(),
            paths: Paths::default(),
        }
    }

    /// This workspace, in environment `env`.
    pub fn with_env(self, env: &Env) -> Workspace {
        Workspace {
            env: env.clone(),
            paths: Paths::current(env),
            ..self
        }
    }

    /// Expiry times in the caches that matter for this workspace's profiles,
    /// each cache directory read once (nothing for the demo).
    pub fn caches(&self) -> Caches {
        match (&self.paths.aws_caches(), self.demo) {
            (Some(dirs), false) => Caches::read(dirs, &self.config.path, &self.credentials.path),
            _ => Caches::default(),
        }
    }

    /// A path for people (`~/.aws/config`).
    pub fn show(&self, path: &Path) -> String {
        self.paths.show(path)
    }

    /// Whether neither file exists.
    pub fn is_empty(&self) -> bool {
        !self.config.exists() && !self.credentials.exists()
    }

    /// Whether either file changed on disk since it was read.
    pub fn changed_on_disk(&self) -> bool {
        self.config.changed_on_disk() || self.credentials.changed_on_disk()
    }

    /// The documents, for editing.
    pub fn files(&self) -> Files {
        Files {
            config: self.config.doc.clone(),
            credentials: self.credentials.doc.clone(),
        }
    }

    /// Everything the files define, with findings.
    pub fn view(&self) -> ProfileSet {
        let mut set = crate::profile::view(Some(&self.config.doc), Some(&self.credentials.doc));
        set.about_files.extend(self.unreadable());
        set.about_files.extend(self.file_findings());
        set
    }

    /// A finding for each file that exists but could not be read: the other
    /// file is still shown, and only writes to this one are refused.
    pub fn unreadable(&self) -> Vec<crate::profile::Diagnostic> {
        [&self.config, &self.credentials]
            .into_iter()
            .filter_map(|f| f.unreadable.as_ref())
            .map(|why| {
                let (message, fix) = why
                    .split_once(" (fix: ")
                    .map_or((why.as_str(), ""), |(m, f)| (m, f.trim_end_matches(')')));
                crate::profile::Diagnostic::new(
                    crate::profile::Severity::Error,
                    "unreadable-file",
                    message,
                    fix.to_string(),
                )
            })
            .collect()
    }

    /// A finding for each file that is not a regular file (`/dev/null` excepted):
    /// it read as empty, and rolecall will not write to it.
    pub fn file_findings(&self) -> Vec<Diagnostic> {
        [&self.config, &self.credentials]
            .into_iter()
            .filter_map(|f| {
                let special = f.special()?;
                let (code, what) = match special {
                    store::Special::DevNull => return None,
                    store::Special::Loop => ("symlink-loop", special.describe()),
                    store::Special::Other(what) => ("not-a-regular-file", *what),
                };
                Some(Diagnostic::new(
                    Severity::Error,
                    code,
                    format!(
                        "{} is {what}: rolecall read it as empty and will not write to it",
                        self.show(&f.path)
                    ),
                    "replace it with a regular file, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at one",
                ))
            })
            .collect()
    }

    /// The path of a file.
    pub fn path(&self, file: FileKind) -> &Path {
        match file {
            FileKind::Config => &self.config.path,
            FileKind::Credentials => &self.credentials.path,
        }
    }

    /// Saves the edited documents; returns the paths written.
    pub fn save(&self, files: &Files) -> Result<Vec<PathBuf>, WorkspaceError> {
        let pairs = [
            (&self.config, &files.config),
            (&self.credentials, &files.credentials),
        ];
        let changed: Vec<_> = pairs
            .iter()
            .filter(|(s, d)| s.doc.text() != d.text())
            .collect();
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        if self.demo {
            return Err(WorkspaceError::Demo);
        }
        // One step: both locked, both checked, both written, then renamed.
        Ok(store::save_all(
            &[
                (&self.config, &files.config),
                (&self.credentials, &files.credentials),
            ],
            &mut |_| Ok(()),
        )?)
    }
}
