//! Command-line definitions of the SSO commands: `login`, `logout`, `sso ...`.

use clap::{Args, Subcommand};

/// `login [PROFILE | --sso-session NAME]`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// A profile that uses SSO (default: $AWS_PROFILE, else default, else the only sso-session).
    #[arg(value_name = "PROFILE", conflicts_with = "sso_session")]
    pub profile: Option<String>,
    /// Log in to this sso-session.
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
    /// Print the page and code instead of opening a browser (SSH, containers).
    #[arg(long)]
    pub no_browser: bool,
    /// Log in again even when a valid token is cached.
    #[arg(long)]
    pub force: bool,
    /// Use the device code (a code to confirm on any device) instead of the
    /// browser redirect to this machine (PKCE).
    #[arg(long)]
    pub use_device_code: bool,
    /// Sign in with AWS console credentials, as `aws login` does, and write
    /// `login_session` to PROFILE (default: $AWS_PROFILE, else default).
    #[arg(long, conflicts_with_all = ["sso_session", "use_device_code"])]
    pub console: bool,
    /// The region to sign in to for console credentials (default: the
    /// profile's, else $AWS_REGION); written to a profile that has none.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// `logout [SESSION] [--all]`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The sso-session to sign out of (default: the one $AWS_PROFILE or default uses).
    #[arg(value_name = "SESSION", conflicts_with = "all")]
    pub session: Option<String>,
    /// Sign out of every session, as `aws sso logout` does.
    #[arg(long)]
    pub all: bool,
}

/// `sso ...`.
#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Guided setup: create an sso-session, log in, and write a profile for
    /// every account and role you pick.
    Setup(SetupArgs),
    /// List the sso-sessions with the time left on their tokens.
    Sessions {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `sso setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The sso-session's name (asked when missing; an existing one is reused).
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,
    /// The AWS access portal URL, e.g. https://my-org.awsapps.com/start.
    #[arg(long, value_name = "URL")]
    pub start_url: Option<String>,
    /// The region of IAM Identity Center.
    #[arg(long, value_name = "REGION")]
    pub sso_region: Option<String>,
    /// How profiles are named: {account_name}, {account_id}, {role_name}, {session}.
    #[arg(
        long,
        value_name = "TEMPLATE",
        default_value = "{account_name}.{role_name}"
    )]
    pub template: String,
    /// The profiles' region (default: the SSO region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// The profiles' output format.
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<String>,
    /// Only accounts and roles matching every word of this: digits match the
    /// account id by prefix, other words a whole word of the account name, part
    /// of the role name, or a part of the profile name (as the TUI's filter).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Keep profiles this session generated earlier that the portal no longer lists.
    #[arg(long)]
    pub no_prune: bool,
    /// Show the changes without writing them.
    #[arg(long)]
    pub dry_run: bool,
    /// Write without asking.
    #[arg(long, short)]
    pub yes: bool,
    /// Print the page and code instead of opening a browser.
    #[arg(long)]
    pub no_browser: bool,
}
