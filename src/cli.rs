//! Command-line definitions (clap). No I/O here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::profile::FileKind;

mod sso;
mod values;
pub use sso::{LoginArgs, LogoutArgs, SetupArgs, SsoCommand};

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
    /// After an error's sentence, show its chain of causes (also with RUST_LOG set).
    #[arg(long, global = true)]
    pub debug: bool,
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
    /// Run a command with a profile's credentials (or your shell, without one).
    Exec(ExecArgs),
    /// Print the variables `exec` would set, for a shell or a .env file.
    Export(ExportArgs),
    /// Print credentials in the credential_process JSON format (for other tools and SDKs).
    CredentialProcess(CredentialProcessArgs),
    /// Log in to IAM Identity Center (SSO) with a device code.
    Login(LoginArgs),
    /// Sign out of SSO: the service's Logout, then the token and cached role credentials removed.
    Logout(LogoutArgs),
    /// IAM Identity Center: guided setup of a session and its profiles, sessions.
    #[command(subcommand)]
    Sso(SsoCommand),
    // Shell integration (see docs/shell.md).
    /// Print the shell function (rc) that switches this shell's profile; see docs/shell.md.
    Init(InitArgs),
    /// Print the shell code that switches the calling shell (run by the function `init` prints).
    #[command(hide = true)]
    Switch(SwitchArgs),
    /// Print the active profile and the time left on its credentials, for a shell prompt.
    Prompt(PromptArgs),
    /// Print a shell's completion script (profile names are completed from your files).
    Completions(CompletionsArgs),
    /// Print the manual page (roff): rolecall man | man -l -
    Man(ManArgs),
    /// Explain which credentials each AWS SDK family uses here, and what is wrong.
    Doctor(DoctorArgs),
    /// Dapr components for AWS building blocks, with a profile's region.
    #[command(subcommand)]
    Dapr(DaprCommand),
    /// Long-term keys in the system keychain instead of ~/.aws/credentials.
    #[command(subcommand)]
    Keys(KeysCommand),
    // Console sign-in (issue 17).
    /// Open the AWS Management Console signed in as a profile (see docs/console.md).
    Console(ConsoleArgs),
}

/// `console [PROFILE] [--service S | --destination URL] [--url] [--no-browser]`.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// The profile (default: $AWS_PROFILE, else default).
    #[arg(value_name = "PROFILE", add = profile_completion())]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// Open this service's page (its name in the console's address: s3, ec2, iam...).
    #[arg(long, value_name = "NAME", conflicts_with = "destination")]
    pub service: Option<String>,
    /// Open this console URL (https://...) instead of the console home.
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,
    /// How long the console session lasts: 3600, 90m, 12h (roles: up to 12h,
    /// 1h when reached through another role; long-term keys: up to 36h).
    #[arg(long, value_name = "DURATION", value_parser = crate::console::federation::parse_duration)]
    pub duration: Option<std::time::Duration>,
    /// Print the sign-in URL on stdout instead of opening a browser (it is a
    /// bearer token: anyone with it is signed in as the profile).
    #[arg(long, conflicts_with = "no_browser")]
    pub url: bool,
    /// Print a one-time local address to open by hand instead of starting a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Credential options.
    #[command(flatten)]
    pub credentials: CredentialArgs,
}

/// `keys ...`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Store a profile's keys in the keychain (typed on the terminal, or two
    /// lines on stdin) and point the profile at them.
    Add {
        /// The profile (created if missing).
        profile: String,
        /// The access key id (else asked for).
        #[arg(long, value_name = "ID")]
        access_key_id: Option<String>,
    },
    /// Move plaintext long-term keys from the files into the keychain.
    Migrate {
        /// Only these profiles (default: every profile with long-term keys).
        profiles: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Delete a profile's keys from the keychain.
    Rm {
        /// The profile.
        profile: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Replace a profile's key with a new one from IAM; the old one is deleted
    /// once the new one works.
    Rotate {
        /// The profile.
        profile: String,
    },
}

/// How credentials reach the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExecMode {
    /// The credentials themselves as AWS_ACCESS_KEY_ID etc. (they do not refresh).
    Env,
    /// AWS_PROFILE: the child's own SDK reads the profile and refreshes (it must
    /// understand the profile's kind, e.g. SSO).
    Profile,
    /// A local credential endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) that
    /// rolecall keeps fresh while the child runs, for days if need be.
    Server,
}

/// Options shared by the commands that obtain credentials.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// Fetch new credentials even if cached ones are still fresh.
    #[arg(long)]
    pub refresh: bool,
    /// Reuse cached credentials until this many minutes before they expire;
    /// `exec --mode server` refreshes that long ahead too (default 15, or
    /// $ROLECALL_REFRESH_MARGIN_MINUTES).
    #[arg(long, value_name = "MINUTES")]
    pub margin: Option<u64>,
}

/// `exec [PROFILE] [--mode env|profile|server] -- CMD...`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The profile (default: $AWS_PROFILE, else default).
    #[arg(value_name = "PROFILE", add = profile_completion())]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// env: inject the credentials; profile: set AWS_PROFILE; server: serve
    /// them from a local endpoint on 127.0.0.1, refreshed before they expire.
    /// Default: env for long-term keys, server for everything that expires.
    #[arg(long, value_enum)]
    pub mode: Option<ExecMode>,
    /// Run even inside another `rolecall exec` for a different profile.
    #[arg(long)]
    pub force: bool,
    /// Choose the profile in the interactive list (needs a terminal); mark
    /// several with Space to run the command in each, as --each does.
    #[arg(long, conflicts_with_all = ["profile", "profile_flag"])]
    pub pick: bool,
    /// With --mode env: pass on credentials whose expiry has passed (with a
    /// warning and their real expiry) instead of refusing them.
    #[arg(long)]
    pub allow_expired: bool,
    /// Credential options.
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Running the command in many profiles at once (`--each`).
    #[command(flatten, next_help_heading = "Many profiles at once")]
    pub fanout: FanoutArgs,
    /// The command and its arguments, after `--` (default: your shell).
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// `exec --each PATTERN ... -- CMD`: one command in many profiles (issue 19).
#[derive(Debug, Args, Default)]
pub struct FanoutArgs {
    /// Run in every profile whose name matches this glob (`*`, `?`, `[a-z]`;
    /// never fuzzy); repeat to add more.
    #[arg(long, value_name = "PATTERN", conflicts_with_all = ["profile", "profile_flag", "pick"])]
    pub each: Vec<String>,
    /// Only profiles of this kind (as `list` shows it: sso, role, keys, ...).
    #[arg(long, value_name = "KIND", conflicts_with_all = ["profile", "profile_flag", "pick"])]
    pub kind: Vec<String>,
    /// Only profiles of this SSO session.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["profile", "profile_flag", "pick"])]
    pub sso_session: Vec<String>,
    /// Only profiles in this AWS account (sso_account_id or the role's account).
    #[arg(long, value_name = "ID", conflicts_with_all = ["profile", "profile_flag", "pick"])]
    pub account: Vec<String>,
    /// List the profiles that match and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// How many children run at once.
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = crate::exec::fanout::DEFAULT_JOBS as u32,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: u32,
    /// Stop a child that runs longer than this (30s, 5m, 1h).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// Do not ask before starting.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print each profile's output together when it ends.
    #[arg(long, conflicts_with = "quiet")]
    pub group: bool,
    /// Print only the summary.
    #[arg(long)]
    pub quiet: bool,
    /// One JSON object per profile on stdout (output captured, truncated).
    #[arg(long)]
    pub json: bool,
}

impl FanoutArgs {
    /// Whether a fan-out was asked for.
    pub fn active(&self) -> bool {
        !(self.each.is_empty()
            && self.kind.is_empty()
            && self.sso_session.is_empty()
            && self.account.is_empty())
    }
}

/// `30`, `30s`, `5m`, `2h`, `250ms` as a duration.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("'{s}' is not a duration: write 30s, 5m or 1h"))?;
    let secs = |k: u64| std::time::Duration::from_secs(n.saturating_mul(k));
    match unit {
        "ms" => Ok(std::time::Duration::from_millis(n)),
        "" | "s" => Ok(secs(1)),
        "m" => Ok(secs(60)),
        "h" => Ok(secs(3600)),
        _ => Err(format!("'{s}' is not a duration: write 30s, 5m or 1h")),
    }
}

/// `export [PROFILE] --format ...`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The profile (default: $AWS_PROFILE, else default).
    #[arg(value_name = "PROFILE", add = profile_completion())]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "sh")]
    pub format: crate::exec::export::Format,
    /// Print credentials whose expiry has passed (with a warning and their
    /// real expiry) instead of refusing them.
    #[arg(long)]
    pub allow_expired: bool,
    /// Credential options.
    #[command(flatten)]
    pub credentials: CredentialArgs,
}

/// `credential-process --profile P`.
#[derive(Debug, Args)]
pub struct CredentialProcessArgs {
    /// The profile.
    #[arg(value_name = "PROFILE", add = profile_completion())]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// Credential options.
    #[command(flatten)]
    pub credentials: CredentialArgs,
}

/// `doctor [PROFILE] [--json]`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The profile you mean to use (default: $AWS_PROFILE, else default);
    /// judged as if AWS_PROFILE named it.
    #[arg(value_name = "PROFILE")]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also check the Dapr component files (*.yaml) in this directory.
    #[arg(long, value_name = "DIR")]
    pub dapr_components: Option<PathBuf>,
}

/// `dapr ...`.
#[derive(Debug, Subcommand)]
pub enum DaprCommand {
    /// Write a component YAML (no plaintext credentials) for a profile.
    Component(Box<DaprComponentArgs>),
}

/// `dapr component PROFILE --type TYPE ...`.
#[derive(Debug, Args)]
pub struct DaprComponentArgs {
    /// The profile whose region the component gets (default: $AWS_PROFILE, else default).
    #[arg(value_name = "PROFILE")]
    pub profile: Option<String>,
    /// The profile, as a flag.
    #[arg(long = "profile", value_name = "NAME", conflicts_with = "profile")]
    pub profile_flag: Option<String>,
    /// The component type.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: crate::dapr::component::Type,
    /// metadata.name (default: statestore, pubsub, s3 or secretstore).
    #[arg(long)]
    pub name: Option<String>,
    /// The region (default: the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// state.aws.dynamodb: the table.
    #[arg(long)]
    pub table: Option<String>,
    /// state.aws.dynamodb: the TTL attribute (ttlAttributeName).
    #[arg(long, value_name = "ATTRIBUTE")]
    pub ttl_attribute: Option<String>,
    /// state.aws.dynamodb: the partition key attribute, instead of `key`.
    #[arg(long, value_name = "ATTRIBUTE")]
    pub partition_key: Option<String>,
    /// bindings.aws.s3: the bucket.
    #[arg(long)]
    pub bucket: Option<String>,
    /// secretstores.aws.parameterstore: only parameters starting with this.
    #[arg(long)]
    pub prefix: Option<String>,
    /// pubsub.aws.snssqs: FIFO topics and queues.
    #[arg(long)]
    pub fifo: bool,
    /// A local endpoint (emulators only; `doctor --dapr-components` flags it).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Take accessKey, secretKey and sessionToken from this secret (secretKeyRef)
    /// instead of the sidecar's default chain.
    #[arg(long, value_name = "NAME")]
    pub secret: Option<String>,
    /// The secret store holding --secret (auth.secretStore).
    #[arg(long, value_name = "STORE")]
    pub secret_store: Option<String>,
    /// Write to this new file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace --output if it exists.
    #[arg(long)]
    pub force: bool,
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
    #[arg(add = profile_completion())]
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
    /// Write even past a reference or range error (a missing source profile,
    /// a loop, a bad ARN or duration, a misspelt key); what was bypassed is named.
    #[arg(long)]
    pub force: bool,
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
        /// Write even past a reference or range error in the properties.
        #[arg(long)]
        force: bool,
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
        /// Rename even when other profiles would be left naming the old name.
        #[arg(long, conflicts_with = "update_references")]
        force: bool,
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

// ---------------------------------------------------------------- shell integration

/// `init SHELL [--name NAME]`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: crate::shell::Shell,
    /// The function's name.
    #[arg(long, default_value = crate::shell::init::DEFAULT_NAME)]
    pub name: String,
}

/// What `switch` puts in the shell's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SwitchMode {
    /// AWS_PROFILE and AWS_DEFAULT_PROFILE: the shell's tools read the profile.
    Profile,
    /// The credentials themselves (AWS_ACCESS_KEY_ID ..., AWS_CREDENTIAL_EXPIRATION).
    Env,
}

/// `switch [PROFILE | - | --clear] --shell SHELL`.
#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The profile (fuzzy-matched); `-` for the previous one; none: pick it in the list.
    #[arg(value_name = "PROFILE", add = profile_completion())]
    pub profile: Option<String>,
    /// The shell to write for.
    #[arg(long, value_enum, required_unless_present = "complete")]
    pub shell: Option<crate::shell::Shell>,
    /// Put back every variable rolecall changed in this shell.
    #[arg(long, conflicts_with_all = ["profile", "mode"])]
    pub clear: bool,
    /// profile: AWS_PROFILE; env: exported temporary credentials.
    #[arg(long, value_enum, default_value = "profile")]
    pub mode: SwitchMode,
    /// Credential options (for --mode env).
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Print the profile names, one a line (for the function's completion).
    #[arg(long, exclusive = true)]
    pub complete: bool,
}

/// `prompt [--format FORMAT]`.
#[derive(Debug, Args)]
pub struct PromptArgs {
    /// What to print: {profile} {left} {expires} {region}; an empty field takes one space beside it along.
    #[arg(long, default_value = crate::shell::prompt::DEFAULT_FORMAT)]
    pub format: String,
}

/// The shells `completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// bash.
    Bash,
    /// zsh.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// elvish.
    Elvish,
}

/// `completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// `man [SUBCOMMAND]`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page instead of the main one.
    pub command: Option<String>,
}

/// Completes a profile argument with the names in your files.
fn profile_completion() -> clap_complete::ArgValueCandidates {
    clap_complete::ArgValueCandidates::new(crate::commands::shell::profile_candidates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exec_takes_the_command_after_two_dashes() {
        let cli = Cli::try_parse_from([
            "rolecall",
            "exec",
            "dev",
            "--mode",
            "env",
            "--",
            "aws",
            "--profile",
            "x",
        ])
        .unwrap();
        let Some(Command::Exec(args)) = cli.command else {
            panic!()
        };
        assert_eq!(args.profile.as_deref(), Some("dev"));
        assert_eq!(args.mode, Some(ExecMode::Env));
        assert_eq!(args.command, vec!["aws", "--profile", "x"]);
        let cli =
            Cli::try_parse_from(["rolecall", "exec", "--mode", "server", "--", "daprd"]).unwrap();
        let Some(Command::Exec(args)) = cli.command else {
            panic!()
        };
        assert_eq!(args.mode, Some(ExecMode::Server));
    }
}
