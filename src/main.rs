//! The `rolecall` binary: parse arguments, run, print errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rolecall::cli::Cli;
use rolecall::commands::{self, UsageError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::exit_after_run();
    let mut out = std::io::stdout().lock();
    match commands::run(cli, &mut out) {
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
