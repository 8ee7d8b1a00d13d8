#!/usr/bin/env bash
# rolecall beside `aws configure set`, which takes no lock and rewrites the config
# in place (truncate, then write): loops of both write one config file for
# SECONDS (60 by default); every write adds a key of its own, so at the end each
# one that reported success is either in the file or was lost. Prints the counts
# on both sides. Not run in CI (a minute, and the AWS CLI v2).
#
#   bash benches/stress_aws.sh                  # 60 s, 2 rolecall loops, 1 AWS CLI loop
#   SECONDS_TO_RUN=30 ROLECALL=target/debug/rolecall bash benches/stress_aws.sh
#   SECONDS_TO_RUN=600 RC_PAUSE=0.05 bash benches/stress_aws.sh   # paced: more AWS CLI writes
#
# RC_PAUSE (seconds, 0 by default) paces the rolecall loops: unpaced, they
# take most of the 2 cores and the AWS CLI, whose every run starts a Python
# interpreter, writes only about once a second per loop.
#
# Needs /usr/bin/aws (Debian's awscli; installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. "$ROOT/benches/lib.sh"
AWS=${AWS:-/usr/bin/aws}
need_deb "$AWS" awscli
if [ -z "${ROLECALL:-}" ]; then
    cargo build --release --quiet
    ROLECALL=${CARGO_TARGET_DIR:-$ROOT/target}/release/rolecall
fi
DURATION=${SECONDS_TO_RUN:-60}
RC_LOOPS=${RC_LOOPS:-2}
RC_PAUSE=${RC_PAUSE:-0}
# One AWS CLI loop by default: AWS CLIs racing each other lose each other's
# writes (2 loops alone lost 1 of 49 in 20 s), and 4 of them left a config
# that the AWS CLI itself could no longer parse within seconds, so a lost AWS
# CLI write could not be blamed on rolecall.
AWS_LOOPS=${AWS_LOOPS:-1}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home AWS_CONFIG_FILE=$WORK/home/.aws/config AWS_PAGER=""
mkdir -p "$HOME/.aws"
cat >"$AWS_CONFIG_FILE" <<'CONF'
# Hand-written profiles: must survive.
[default]
region = us-east-1

[profile dev]
region = eu-west-1
CONF
for l in $(seq 1 "$AWS_LOOPS"); do printf '\n[profile aws%s]\nregion = us-east-1\n' "$l" >>"$AWS_CONFIG_FILE"; done
for l in $(seq 1 "$RC_LOOPS"); do printf '\n[profile rc%s]\nregion = us-east-1\n' "$l" >>"$AWS_CONFIG_FILE"; done

end=$(($(date +%s) + DURATION))
aws_loop() { # writes key k<i> = v<i> in profile aws<l>; logs the successes
    local l=$1 i=0
    while [ "$(date +%s)" -lt "$end" ]; do
        i=$((i + 1))
        if "$AWS" configure set "profile.aws$l.k$i" "v$i" 2>>"$WORK/aws$l.err"; then
            echo "k$i" >>"$WORK/aws$l.ok"
        fi
    done
}
rc_loop() { # alternates `set` and `profile add`; logs the successes
    local l=$1 i=0
    while [ "$(date +%s)" -lt "$end" ]; do
        i=$((i + 1))
        if [ $((i % 2)) -eq 0 ]; then
            "$ROLECALL" set "rc$l" "k$i" "v$i" >/dev/null 2>>"$WORK/rc$l.err" && echo "set rc$l k$i" >>"$WORK/rc$l.ok"
        else
            "$ROLECALL" profile add "rc$l-$i" "region=r$i" >/dev/null 2>>"$WORK/rc$l.err" && echo "add rc$l-$i" >>"$WORK/rc$l.ok"
        fi
        if [ "$RC_PAUSE" != 0 ]; then sleep "$RC_PAUSE"; fi
    done
}
say "running for $DURATION s: $RC_LOOPS rolecall loop(s) (pause $RC_PAUSE s), $AWS_LOOPS AWS CLI loop(s)"
pids=()
for l in $(seq 1 "$AWS_LOOPS"); do aws_loop "$l" & pids+=($!); done
for l in $(seq 1 "$RC_LOOPS"); do rc_loop "$l" & pids+=($!); done
wait "${pids[@]}"

# What the SDK reads at the end.
"$ROLECALL" list --json >"$WORK/final.json"
python3 - "$WORK" "$AWS_LOOPS" "$RC_LOOPS" <<'PY'
import json, os, sys
work, aws_loops, rc_loops = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = open(os.path.join(os.environ["AWS_CONFIG_FILE"])).read()
def section(name):
    out, inside = set(), False
    for line in text.splitlines():
        if line.startswith("["):
            inside = line.strip() == "[%s]" % name
        elif inside and "=" in line:
            out.add(line.split("=")[0].strip())
    return out
def lines(p):
    return open(p).read().split() if os.path.exists(p) else []
aws_ok = aws_lost = 0
for l in range(1, aws_loops + 1):
    keys = section("profile aws%d" % l)
    ok = lines(os.path.join(work, "aws%d.ok" % l))
    aws_ok += len(ok)
    aws_lost += sum(1 for k in ok if k not in keys)
rc_ok = rc_lost = rc_refused = 0
for l in range(1, rc_loops + 1):
    ok = open(os.path.join(work, "rc%d.ok" % l)).read().splitlines() if os.path.exists(os.path.join(work, "rc%d.ok" % l)) else []
    rc_ok += len(ok)
    keys = section("profile rc%d" % l)
    for entry in ok:
        kind, what = entry.split(" ", 1)
        if kind == "set":
            rc_lost += what.split()[1] not in keys
        else:
            rc_lost += "[profile %s]" % what not in text
    err = os.path.join(work, "rc%d.err" % l)
    rc_refused += sum(1 for line in open(err) if line.startswith("error")) if os.path.exists(err) else 0
hand = "# Hand-written profiles: must survive." in text and "[profile dev]" in text
errors = {}
for l in range(1, aws_loops + 1):
    err = os.path.join(work, "aws%d.err" % l)
    for line in (open(err).read().splitlines() if os.path.exists(err) else []):
        line = line.strip()
        if line:
            errors[line] = errors.get(line, 0) + 1
print("AWS CLI writes reported done: %d, lost at the end: %d" % (aws_ok, aws_lost))
for line, n in sorted(errors.items(), key=lambda e: -e[1])[:3]:
    print("  AWS CLI stderr, %d time(s): %s" % (n, line[:200]))
print("rolecall writes reported done: %d, lost at the end: %d, refused (exit 1): %d" % (rc_ok, rc_lost, rc_refused))
print("hand-written profiles intact: %s" % hand)
PY
