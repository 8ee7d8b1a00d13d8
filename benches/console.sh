#!/usr/bin/env bash
# `rolecall console --url` with a cached session, end to end, against moto's STS
# and the loopback federation endpoint of the tests (tests/federation_fake.py):
#   1. `rolecall console dev --url` (an assumed role from rolecall's cache, one
#      getSigninToken round trip), and `console base --url` (long-term keys: the
#      GetFederationToken session from the cache, one round trip);
#   2. the round trip alone: the same getSigninToken request from a warm Python
#      client in one process (no process start), 200 times;
# rolecall's own time is (1) minus (2). Results go to target/bench/console/
# (under $CARGO_TARGET_DIR when that is set).
#
#   bash benches/console.sh        # under a minute on 2 cores (after the build)
#   ROLECALL_BIN=target/debug/rolecall bash benches/console.sh   # another binary
#
# Needs: cargo, hyperfine (the Debian package is installed with apt-get when
# missing, as root), and a Python with moto: $ROLECALL_TEST_PYTHON, else
# target/venv/bin/python, else python3.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/console
RUNS=${RUNS:-100}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine

pick_python() {
    local candidates=()
    [ -n "${ROLECALL_TEST_PYTHON:-}" ] && candidates+=("$ROLECALL_TEST_PYTHON")
    [ -x "$ROOT/target/venv/bin/python" ] && candidates+=("$ROOT/target/venv/bin/python")
    candidates+=(python3)
    for py in "${candidates[@]}"; do
        if "$py" -c 'import moto.server' >/dev/null 2>&1; then
            command -v "$py" || echo "$py"
            return 0
        fi
    done
    return 1
}
PY=$(pick_python) || { echo "no Python with moto: set ROLECALL_TEST_PYTHON" >&2; exit 1; }

if [ -n "${ROLECALL_BIN:-}" ]; then
    ROLECALL=$ROLECALL_BIN # e.g. a debug build, for an upper bound
else
    say "building (cargo build --release)"
    cargo build --release --quiet
    ROLECALL=$TARGET/release/rolecall
fi

# A clean environment: a temporary home, no AWS_* variables from outside.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rolecall-console-bench.XXXXXX")
MOTO_PID="" FAKE_PID=""
cleanup() {
    if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true; fi
    if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
while IFS= read -r var; do unset "$var"; done < <(env | grep -oE '^(AWS_|BOTO_|ROLECALL_BROWSER)[A-Za-z0-9_]*')
unset XDG_CACHE_HOME XDG_CONFIG_HOME
export HOME=$TMP AWS_EC2_METADATA_DISABLED=true LC_ALL=C.UTF-8 ROLECALL_NO_LOGIN=1
mkdir -p "$HOME/.aws"
cat >"$HOME/.aws/config" <<'EOF'
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile base]
region = eu-west-1
EOF
cat >"$HOME/.aws/credentials" <<'EOF'
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
EOF

say "starting moto's server and the federation fake"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m moto.server -H 127.0.0.1 -p "$PORT" >"$OUT/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
export AWS_ENDPOINT_URL_STS=http://127.0.0.1:$PORT
exec 4< <("$PY" "$ROOT/tests/federation_fake.py")
FAKE_PID=$!
read -r FAKE_PORT <&4
export ROLECALL_FEDERATION_URL=http://127.0.0.1:$FAKE_PORT/federation

{
    echo "# machine"
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rolecall: $("$ROLECALL" --version)"
    echo "moto: $("$PY" -c 'import moto; print(moto.__version__)') ($PY)"
    echo "hyperfine: $(hyperfine --version)"
} | tee "$OUT/machine.txt"

say "warming rolecall's credential cache (AssumeRole and GetFederationToken through moto)"
"$ROLECALL" console dev --url | grep -q "Action=login&Issuer=rolecall"
"$ROLECALL" console base --url | grep -q "Action=login&Issuer=rolecall"

say "1. console --url with a cached session ($RUNS runs each)"
hyperfine -N --warmup 5 --runs "$RUNS" --style basic \
    --export-markdown "$OUT/console-url.md" --export-json "$OUT/console-url.json" \
    -n "rolecall console dev --url (role, cached)" "$ROLECALL console dev --url" \
    -n "rolecall console base --url (keys, cached federation token)" "$ROLECALL console base --url"

say "2. the getSigninToken round trip alone (warm Python client, 200 requests)"
"$PY" - "$ROLECALL_FEDERATION_URL" <<'EOF' | tee "$OUT/round-trip.txt"
# The same request rolecall sends (a session of the same size), each on a new
# connection as rolecall makes it; only the round trip is timed.
import http.client, json, statistics, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
session = json.dumps({"sessionId": "ASIA" + "X" * 16, "sessionKey": "k" * 40, "sessionToken": "t" * 400})
path = u.path + "?Action=getSigninToken&SessionDuration=43200&Session=" + urllib.parse.quote(session, safe="")
times = []
for _ in range(200):
    t = time.perf_counter()
    c = http.client.HTTPConnection(u.hostname, u.port)
    c.request("GET", path)
    r = c.getresponse()
    assert r.status == 200 and b"SigninToken" in r.read()
    c.close()
    times.append(time.perf_counter() - t)
print("round trip: median %.2f ms, mean %.2f ms, min %.2f ms, max %.2f ms (200 requests)" % (
    statistics.median(times) * 1e3, statistics.mean(times) * 1e3, min(times) * 1e3, max(times) * 1e3))
print("median_ms %.3f" % (statistics.median(times) * 1e3))
EOF
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

say "summary"
python3 - "$OUT" <<'EOF' | tee "$OUT/summary.md"
import json, os, sys
out = sys.argv[1]
rt = float(next(l.split()[1] for l in open(os.path.join(out, "round-trip.txt")) if l.startswith("median_ms")))
print("| command | mean ± σ | median | rolecall's own (median − round trip %.2f ms) | target |" % rt)
print("|---|---:|---:|---:|---|")
for r in json.load(open(os.path.join(out, "console-url.json")))["results"]:
    med = r["median"] * 1e3
    print("| `%s` | %.2f ± %.2f ms | %.2f ms | **%.2f ms** | < 50 ms: %s |" % (
        r["command"], r["mean"] * 1e3, r["stddev"] * 1e3, med, med - rt,
        "yes" if med - rt < 50 else "no"))
EOF
echo "results in $OUT (console-url.*, round-trip.txt, summary.md, machine.txt)" >&2
