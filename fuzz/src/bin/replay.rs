//! Runs the fuzz target's checks over files, on stable Rust (no libFuzzer):
//!
//!     cargo run --release --bin replay -- seeds/parse corpus/parse artifacts/parse/crash-...
//!
//! Each argument is a file or a directory (read one level deep). Stops at the
//! first input that breaks a check, naming it (exit status 1).

use std::path::{Path, PathBuf};

fn inputs(arg: &Path) -> Vec<PathBuf> {
    if arg.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(arg)
            .unwrap_or_else(|e| panic!("{}: {e}", arg.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    } else {
        vec![arg.to_path_buf()]
    }
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: replay FILE_OR_DIR...");
        std::process::exit(2);
    }
    let mut count = 0;
    for path in args.iter().flat_map(|a| inputs(a)) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| rolecall_fuzz::check(&data)).is_err() {
            eprintln!(
                "replay: the input {} breaks a check (see the panic above)",
                path.display()
            );
            std::process::exit(1);
        }
        count += 1;
    }
    println!("{count} passed, 0 failed");
}
