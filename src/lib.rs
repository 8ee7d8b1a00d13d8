//! rolecall: manage AWS profiles without ever damaging the files they live in.
//!
//! The library holds everything but argument parsing. From the bottom up:
//! `env` (the environment, read once), `paths` (where things live, how a path
//! is shown), `ini` (the lossless file model), `profile` (what the SDKs see in
//! the files), `store` and `workspace` (the user's two files, saved safely),
//! `credential` (the credential pipeline, caches and the one status), `sso`,
//! `exec`, `shell`, `doctor`, `dapr`, `keychain` (the features), `commands`
//! and `cli` (the command line) and `tui` (the interactive screen).
//! docs/ARCHITECTURE.md draws the layers; the binary in `main.rs` only parses
//! arguments, takes the environment snapshot and dispatches.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod credential;
pub mod dapr;
pub mod diff;
pub mod doctor;
pub mod env;
pub mod exec;
pub mod fuzzy;
pub mod ini;
pub mod keychain;
pub mod paths;
pub mod profile;
pub mod recent;
pub mod settings;
pub mod shell;
pub mod sso;
pub mod store;
pub mod tty;
pub mod tui;
pub mod workspace;
