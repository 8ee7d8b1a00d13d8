//! Command-line definitions (clap). No I/O here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::profile::FileKind;

/// Manage AWS profiles: see them, fix them, never lose a comment.
#[derive(Debug, Parser)]
#[command(name = "rolecall", version, about, long_about = None)]
pub struct Cli {
    /// The config file (default: $AWS_CONFIG_FILE or ~/.aws/config).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The credentials file (default: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
    #[arg(long, global = true, value_name = "PATH")]
    pub credentials: Option<PathBuf>,
    /// Use the bundled demo files instead of yours (read-only).
    #[arg(long, global = true)]
    pub demo: bool,
    /// What to do; without one, rolecall opens the interactive screen (or, when
    /// output is not a terminal, prints the list).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every profile: name, kind, region and chain.
    List(ListArgs),
    /// Show a profile's effective properties, where each came from, its chain and findings.
    Inspect(InspectArgs),
    /// Set a key in a profile or sso-session.
    Set(SetArgs),
    /// Remove a key from a profile or sso-session.
    Unset(UnsetArgs),
    /// Add, rename, copy or remove profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The profile; without one, the whole effective model.
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Show secret values instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
}

/// Which file a key goes to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FileArg {
    /// The config file.
    Config,
    /// The credentials file.
    Credentials,
}

impl From<FileArg> for FileKind {
    fn from(f: FileArg) -> FileKind {
        match f {
            FileArg::Config => FileKind::Config,
            FileArg::Credentials => FileKind::Credentials,
        }
    }
}

/// Who a `set` or `unset` is about.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The profile, as a flag (instead of the first argument).
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "sso_session")]
    pub profile: Option<String>,
    /// Target this sso-session instead of a profile.
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
    /// The file to change (default: the one that holds the key, else config; keys go to credentials).
    #[arg(long, value_enum)]
    pub file: Option<FileArg>,
}

/// `set PROFILE KEY VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// PROFILE KEY VALUE (or KEY VALUE with --profile / --sso-session).
    #[arg(value_name = "ARGS", num_args = 2..=3, required = true)]
    pub args: Vec<String>,
    /// Target options.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// `unset PROFILE KEY`.
#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// PROFILE KEY (or KEY with --profile / --sso-session).
    #[arg(value_name = "ARGS", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// Target options.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// `profile ...`.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Create a profile, optionally with KEY=VALUE properties.
    Add {
        /// The new profile's name.
        name: String,
        /// Properties, e.g. region=eu-west-1 (keys go to the credentials file).
        #[arg(value_name = "KEY=VALUE")]
        properties: Vec<String>,
    },
    /// Rename a profile in both files.
    Rename {
        /// The current name.
        old: String,
        /// The new name.
        new: String,
        /// Also point other profiles' source_profile at the new name.
        #[arg(long)]
        update_references: bool,
    },
    /// Copy a profile under a new name.
    Copy {
        /// The profile to copy.
        from: String,
        /// The new name.
        to: String,
    },
    /// Remove a profile from both files (a backup is kept).
    Rm {
        /// The profile.
        name: String,
        /// Remove it even if other profiles use it as source_profile.
        #[arg(long)]
        force: bool,
    },
}
