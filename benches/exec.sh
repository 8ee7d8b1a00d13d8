#!/usr/bin/env bash
# The credentials commands, end to end, against moto's STS on 127.0.0.1:
#   1. `rolecall exec PROFILE --mode env -- true` (static keys, and an assumed role
#      from rolecall's cache) against `aws configure export-credentials` of static
#      keys (AWS CLI v2 2.9 ignores AWS_ENDPOINT_URL_STS, so it is given a profile
#      it can answer without the network);
#   2. `rolecall credential-process dev` on a cache hit, 200 runs, median;
#   3. the `exec --mode server` endpoint under 1,000 concurrent connections
#      (p50/p99 per request, connect to last byte, Python asyncio client);
#   4. the same endpoint with 1,000 keep-alive connections from a Rust client
#      (examples/endpoint_load): bursts of 1,000 requests at once and open-loop
#      rates, with the endpoint's CPU time per request;
#   5. the legitimate client's latency (p50/p99, a new connection per request
#      as the SDKs make, and botocore's container provider) while 1,100
#      connections without the token flood the endpoint (examples/endpoint_flood:
#      keep-alive requests every 5 s, or heads that never end), from this user
#      and, as root, from another one (setpriv --reuid=65534).
# Results go to target/bench/exec/ (under $CARGO_TARGET_DIR when that is set).
#
#   bash benches/exec.sh        # about 1 minute on 2 cores
#
# Needs: cargo, hyperfine, /usr/bin/aws (the Debian packages hyperfine and awscli
# are installed with apt-get when missing, as root), and a Python with moto:
# $ROLECALL_TEST_PYTHON, else target/venv/bin/python, else python3.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench/exec
AWS=/usr/bin/aws
CONNECTIONS=${CONNECTIONS:-1000}
ROUNDS=${ROUNDS:-5}
mkdir -p "$OUT"

. "$ROOT/benches/lib.sh"
need_deb hyperfine hyperfine
need_deb "$AWS" awscli

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

say "building (cargo build --release, and the load generator)"
cargo build --release --quiet
cargo build --release --quiet --example endpoint_load --example endpoint_flood
ROLECALL=$TARGET/release/rolecall

# A clean environment: a temporary home, no AWS_* variables from outside.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rolecall-exec-bench.XXXXXX")
MOTO_PID="" SERVER_PID=""
cleanup() {
    # Each step on its own: under `set -e` a failed `wait` would skip the rest.
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
while IFS= read -r var; do unset "$var"; done < <(env | grep -oE '^(AWS_|BOTO_)[A-Za-z0-9_]*')
unset XDG_CACHE_HOME XDG_CONFIG_HOME
export HOME=$TMP AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off LC_ALL=C.UTF-8
mkdir -p "$HOME/.aws"
cat >"$HOME/.aws/config" <<'EOF'
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile static]
region = eu-west-1
EOF
cat >"$HOME/.aws/credentials" <<'EOF'
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000

[static]
aws_access_key_id = AKIAEXAMPLE000000002
aws_secret_access_key = static-secret-key-00000000000000000000000
EOF

say "starting moto's server"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m moto.server -H 127.0.0.1 -p "$PORT" >"$OUT/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
export AWS_ENDPOINT_URL_STS=http://127.0.0.1:$PORT

{
    echo "# machine"
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rolecall: $("$ROLECALL" --version)"
    echo "aws: $("$AWS" --version 2>&1)"
    echo "moto: $("$PY" -c 'import moto; print(moto.__version__)') ($PY)"
    echo "hyperfine: $(hyperfine --version)"
} | tee "$OUT/machine.txt"

say "warming rolecall's credential cache (credential-process dev, through moto)"
"$ROLECALL" credential-process dev | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["Version"] == 1 and d["AccessKeyId"] and d["SessionToken"], d
print("dev: assumed role, key", d["AccessKeyId"], "expires", d["Expiration"])'
# Sanity: each command under test gives credentials.
"$ROLECALL" exec dev --mode env -- sh -c 'test -n "$AWS_SESSION_TOKEN"'
"$ROLECALL" exec static --mode env -- sh -c 'test "$AWS_ACCESS_KEY_ID" = AKIAEXAMPLE000000002'
"$AWS" configure export-credentials --profile static | grep -q AKIAEXAMPLE000000002

say "1. exec --mode env against aws configure export-credentials"
hyperfine -N --warmup 3 --min-runs 10 --style basic \
    --export-markdown "$OUT/exec-env.md" --export-json "$OUT/exec-env.json" \
    -n "rolecall exec static --mode env -- true" "$ROLECALL exec static --mode env -- true" \
    -n "rolecall exec dev --mode env -- true (cached)" "$ROLECALL exec dev --mode env -- true" \
    -n "aws configure export-credentials --profile static" "$AWS configure export-credentials --profile static"

say "2. credential-process dev on a cache hit (200 runs)"
hyperfine -N --warmup 10 --runs 200 --style basic \
    --export-markdown "$OUT/credential-process.md" --export-json "$OUT/credential-process.json" \
    -n "rolecall credential-process dev (cache hit)" "$ROLECALL credential-process dev"

say "3. the exec --mode server endpoint, $CONNECTIONS concurrent connections x $ROUNDS rounds"
# shellcheck disable=SC2016 # expanded by the child's shell
"$ROLECALL" exec dev --mode server -- sh -c 'env > "$0"; exec sleep 600' "$TMP/env.txt" &
SERVER_PID=$!
for _ in $(seq 100); do
    [ -s "$TMP/env.txt" ] && grep -q '^AWS_CONTAINER_AUTHORIZATION_TOKEN=' "$TMP/env.txt" && break
    sleep 0.1
done
URL=$(sed -n 's/^AWS_CONTAINER_CREDENTIALS_FULL_URI=//p' "$TMP/env.txt")
TOKEN=$(sed -n 's/^AWS_CONTAINER_AUTHORIZATION_TOKEN=//p' "$TMP/env.txt")
[ -n "$URL" ] && [ -n "$TOKEN" ] || { echo "no endpoint in the child's environment" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# Kernel counters of refused connections (accept queue full), when nstat exists.
command -v nstat >/dev/null && nstat -n
# The token goes through the environment, not the command line.
TOKEN=$TOKEN python3 - "$URL" "$CONNECTIONS" "$ROUNDS" <<'EOF' | tee "$OUT/endpoint.txt"
# Each round opens CONNECTIONS connections at once (asyncio, one task each) and
# sends one GET with the Authorization header on each; a request's latency runs
# from its connect() to the last byte of the answer, after which it closes, as
# an SDK's container provider does. Every answer must be 200 with credentials.
import asyncio, os, sys, time
from urllib.parse import urlsplit

url, n, rounds = urlsplit(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
token = os.environ["TOKEN"]
req = (f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
       f"Authorization: {token}\r\nAccept: application/json\r\n\r\n").encode()

async def one(start):
    await start.wait()
    t = time.perf_counter()
    r, w = await asyncio.open_connection(url.hostname, url.port)
    w.write(req)
    head = await r.readuntil(b"\r\n\r\n")
    length = next(int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:"))
    body = await r.readexactly(length)
    dt = time.perf_counter() - t
    w.close()
    ok = head.startswith(b"HTTP/1.1 200") and b'"AccessKeyId"' in body
    return dt, ok

async def round_(n=n):
    start = asyncio.Event()
    tasks = [asyncio.create_task(one(start)) for _ in range(n)]
    await asyncio.sleep(0)
    t = time.perf_counter()
    start.set()
    res = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - t
    errors = [r for r in res if isinstance(r, BaseException) or not r[1]]
    return [r[0] for r in res if not isinstance(r, BaseException) and r[1]], errors, wall

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def line(name, xs):
    return "%-28s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%d requests)" % (
        name, pct(xs, 50) * 1e3, pct(xs, 99) * 1e3, max(xs) * 1e3, len(xs))

async def main():
    # One request at a time first: the floor, without queueing.
    seq = []
    for _ in range(200):
        e = asyncio.Event(); e.set()
        dt, ok = await one(e)
        assert ok
        seq.append(dt)
    print(line("sequential, 1 connection", seq))
    allx, errs = [], 0
    for i in range(rounds):
        xs, errors, wall = await round_()
        errs += len(errors)
        allx += xs
        print(line(f"round {i + 1}: {n} at once", xs) + ", wall %.1f ms, errors %d" % (wall * 1e3, len(errors)))
        if errors:
            print("  first error:", errors[0])
        await asyncio.sleep(0.5)
    print(line(f"all rounds: {n} at once", allx) + ", errors %d" % errs)
    # A smaller burst, within the server's 64 connections plus its accept queue.
    small = []
    for i in range(rounds):
        xs, errors, wall = await round_(150)
        assert not errors, errors[0]
        small += xs
        await asyncio.sleep(0.2)
    print(line("all rounds: 150 at once", small))

asyncio.run(main())
EOF
command -v nstat >/dev/null &&
    nstat TcpExtListenOverflows TcpExtListenDrops TcpExtTCPReqQFullDrop TcpExtTCPReqQFullDoCookies |
    tee -a "$OUT/endpoint.txt"

say "4. the same endpoint, 1,000 keep-alive connections (examples/endpoint_load, Rust)"
# The connections are opened first, then: bursts (every connection sends one
# request at the same instant) and open-loop rates spread over the connections.
# The endpoint's own CPU time per request comes from /proc (utime + stime).
LOAD=$TARGET/release/examples/endpoint_load
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$SERVER_PID/stat"; }
load() { # load ARGS...: one run, with the endpoint's CPU time per request
    local before after line n
    before=$(cpu_ms)
    line=$(AWS_CONTAINER_CREDENTIALS_FULL_URI=$URL AWS_CONTAINER_AUTHORIZATION_TOKEN=$TOKEN "$LOAD" "$@")
    after=$(cpu_ms)
    n=$(printf '%s\n' "$line" | sed -n 's/^requests \([0-9]*\).*/\1/p')
    printf '%s\n' "$line"
    awk -v ms="$((after - before))" -v n="$n" \
        'BEGIN { printf "  endpoint CPU: %d ms, %.1f us per request\n", ms, ms * 1000 / n }'
}
{
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    for _ in 1 2; do load burst "$CONNECTIONS" 10; done
    for rate in 2000 10000 20000; do load rate "$CONNECTIONS" "$rate" 5; done
} | tee "$OUT/endpoint-keepalive.txt"
say "5. the legitimate client during floods of 1,100 connections without the token"
FLOOD=$TARGET/release/examples/endpoint_flood
floods=(keepalive halfopen)
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && floods+=("keepalive other" "halfopen other")
{
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    for flood in "${floods[@]}"; do
        mode=${flood%% *}
        as=()
        [ "$flood" != "$mode" ] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
        exec 4< <(exec "${as[@]}" "$FLOOD" "$mode" 1100 25 "$URL")
        flood_pid=$!
        read -r ready <&4
        [ "$ready" = "flooding 1100" ] || { echo "the flood did not start: $ready" >&2; exit 1; }
        sleep 2
        echo "flood: $mode${as:+ (as uid 65534)}"
        # One GET per new connection, 20 ms apart, as an SDK's provider makes;
        # then botocore's container provider, 30 loads.
        TOKEN=$TOKEN "$PY" - "$URL" <<'EOF'
import os, socket, sys, time
from urllib.parse import urlsplit
from botocore.credentials import ContainerProvider

url, token = urlsplit(sys.argv[1]), os.environ["TOKEN"]
req = (f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: {token}\r\n"
       "Connection: close\r\n\r\n").encode()

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def report(name, xs, errors):
    print("  %-26s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%d requests, %d failed)" % (
        name, pct(xs, 50) * 1e3, pct(xs, 99) * 1e3, max(xs) * 1e3, len(xs), errors))

xs, errors = [], 0
for _ in range(300):
    t = time.perf_counter()
    try:
        with socket.create_connection((url.hostname, url.port), timeout=5) as s:
            s.sendall(req)
            out = b""
            while chunk := s.recv(65536):
                out += chunk
        ok = out.startswith(b"HTTP/1.1 200") and b'"AccessKeyId"' in out
    except OSError:
        ok = False
    xs.append(time.perf_counter() - t)
    errors += not ok
    time.sleep(0.02)
report("plain HTTP client", xs, errors)
os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = sys.argv[1]
os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token
xs, errors = [], 0
for _ in range(30):
    t = time.perf_counter()
    try:
        ok = ContainerProvider().load().get_frozen_credentials().access_key.startswith("ASIA")
    except Exception:
        ok = False
    xs.append(time.perf_counter() - t)
    errors += not ok
report("botocore ContainerProvider", xs, errors)
EOF
        kill "$flood_pid" 2>/dev/null || true
        exec 4<&-
        sleep 1
    done
} | tee "$OUT/endpoint-flood.txt"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

say "summary"
python3 - "$OUT" <<'EOF' | tee "$OUT/summary.md"
import json, os, sys
out = sys.argv[1]
m = {r["command"]: r for r in json.load(open(os.path.join(out, "exec-env.json")))["results"]}
aws = m["aws configure export-credentials --profile static"]
print("| command | mean ± σ | median | vs aws |")
print("|---|---:|---:|---:|")
for name, r in m.items():
    print("| `%s` | %.2f ± %.2f ms | %.2f ms | %s |" % (
        name, r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3,
        "—" if r is aws else "%.0f× faster" % (aws["mean"] / r["mean"])))
cp = json.load(open(os.path.join(out, "credential-process.json")))["results"][0]
print("| `%s`, %d runs | %.2f ± %.2f ms | **%.2f ms** (min %.2f, max %.2f) | |" % (
    cp["command"], len(cp["times"]), cp["mean"] * 1e3, cp["stddev"] * 1e3,
    cp["median"] * 1e3, cp["min"] * 1e3, cp["max"] * 1e3))
EOF
echo "results in $OUT (exec-env.*, credential-process.*, endpoint.txt, endpoint-keepalive.txt, endpoint-flood.txt, summary.md, machine.txt)" >&2
