#!/usr/bin/env bash
# Writes beside other writers, and very large files:
# - `rolecall set` on a 10,000-profile file, with every check before the rename
#   (stamps, bytes, the settled read), each run a real write (target: < 50 ms);
# - `list`, `inspect --json` and the TUI's first frame at 1,000,000 sections
#   (17.9 MB) and `list` at 10,000 and 100,000 profiles: time and peak memory.
# Results go to target/bench/files/.
#
#   bash benches/files.sh
#   SKIP_MILLION=1 bash benches/files.sh     # without the 1,000,000-section file
#
# Needs: cargo, python3, hyperfine and GNU time (Debian packages, installed with
# apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/files
mkdir -p "$OUT"
. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
need_deb /usr/bin/time time
if [ -z "${ROLECALL:-}" ]; then
    say "building (cargo build --release)"
    cargo build --release --quiet
    ROLECALL=$TARGET/release/rolecall
fi
export HOME=$OUT/home
mkdir -p "$HOME"

say "generating 10,000 and 100,000 profiles"
python3 benches/gen_configs.py "$OUT/configs" 10000 100000 >/dev/null

run_in() { # run_in DIR ARGS...: rolecall on DIR's files
    local dir=$1
    shift
    AWS_CONFIG_FILE=$dir/config AWS_SHARED_CREDENTIALS_FILE=$dir/credentials "$ROLECALL" "$@"
}
export -f run_in
export ROLECALL

say "set on 10,000 profiles (each run writes: the prepare step sets the other value)"
D=$OUT/configs/10000
hyperfine -N --warmup 3 --runs 30 --export-json "$OUT/set-10000.json" \
    --prepare "env AWS_CONFIG_FILE=$D/config AWS_SHARED_CREDENTIALS_FILE=$D/credentials $ROLECALL set default region eu-west-1" \
    "env AWS_CONFIG_FILE=$D/config AWS_SHARED_CREDENTIALS_FILE=$D/credentials $ROLECALL set default region us-west-2"

say "list at 10,000 and 100,000 profiles"
hyperfine -N --warmup 2 --runs 10 --export-json "$OUT/list-linear.json" \
    "env AWS_CONFIG_FILE=$OUT/configs/10000/config AWS_SHARED_CREDENTIALS_FILE=$OUT/configs/10000/credentials $ROLECALL list" \
    "env AWS_CONFIG_FILE=$OUT/configs/100000/config AWS_SHARED_CREDENTIALS_FILE=$OUT/configs/100000/credentials $ROLECALL list"

peak() { # peak LABEL ARGS...: wall time and peak RSS of one run
    local label=$1
    shift
    /usr/bin/time -f "$label: %e s, %M KB peak" "$@" >/dev/null 2>>"$OUT/peaks.txt" </dev/null || true
}
: >"$OUT/peaks.txt"
if [ -z "${SKIP_MILLION:-}" ]; then
    say "generating 1,000,000 sections"
    M=$OUT/million
    mkdir -p "$M"
    python3 - "$M/config" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000000):
        f.write("[profile p%07d]\n" % i if i % 2 else "[profile q%06d]\nregion=x\n" % i)
PY
    : >"$M/credentials"
    ls -l "$M/config" >>"$OUT/peaks.txt"
    export AWS_CONFIG_FILE=$M/config AWS_SHARED_CREDENTIALS_FILE=$M/credentials
    peak "list, 1M sections" "$ROLECALL" list
    peak "list --json, 1M sections" "$ROLECALL" list --json
    peak "inspect --json, 1M sections" "$ROLECALL" inspect --json
    say "the TUI's first frame at 1,000,000 sections (120x40 pseudo-terminal)"
    python3 benches/tui_start.py --profiles 1000000 --runs 3 --time-v "$OUT/tui-time-v.txt" -- "$ROLECALL" \
        | tail -1 >>"$OUT/peaks.txt"
    grep "Maximum resident" "$OUT/tui-time-v.txt" | sed 's/^\s*/TUI, 1M sections: /' >>"$OUT/peaks.txt"
    unset AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
fi
for n in 10000 100000; do
    export AWS_CONFIG_FILE=$OUT/configs/$n/config AWS_SHARED_CREDENTIALS_FILE=$OUT/configs/$n/credentials
    peak "list, $n profiles" "$ROLECALL" list
    peak "inspect --json, $n profiles" "$ROLECALL" inspect --json
done
cat "$OUT/peaks.txt"
