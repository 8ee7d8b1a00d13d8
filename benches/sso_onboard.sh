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
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "hyperfine is missing: install the Debian package hyperfine" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
fi
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

say "starting the SSO server: $ACCOUNTS accounts x $ROLES roles, ${LATENCY_MS} ms per call, every ${THROTTLE_EVERY}th list call throttled"
"$PYTHON" tests/sso_server.py --accounts "$ACCOUNTS" --roles "$ROLES" --latency-ms "$LATENCY_MS" \
    --throttle-every "$THROTTLE_EVERY" >"$OUT/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$OUT/port")

# The "user": opens the page it is given, which approves the code.
BROWSER_SCRIPT=$OUT/approve.sh
printf '#!/bin/sh\nexec %s -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()" "$1"\n' "$PYTHON" >"$BROWSER_SCRIPT"
chmod +x "$BROWSER_SCRIPT"

HOMES=$OUT/homes
export AWS_ENDPOINT_URL_SSO=$URL AWS_ENDPOINT_URL_SSO_OIDC=$URL
export ROLECALL_BROWSER=$BROWSER_SCRIPT BROWSER=$BROWSER_SCRIPT
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE

ROLECALL_CMD="env HOME=$HOMES/rolecall XDG_CACHE_HOME=$HOMES/rolecall/.cache $ROLECALL sso setup --session corp --start-url https://corp.awsapps.com/start --sso-region eu-west-1 --yes"
UTIL_CMD="env HOME=$HOMES/util $VENV/bin/aws-sso-util configure populate --sso-start-url https://corp.awsapps.com/start --sso-region eu-west-1 --region eu-west-1"

say "timing both ($RUNS runs each, each from an empty home)"
hyperfine --runs "$RUNS" --style basic \
    --prepare "rm -rf $HOMES && mkdir -p $HOMES/rolecall $HOMES/util" \
    --command-name "rolecall sso setup" "$ROLECALL_CMD >/dev/null 2>&1" \
    --command-name "aws-sso-util configure populate" "$UTIL_CMD >/dev/null 2>&1" \
    --export-json "$OUT/onboard.json" --export-markdown "$OUT/onboard.md"

say "checking what each wrote (one more run each)"
rm -rf "$HOMES" && mkdir -p "$HOMES/rolecall" "$HOMES/util"
eval "$ROLECALL_CMD" >/dev/null 2>&1
eval "$UTIL_CMD" >/dev/null 2>&1
count() { grep -c '^\[profile ' "$1" 2>/dev/null || echo 0; }
echo "profiles written: rolecall $(count "$HOMES/rolecall/.aws/config"), aws-sso-util $(count "$HOMES/util/.aws/config") (want $((ACCOUNTS * ROLES)))"
curl -s "$URL/_stats" 2>/dev/null || "$PYTHON" -c "import urllib.request; print(urllib.request.urlopen('$URL/_stats').read().decode())"
echo
cat "$OUT/onboard.md"
