#!/usr/bin/env bash
# End-to-end comparison: `rolecall list --json` against `aws configure list-profiles`
# (AWS CLI v2, Debian's awscli) and botocore's `Session().available_profiles`, on
# generated files of 100, 1,000 and 10,000 profiles; peak memory of rolecall at
# 10,000; how the cost grows with file size. Results go to target/bench/
# (under $CARGO_TARGET_DIR when that is set).
#
#   bash benches/compare.sh            # everything (a few minutes on 2 cores)
#   SIZES="100 1000" bash benches/compare.sh
#
# Needs: cargo, python3, hyperfine, GNU time, /usr/bin/aws; the Debian packages
# hyperfine, time and awscli are installed with apt-get when missing (as root).
# The python for botocore is $ROLECALL_TEST_PYTHON, else target/venv/bin/python,
# else python3 if it can import botocore; without one that column is skipped.
# The in-process figures (criterion) are separate: cargo bench --bench parse.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench
CONFIGS=$OUT/configs
SIZES=${SIZES:-"100 1000 10000"}
AWS=/usr/bin/aws # not whatever `aws` is first on PATH (e.g. a pyenv shim for v1)
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
need_deb /usr/bin/time time
need_deb "$AWS" awscli

pick_python() {
    local candidates=()
    [ -n "${ROLECALL_TEST_PYTHON:-}" ] && candidates+=("$ROLECALL_TEST_PYTHON")
    [ -x "$ROOT/target/venv/bin/python" ] && candidates+=("$ROOT/target/venv/bin/python")
    candidates+=(python3)
    for py in "${candidates[@]}"; do
        if "$py" -c 'import botocore.session' >/dev/null 2>&1; then
            command -v "$py" || echo "$py"
            return 0
        fi
    done
    return 1
}
PY=$(pick_python) || PY=""

say "building (cargo build --release)"
cargo build --release --quiet
ROLECALL=$TARGET/release/rolecall

say "generating configs"
rm -rf "$CONFIGS"
# shellcheck disable=SC2086 # SIZES is a list of numbers
python3 benches/gen_configs.py "$CONFIGS" $SIZES

# The in-process benchmarks carry a Rust port of the generator: check it still
# writes the same bytes, so criterion and hyperfine measure the same files.
if [ "$SIZES" = "100 1000 10000" ]; then
    say "checking the generator in benches/parse.rs against gen_configs.py"
    rm -rf "$OUT/configs-rust"
    ROLECALL_BENCH_DUMP=$OUT/configs-rust cargo bench --quiet --bench parse >/dev/null
    diff -r "$CONFIGS" "$OUT/configs-rust" >/dev/null ||
        { echo "benches/parse.rs and benches/gen_configs.py write different files" >&2; exit 1; }
    rm -rf "$OUT/configs-rust"
fi

{
    echo "# machine"
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rolecall: $("$ROLECALL" --version)"
    echo "aws: $("$AWS" --version 2>&1)"
    if [ -n "$PY" ]; then
        echo "botocore: $("$PY" -c 'import botocore, sys; print(botocore.__version__, "on Python", sys.version.split()[0])') ($PY)"
    else
        echo "botocore: not found (set ROLECALL_TEST_PYTHON to a python with botocore)"
    fi
    echo "hyperfine: $(hyperfine --version)"
} | tee "$OUT/machine.txt"

BOTO_SNIPPET='import botocore.session; botocore.session.Session().available_profiles'
for n in $SIZES; do
    export AWS_CONFIG_FILE=$CONFIGS/$n/config
    export AWS_SHARED_CREDENTIALS_FILE=$CONFIGS/$n/credentials
    export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off
    # The three must agree on the profile count before their times mean anything.
    got_rc=$("$ROLECALL" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["profiles"]))')
    got_aws=$("$AWS" configure list-profiles | wc -l)
    [ "$got_rc" = "$n" ] && [ "$got_aws" = "$n" ] ||
        { echo "profile counts differ at $n: rolecall $got_rc, aws $got_aws" >&2; exit 1; }
    cmds=(-n rolecall "$ROLECALL list --json"
          -n "aws configure list-profiles" "$AWS configure list-profiles")
    if [ -n "$PY" ]; then
        got_py=$("$PY" -c 'import botocore.session; print(len(botocore.session.Session().available_profiles))')
        [ "$got_py" = "$n" ] || { echo "botocore sees $got_py profiles at $n" >&2; exit 1; }
        cmds+=(-n "botocore available_profiles" "$PY -c '$BOTO_SNIPPET'")
    fi
    say "hyperfine: $n profiles"
    hyperfine -N --warmup 2 --min-runs 10 --style basic \
        --export-markdown "$OUT/hyperfine-$n.md" --export-json "$OUT/hyperfine-$n.json" \
        "${cmds[@]}"
done

# botocore without interpreter start and imports: parse + list only, in-process,
# comparable with criterion's parse_view figures.
if [ -n "$PY" ]; then
    say "botocore in-process (fresh Session each time: parses both files)"
    # shellcheck disable=SC2086
    "$PY" - "$CONFIGS" $SIZES <<'EOF' | tee "$OUT/botocore-inprocess.txt"
import os, sys, time
import botocore.session
root, sizes = sys.argv[1], sys.argv[2:]
for n in sizes:
    os.environ["AWS_CONFIG_FILE"] = os.path.join(root, n, "config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(root, n, "credentials")
    best = []
    for _ in range(7):
        t = time.perf_counter()
        profiles = botocore.session.Session().available_profiles
        best.append(time.perf_counter() - t)
    assert len(profiles) == int(n), len(profiles)
    best.sort()
    print("%6s profiles: median %.2f ms, min %.2f ms" % (n, best[3] * 1e3, best[0] * 1e3))
EOF
fi

say "peak memory (GNU time -v, rolecall list --json)"
: >"$OUT/memory.txt"
for n in $SIZES; do
    AWS_CONFIG_FILE=$CONFIGS/$n/config AWS_SHARED_CREDENTIALS_FILE=$CONFIGS/$n/credentials \
        /usr/bin/time -v "$ROLECALL" list --json 2>"$OUT/time-v-$n.txt" >/dev/null
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time-v-$n.txt")
    bytes=$(cat "$CONFIGS/$n/config" "$CONFIGS/$n/credentials" | wc -c)
    awk -v n="$n" -v b="$bytes" -v kb="$kb" 'BEGIN {
        printf "%6s profiles (%8s bytes of input): max RSS %s KiB (%.1f MiB)\n", n, b, kb, kb / 1024 }' |
        tee -a "$OUT/memory.txt"
done

say "summary"
# shellcheck disable=SC2086
python3 - "$OUT" "$CONFIGS" $SIZES <<'EOF' | tee "$OUT/summary.md"
import json, os, sys
out, configs, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
rows, means = [], {}
for n in sizes:
    size = sum(os.path.getsize(os.path.join(configs, n, f)) for f in ("config", "credentials"))
    results = json.load(open(os.path.join(out, "hyperfine-%s.json" % n)))["results"]
    m = {r["command"]: r for r in results}
    means[n] = (size, m)
    rc = m["rolecall"]["mean"]
    cells = ["%s" % n, "%.0f KiB" % (size / 1024)]
    for name in ("rolecall", "aws configure list-profiles", "botocore available_profiles"):
        if name in m:
            r = m[name]
            cells.append("%.1f ± %.1f ms" % (r["mean"] * 1e3, r["stddev"] * 1e3))
            if name != "rolecall":
                cells.append("%.0f×" % (r["mean"] / rc))
        else:
            cells += ["-", "-"] if name != "rolecall" else ["-"]
    rows.append(cells)
print("| profiles | input | rolecall list --json | aws configure list-profiles | speedup | botocore available_profiles | speedup |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for cells in rows:
    print("| " + " | ".join(cells) + " |")
print()
print("Growth (mean time; the first size includes fixed process start-up):")
prev = None
for n in sizes:
    size, m = means[n]
    line = "  %6s profiles: rolecall %.2f ms" % (n, m["rolecall"]["mean"] * 1e3)
    if prev:
        psize, pm = prev
        line += " (x%.1f input, x%.1f time)" % (size / psize, m["rolecall"]["mean"] / pm["rolecall"]["mean"])
    print(line)
    prev = (size, m)
EOF
echo >&2
echo "results in $OUT (hyperfine-*.md/json, memory.txt, summary.md, machine.txt)" >&2
