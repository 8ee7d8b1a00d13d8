#!/usr/bin/env bash
# A PKCE login to IAM Identity Center, from start to cached token, against the
# project's SSO server (tests/sso_server.py) on 127.0.0.1:
#   `rolecall login --sso-session corp --force`
# The client registration is cached by a first login (as after any first
# login), so each run binds the loopback listener, opens the "browser" (curl,
# following the authorize page's redirect to the listener at once), takes the
# code, calls CreateToken with the verifier and writes the token file.
#
#   bash benches/sso_pkce.sh        # about 30 seconds
#
# Target: under 300 ms of rolecall's own time. The wall time measured includes
# the Python server's answers and curl's start, so it bounds rolecall's time
# from above; hyperfine's user/sys columns are rolecall's CPU time.
# Results: target/bench/sso-pkce/ (hyperfine JSON and Markdown).
# Needs: cargo, hyperfine and curl (Debian packages, installed when missing as
# root), a Python 3 (target/venv/bin/python, else python3) for the server.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/sso-pkce
RUNS=${RUNS:-30}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
need_deb curl curl
PYTHON=${ROLECALL_TEST_PYTHON:-$ROOT/target/venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

say "building rolecall (release)"
cargo build --release --quiet
ROLECALL=$TARGET/release/rolecall

# The "browser": follows the authorize page's redirect to rolecall's listener.
BROWSER_SCRIPT=$OUT/browser.sh
printf '#!/bin/sh\nexec curl -sS -L -o /dev/null "$1"\n' >"$BROWSER_SCRIPT"
chmod +x "$BROWSER_SCRIPT"

HOME_DIR=$OUT/home
rm -rf "$HOME_DIR" && mkdir -p "$HOME_DIR/.aws"
cat >"$HOME_DIR/.aws/config" <<'EOF'
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile p0]
sso_session = corp
sso_account_id = 100000000000
sso_role_name = AdministratorAccess
EOF

unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE SSH_CONNECTION SSH_TTY
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
"$PYTHON" tests/sso_server.py >"$OUT/port" &
SERVER=$!
for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$OUT/port")
export AWS_ENDPOINT_URL_SSO=$URL AWS_ENDPOINT_URL_SSO_OIDC=$URL ROLECALL_BROWSER=$BROWSER_SCRIPT
export HOME=$HOME_DIR XDG_CACHE_HOME=$HOME_DIR/.cache

say "first login (registers the client)"
"$ROLECALL" login --sso-session corp >/dev/null 2>"$OUT/first.err"

say "PKCE login, start to cached token, $RUNS runs"
hyperfine --runs "$RUNS" --warmup 2 --style basic --shell=none \
    --command-name "rolecall login (PKCE)" "$ROLECALL login --sso-session corp --force" \
    --export-json "$OUT/pkce.json" --export-markdown "$OUT/pkce.md"
"$PYTHON" -c "import urllib.request; print('server calls:', urllib.request.urlopen('$URL/_stats').read().decode())"
cat "$OUT/pkce.md"
