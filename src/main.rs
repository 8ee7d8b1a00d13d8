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
    commands::exit_after_run();
    // glibc grows its heap 16 MiB at a time instead of 128 KiB: fewer `brk`
    // calls and page faults when reading large files (memory is only used once
    // touched). Measured in docs/PERFORMANCE.md.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of glibc's allocator.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
    // Only for `list`, which reads every profile once and exits: a long-running
    // TUI or endpoint keeps glibc's own thresholds, and gives memory back.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if matches!(cli.command, Some(rolecall::cli::Command::List(_))) {
        huge_heap();
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

/// Backs glibc's main heap with transparent huge pages where the kernel allows
/// them on request (`madvise` mode): one page fault per 2 MiB instead of one
/// per 4 KiB. Reading 10,000 profiles touches about 24 MiB, which cost about
/// 5,000 page faults, a third of `list --json`'s time. Memory is still only
/// used once touched.
///
/// glibc offers this only through the `GLIBC_TUNABLES` environment variable,
/// read before `main`. So the heap is grown here to `HEAP` bytes in one `brk`
/// (a block allocated from the heap rather than mapped on its own, freed at
/// once and kept by a high trim threshold), and that one mapping is marked
/// with `MADV_HUGEPAGE`. Peak RSS grows by up to a huge page or so: measured
/// in docs/PERFORMANCE.md ("Fourth round").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn huge_heap() {
    const HEAP: usize = 48 << 20;
    const HUGE: usize = 2 << 20;
    // SAFETY: mallopt sets glibc's tunables; the block is freed at once and
    // never read or written; madvise only advises on whole pages of the heap
    // mapping this process owns.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, (HEAP + HUGE) as libc::c_int);
        libc::mallopt(libc::M_TRIM_THRESHOLD, (2 * HEAP) as libc::c_int);
        let block = libc::malloc(HEAP);
        if block.is_null() {
            return;
        }
        let start = (block as usize).next_multiple_of(HUGE);
        let end = libc::sbrk(0) as usize;
        libc::free(block);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        if end > start {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}
