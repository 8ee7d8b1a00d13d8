//! rolecall: manage AWS profiles without ever damaging the files they live in.
//!
//! The library holds everything but argument parsing: `ini` (the lossless file
//! model), `profile` (what the SDKs see in the files), `store` (safe writes),
//! `workspace` (the user's two files together), `commands` (what each
//! subcommand prints), `settings` (rolecall's own config.toml), `recent`
//! (when profiles were last used), `exec` (running programs with a profile),
//! `shell` (the shell function, prompt and fast one-profile reads) and `tui`
//! (the interactive screen). The binary in
//! `main.rs` only parses arguments and dispatches.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod credential;
pub mod dapr;
pub mod diff;
pub mod doctor;
pub mod exec;
pub mod fuzzy;
pub mod ini;
pub mod keychain;
pub mod lock;
pub mod profile;
pub mod recent;
pub mod settings;
pub mod shell;
pub mod sso;
pub mod store;
pub mod text;
pub mod tty;
pub mod tui;
pub mod workspace;
