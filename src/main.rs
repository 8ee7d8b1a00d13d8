//! The `rolecall` binary: parse arguments, run, print errors with their causes.

use std::process::ExitCode;

use clap::Parser;
use rolecall::cli::Cli;
use rolecall::commands::{self, UsageError};

fn main() -> ExitCode {
    // Dynamic completion: answers and exits when the shell's completion asks.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(commands::shell::COMPLETE_VAR)
        .complete();
    let cli = Cli::parse();
    commands::exit_after_run();
    // glibc grows its heap 16 MiB at a time instead of 128 KiB: fewer `brk`
    // calls and page faults when reading large files (memory is only used once
    // touched). Measured in docs/PERFORMANCE.md.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of glibc's allocator.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
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
