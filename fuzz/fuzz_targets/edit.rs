//! `cargo +nightly fuzz run edit`: the parser-and-edit checks of `parse`
//! (round trip, line edits, profile edits leaving other profiles alone) without
//! the JSON views, for long campaigns (`scripts/fuzz.sh MINUTES`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rolecall_fuzz::check_edit(data));
