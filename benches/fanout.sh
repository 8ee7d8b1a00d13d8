#!/usr/bin/env bash
# `rolecall exec --each` against the project's SSO server (tests/sso_server.py)
# with a portal latency of 20 ms per call: PROFILES SSO profiles of one
# sso-session, `-- true`, `-j 16`, from a cached SSO token (the role
# credentials are fetched anew each run: rolecall's credential cache is
# emptied before every run). Compared in the same run with the shell loop a
# user writes today, one process per profile: botocore (the AWS CLI's engine,
# from the test venv) loading each profile's credentials from the same token,
# over LOOP_PROFILES of them. (`aws configure export-credentials` cannot be
# used here: Debian's AWS CLI v2 2.9 ignores AWS_ENDPOINT_URL_SSO, so it
# cannot reach the local server, and AWS CLI v1 has no export-credentials.)
# Results go to target/bench/fanout/ (under $CARGO_TARGET_DIR when set).
#
#   bash benches/fanout.sh                  # 200 profiles, the loop over 200
#   LOOP_PROFILES=40 bash benches/fanout.sh # a shorter loop
#
# Needs: cargo, hyperfine (Debian package, installed with apt-get when missing,
# as root), and the test venv's Python (botocore) for the server and the loop.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/fanout
PROFILES=${PROFILES:-200}
LOOP_PROFILES=${LOOP_PROFILES:-$PROFILES}
LATENCY_MS=${LATENCY_MS:-20}
RUNS=${RUNS:-10}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
PYTHON=${ROLECALL_TEST_PYTHON:-$ROOT/target/venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

say "building rolecall (release)"
cargo build --release --quiet
ROLECALL=$TARGET/release/rolecall

export HOME=$OUT/home XDG_CACHE_HOME=$OUT/home/.cache
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE XDG_RUNTIME_DIR
rm -rf "$HOME" && mkdir -p "$HOME/.aws"
{
    printf '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n'
    for i in $(seq 0 $((PROFILES - 1))); do
        printf '\n[profile p%d]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = Admin\nregion = eu-west-1\n' "$i" $((100000000000 + i))
    done
} >"$HOME/.aws/config"

SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
rm -f "$OUT/port"
"$PYTHON" tests/sso_server.py --accounts "$PROFILES" --latency-ms "$LATENCY_MS" \
    --auto-approve-after 0 >"$OUT/port" &
SERVER=$!
for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$OUT/port")
# The "browser" opens the authorize page, which redirects to rolecall's
# loopback listener with the code (the PKCE login), as tests/common/sso.rs does.
printf '#!/bin/sh\nexec %s -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()" "$1"\n' "$PYTHON" >"$OUT/browser.sh"
chmod +x "$OUT/browser.sh"
export AWS_ENDPOINT_URL_SSO=$URL AWS_ENDPOINT_URL_SSO_OIDC=$URL ROLECALL_BROWSER=$OUT/browser.sh BROWSER=true
unset SSH_CONNECTION SSH_TTY

say "one login (the cached token every run starts from)"
"$ROLECALL" login --sso-session corp >"$OUT/login.log" 2>&1 || {
    cat "$OUT/login.log" >&2
    exit 1
}

LOOP_LIST=$(seq -s ' ' -f 'p%g' 0 $((LOOP_PROFILES - 1)))
say "$PROFILES profiles, ${LATENCY_MS} ms per portal call, -j 16; the loop over $LOOP_PROFILES"
hyperfine --style basic --warmup 1 --runs "$RUNS" \
    --prepare "rm -rf $XDG_CACHE_HOME/rolecall/credentials" \
    --command-name "rolecall exec --each 'p*' -j 16 -- true ($PROFILES profiles)" \
    "$ROLECALL exec --each 'p*' -j 16 --quiet -- true 2>/dev/null" \
    --export-json "$OUT/fanout.json" --export-markdown "$OUT/fanout.md"
# The children alone: the same number of `true` processes, 16 at a time, as
# xargs starts them; subtracted from rolecall's CPU to give its own share.
hyperfine --style basic --warmup 1 --runs "$RUNS" \
    --command-name "$PROFILES x true, 16 at a time (xargs -P 16)" \
    "seq $PROFILES | xargs -P 16 -n 1 true" \
    --export-json "$OUT/children.json"
hyperfine --style basic --runs 1 \
    --prepare "rm -rf $HOME/.aws/cli/cache $HOME/.aws/boto/cache" \
    --command-name "for p in ($LOOP_PROFILES profiles); do botocore credentials of \$p; done" \
    "for p in $LOOP_LIST; do $PYTHON -c \"import sys, botocore.session; botocore.session.Session(profile=sys.argv[1]).get_credentials().get_frozen_credentials()\" \$p; done" \
    --export-json "$OUT/loop.json" --export-markdown "$OUT/loop.md"

"$PYTHON" - "$OUT" "$PROFILES" "$LOOP_PROFILES" <<'PY'
import json, sys
out, n, loop_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
f = json.load(open(f"{out}/fanout.json"))["results"][0]
c = json.load(open(f"{out}/children.json"))["results"][0]
l = json.load(open(f"{out}/loop.json"))["results"][0]
cpu = (f["user"] + f["system"]) / n * 1000
children = (c["user"] + c["system"]) / n * 1000
print(f"rolecall: {f['mean']:.3f} s mean (min {f['min']:.3f}, max {f['max']:.3f}) for {n} profiles;"
      f" CPU {cpu:.2f} ms per profile (user+system, the `true` children included)")
print(f"the children alone: {children:.2f} ms of CPU per `true`; rolecall's own CPU about"
      f" {cpu - children:.2f} ms per profile")
print(f"shell loop: {l['mean']:.1f} s for {loop_n} profiles, {l['mean'] / loop_n * 1000:.0f} ms per profile;"
      f" {l['mean'] / loop_n * n:.0f} s for {n} at that rate")
PY
"$PYTHON" -c "import urllib.request; print('server calls:', urllib.request.urlopen('$URL/_stats').read().decode())"
