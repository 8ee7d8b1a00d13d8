#!/usr/bin/env bash
# Runs a fuzz campaign: scripts/fuzz.sh MINUTES [TARGET] (TARGET: edit, the
# parser-and-edit checks, by default; or parse, which also renders list and
# inspect JSON). Installs cargo-fuzz from crates.io and a nightly toolchain when
# missing, keeps the corpus in fuzz/corpus/TARGET, and prints the executions,
# the time and any crash (saved in fuzz/artifacts/TARGET/) at the end. Record
# each campaign's figures in docs/FUZZING.md.
set -euo pipefail
minutes=${1:?usage: scripts/fuzz.sh MINUTES [TARGET]}
target=${2:-edit}
cd "$(dirname "$0")/.."
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
mkdir -p "fuzz/corpus/$target" fuzz/logs
log="fuzz/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "fuzzing $target for $minutes minute(s); log in $log" >&2
# No sanitizer: rolecall is safe Rust, and without ASan the target runs several
# times more inputs a second (the checks themselves panic on any wrong result).
# Every input up to 4 KiB: long enough for a few profiles, short enough to stay fast.
# Build first, so a target that does not compile is not reported as a crash.
if ! cargo +nightly fuzz build --sanitizer none "$target" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "the fuzz target '$target' does not build (see $log); nothing was fuzzed" >&2
    exit 2
fi
status=0
cargo +nightly fuzz run --sanitizer none "$target" "fuzz/corpus/$target" fuzz/seeds/parse -- \
    -max_total_time=$((minutes * 60)) -max_len=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
grep -E '^(==[0-9]+== ERROR|thread .* panicked|SUMMARY|artifact_prefix|Test unit written)' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "the campaign stopped with status $status: a crash; see $log and fuzz/artifacts/$target/" >&2
fi
exit "$status"
