#!/usr/bin/env bash
# The terminal UI's start on 10,000 profiles, as a whole process in a
# pseudo-terminal: time from spawn to the first frame (20 runs: median and p95)
# and peak memory (maximum RSS from /usr/bin/time -v while it draws and quits).
# Targets (docs/PERFORMANCE.md): first frame within 100 ms, peak RSS under 50 MB.
#
# It builds the release binary, writes the profiles with the generator of
# benches/tui.rs (`cargo bench --bench tui -- --write-profiles DIR`), and runs
# rolecall through benches/tui_start.py in a 120×40 pty with a throwaway HOME and
# XDG directories. Installs Debian's `time` package when /usr/bin/time is
# missing and it runs as root.
#
# Usage: bash benches/tui_start.sh [RUNS]      (default 20)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-20}

die() {
    printf 'benches/tui_start.sh: %s\n' "$*" >&2
    exit 1
}

if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q time
    else
        die "/usr/bin/time is missing: install Debian's time package (sudo apt-get install time)"
    fi
fi
command -v python3 >/dev/null || die "python3 is missing"

cargo build --release --quiet
bin=$PWD/target/release/rolecall

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache" "$work/aws"
cargo bench --quiet --bench tui -- --write-profiles "$work/aws"
printf 'config: %s bytes, credentials: %s bytes\n' \
    "$(wc -c <"$work/aws/config")" "$(wc -c <"$work/aws/credentials")"

# A clean environment: nothing of the caller's AWS setup or rolecall settings.
run() {
    env -i PATH=/usr/bin:/bin TERM=xterm-256color LC_ALL=C.UTF-8 \
        HOME="$work/home" \
        XDG_CONFIG_HOME="$work/xdg/config" XDG_STATE_HOME="$work/xdg/state" \
        XDG_CACHE_HOME="$work/xdg/cache" \
        AWS_CONFIG_FILE="$work/aws/config" AWS_SHARED_CREDENTIALS_FILE="$work/aws/credentials" \
        "$@"
}

echo
echo "== spawn to first frame ($runs runs, 120x40 pty)"
run python3 benches/tui_start.py --runs "$runs" -- "$bin"

echo
echo "== peak memory (/usr/bin/time -v: draw the first frame, then q)"
peak=0
for i in 1 2 3; do
    run python3 benches/tui_start.py --runs 1 --time-v "$work/time.txt" -- "$bin" >/dev/null
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    echo "run $i: maximum resident set size $kb kB"
    if ((kb > peak)); then peak=$kb; fi
done
awk -v kb="$peak" 'BEGIN { printf "peak RSS: %d kB (%.1f MiB)\n", kb, kb / 1024 }'
