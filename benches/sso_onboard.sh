#!/usr/bin/env bash
# Onboarding a large SSO portal, end to end (login included), against the
# project's SSO server (tests/sso_server.py) on 127.0.0.1:
#   `rolecall sso setup --yes` against `aws-sso-util configure populate`
#   (aws-sso-util 4.33 from PyPI, reached through AWS_ENDPOINT_URL_SSO(_OIDC),
#   its browser approving the code through $BROWSER), both starting from an
#   empty home, both logging in and writing a profile per account and role.
# The server holds $ACCOUNTS accounts with $ROLES roles each, answers every call
# after $LATENCY_MS ms, and throttles every $THROTTLE_EVERY-th list call
# (TooManyRequestsException), so both tools must back off and retry.
#
#   bash benches/sso_onboard.sh     # about 2 minutes on 2 cores
#
# Two runs: the full portal ($ACCOUNTS, default 2,000) with rolecall alone
# (aws-sso-util needs most of an hour there: it rewrites the config file once
# per profile), then both tools on $COMPARE_ACCOUNTS accounts (default 200).
# Results: target/bench/sso/ (hyperfine JSON and Markdown).
# Needs: cargo, hyperfine (Debian package, installed when missing as root), a
# Python 3 (target/venv/bin/python, else python3) for the server, and pip for
# a venv holding aws-sso-util (made at target/bench/sso/venv).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/sso
ACCOUNTS=${ACCOUNTS:-2000}
ROLES=${ROLES:-3}
LATENCY_MS=${LATENCY_MS:-20}
THROTTLE_EVERY=${THROTTLE_EVERY:-50}
RUNS=${RUNS:-3}
COMPARE_ACCOUNTS=${COMPARE_ACCOUNTS:-200}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
PYTHON=${ROLECALL_TEST_PYTHON:-$ROOT/target/venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

VENV=$OUT/venv
if [ ! -x "$VENV/bin/aws-sso-util" ]; then
    say "installing aws-sso-util 4.33.0 into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check aws-sso-util==4.33.0
fi

say "building rolecall (release)"
cargo build --release --quiet
ROLECALL=$TARGET/release/rolecall

# The "user": opens the page it is given, which approves the code.
BROWSER_SCRIPT=$OUT/approve.sh
printf '#!/bin/sh\nexec %s -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()" "$1"\n' "$PYTHON" >"$BROWSER_SCRIPT"
chmod +x "$BROWSER_SCRIPT"
export ROLECALL_BROWSER=$BROWSER_SCRIPT BROWSER=$BROWSER_SCRIPT
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
HOMES=$OUT/homes
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT

# bench NAME ACCOUNTS WHICH: one server, hyperfine over the tools in WHICH.
bench() {
    local name=$1 accounts=$2 which=$3
    say "$name: $accounts accounts x $ROLES roles, ${LATENCY_MS} ms per call, every ${THROTTLE_EVERY}th list call throttled"
    rm -f "$OUT/port"
    "$PYTHON" tests/sso_server.py --accounts "$accounts" --roles "$ROLES" --latency-ms "$LATENCY_MS" \
        --throttle-every "$THROTTLE_EVERY" >"$OUT/port" &
    SERVER=$!
    for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.1; done
    local url=http://127.0.0.1:$(cat "$OUT/port")
    export AWS_ENDPOINT_URL_SSO=$url AWS_ENDPOINT_URL_SSO_OIDC=$url
    local rc="env HOME=$HOMES/rolecall XDG_CACHE_HOME=$HOMES/rolecall/.cache $ROLECALL sso setup --session corp --start-url https://corp.awsapps.com/start --sso-region eu-west-1 --yes"
    local util="env HOME=$HOMES/util $VENV/bin/aws-sso-util configure populate --sso-start-url https://corp.awsapps.com/start --sso-region eu-west-1 --region eu-west-1"
    # Each tool starts every run from an empty home of its own (one --prepare
    # per command), so both homes hold their last run's files at the end.
    local cmds=(--prepare "rm -rf $HOMES/rolecall && mkdir -p $HOMES/rolecall"
        --command-name "rolecall sso setup" "$rc >/dev/null 2>&1")
    if [ "$which" = both ]; then
        cmds+=(--prepare "rm -rf $HOMES/util && mkdir -p $HOMES/util"
            --command-name "aws-sso-util configure populate" "$util >/dev/null 2>&1")
    fi
    hyperfine --runs "$RUNS" --style basic \
        "${cmds[@]}" --export-json "$OUT/$name.json" --export-markdown "$OUT/$name.md"
    # What each wrote, from the last run.
    local count
    count() { grep -c '^\[profile ' "$1" 2>/dev/null || echo 0; }
    echo "profiles written: rolecall $(count "$HOMES/rolecall/.aws/config")$([ "$which" = both ] && echo ", aws-sso-util $(count "$HOMES/util/.aws/config")") (want $((accounts * ROLES)))"
    "$PYTHON" -c "import urllib.request; print('server calls:', urllib.request.urlopen('$url/_stats').read().decode())"
    kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
    SERVER=
}

# The target: the full portal, rolecall alone.
bench onboard-$ACCOUNTS "$ACCOUNTS" rolecall
# The comparison, same server settings, a portal aws-sso-util finishes in
# reasonable time (its cost grows with the square of the profiles it writes).
bench compare-$COMPARE_ACCOUNTS "$COMPARE_ACCOUNTS" both
cat "$OUT/onboard-$ACCOUNTS.md" "$OUT/compare-$COMPARE_ACCOUNTS.md"
