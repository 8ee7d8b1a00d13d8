//! The `rolecall` binary: parse arguments, run, print errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rolecall::cli::Cli;
use rolecall::commands::{self, UsageError};
use rolecall::credential::source::RESOLVING_VAR;
use rolecall::env::Env;

fn main() -> ExitCode {
    // Dynamic completion: answers and exits when the shell's completion asks.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(commands::shell::COMPLETE_VAR)
        .complete();
    let cli = Cli::parse();
    // The environment, read once: everything below gets this snapshot.
    let env = Env::real();
    let resolving = match commands::resolves(&cli, &env)
        .map(|profile| rolecall::credential::source::resolving(&env, &profile))
        .transpose()
    {
        Ok(value) => value,
        Err(err) => {
            eprintln!("rolecall: error: {err:#}");
            return ExitCode::from(1);
        }
    };
    // SAFETY: no other thread exists yet (nothing has been started but
    // argument parsing), so nothing can read the environment concurrently.
    // The changes are for child processes alone: the credential_process
    // children aws-config starts inherit the profile being resolved, and none
    // sees the shell's record of what rolecall changed (it may hold the keys it
    // replaced). The snapshot above is what rolecall itself reads.
    unsafe {
        std::env::remove_var(rolecall::shell::STATE_ENV);
        if let Some(value) = &resolving {
            std::env::set_var(RESOLVING_VAR, value);
        }
    }
    let mut out = std::io::stdout().lock();
    match commands::run(cli, &env, &mut out) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("rolecall: error: {err:#}");
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
