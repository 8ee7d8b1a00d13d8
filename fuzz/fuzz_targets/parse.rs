//! `cargo +nightly fuzz run parse`: arbitrary bytes through the parser, the
//! normalised view, `rolecall list --json` and a few edits. See ../README.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rolecall_fuzz::check(data));
