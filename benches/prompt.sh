#!/usr/bin/env bash
# `rolecall prompt` end to end (the whole process, as a shell prompt runs it) on
# 10,000 generated profiles (benches/gen_configs.py), with hyperfine:
#   - an SSO profile whose sso-session has a cached token (`p09995-sso 3h12m`),
#   - a two-hop role chain (role -> role -> keys),
#   - temporary keys in the credentials file,
# against `rolecall --version` (the floor: starting the process) and
# `rolecall list` (what parsing every profile costs). The target is a median
# under 5 ms. Results go to target/bench/prompt/ (under $CARGO_TARGET_DIR when
# set): hyperfine's JSON and a summary table.
#
#   bash benches/prompt.sh        # about 30 s on 2 cores, after the build
#
# Needs: cargo, python3, hyperfine (the Debian package is installed with apt-get
# when missing, as root).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/prompt
RUNS=${RUNS:-500}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine

say "building (cargo build --release)"
cargo build --release --quiet
ROLECALL=$TARGET/release/rolecall

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rolecall-prompt-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
python3 benches/gen_configs.py "$TMP/gen" 10000 >/dev/null

# A clean environment: a temporary home with the AWS CLI's SSO token cache.
while IFS= read -r var; do unset "$var"; done < <(env | grep -oE '^(AWS_|ROLECALL_)[A-Za-z0-9_]*')
unset XDG_CACHE_HOME
export HOME=$TMP/home LC_ALL=C.UTF-8
export AWS_CONFIG_FILE=$TMP/gen/10000/config AWS_SHARED_CREDENTIALS_FILE=$TMP/gen/10000/credentials
mkdir -p "$HOME/.aws/sso/cache"
expires=$(date -u -d '+3 hours 12 minutes 30 seconds' +%Y-%m-%dT%H:%M:%SZ)
for s in 0 1 2 3; do
    file=$(printf '%s' "corp-$s" | sha1sum | cut -d' ' -f1).json
    printf '{"startUrl": "https://corp-%s.awsapps.com/start", "region": "us-east-1", "accessToken": "x", "expiresAt": "%s"}' \
        "$s" "$expires" >"$HOME/.aws/sso/cache/$file"
done
ls -l "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE" >&2

say "what the prompt shows"
for p in p09995-sso p09993-chain p09991-temp; do
    printf '%-14s -> %s\n' "$p" "$(AWS_PROFILE=$p "$ROLECALL" prompt)" | tee -a "$OUT/shown.txt" >&2
done

say "hyperfine: $RUNS runs each"
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$OUT/version.json" \
    -n "rolecall --version" "$ROLECALL --version"
for p in p09995-sso p09993-chain p09991-temp; do
    AWS_PROFILE=$p hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$OUT/$p.json" \
        -n "AWS_PROFILE=$p rolecall prompt" "$ROLECALL prompt"
done
hyperfine -N --warmup 3 --runs 20 --export-json "$OUT/list.json" \
    -n "rolecall list (parses all)" "$ROLECALL list"

python3 - "$OUT/version.json" "$OUT"/p0999*.json "$OUT/list.json" <<'PY' | tee "$OUT/summary.txt"
import json, sys
rows = []
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        rows.append((r["command"], r["median"] * 1000, r["mean"] * 1000, r["stddev"] * 1000, max(r["times"]) * 1000))
print("| command | median | mean ± σ | max |")
print("| --- | ---: | ---: | ---: |")
for name, med, mean, sd, mx in rows:
    print(f"| {name} | {med:.2f} ms | {mean:.2f} ± {sd:.2f} ms | {mx:.1f} ms |")
PY
