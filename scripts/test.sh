#!/usr/bin/env bash
# Runs every test rolecall has: formatting, lints, unit tests, the SDKs' shared
# conformance vectors, property tests, CLI tests on the real binary, TUI tests on
# the real binary in a pseudo-terminal, doc tests, and interop tests in which
# real AWS tools read what rolecall writes.
#
# It installs what those tests need when it is missing:
#   - a Python venv at target/venv with the pinned packages of
#     scripts/requirements-test.txt (botocore, AWS CLI v1, moto), re-installed
#     whenever that file changes;
#   - AWS CLI v2 at /usr/bin/aws (Debian's `awscli` package), with apt-get when
#     run as root;
#   - tmux at /usr/bin/tmux (Debian's `tmux` package) for the TUI tests in a
#     pseudo-terminal, likewise;
#   - bash, zsh and fish under /usr/bin (Debian's packages of the same names)
#     for the shell-integration tests (ROLECALL_TEST_BASH / _ZSH / _FISH), likewise.
#   - keyctl at /usr/bin/keyctl (Debian's `keyutils` package) for the keychain
#     tests on the kernel keyring, likewise.
# The tests find the tools through ROLECALL_TEST_PYTHON, ROLECALL_TEST_AWS_V1,
# ROLECALL_TEST_AWS_V2, ROLECALL_TEST_TMUX and ROLECALL_TEST_KEYCTL (never
# through PATH, which may hold another `aws`); a missing tool fails the tests
# that need it.
#
# Usage: bash scripts/test.sh        (CI runs it through .ci/run)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
started=$SECONDS

step() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'scripts/test.sh: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- fail fast
step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

# ---------------------------------------------------------------- Python peers
requirements=scripts/requirements-test.txt
venv=target/venv
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [[ $have != "$want" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
    step "installing the Python test peers into $venv (scripts/requirements-test.txt)"
    python=${ROLECALL_VENV_PYTHON:-python3}
    command -v "$python" >/dev/null || die "no $python to create $venv with: install Python 3.10 or later"
    rm -rf "$venv"
    if ! "$python" -m venv "$venv"; then
        if [[ $(id -u) == 0 && -x /usr/bin/python3 ]]; then
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            apt-get install -y -q python3-venv
            rm -rf "$venv"
            /usr/bin/python3 -m venv "$venv"
        else
            die "cannot create a venv with $python: install Debian's python3-venv package (apt-get install python3-venv)"
        fi
    fi
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements"
    echo "$want" >"$stamp"
fi
"$venv/bin/aws" --version
"$venv/bin/python" -c 'import botocore, moto; print("botocore", botocore.__version__, "moto", moto.__version__)'

# ---------------------------------------------------------------- Debian tools
# AWS CLI v2 (awscli); tmux, the pseudo-terminal the TUI tests
# (tests/tui_e2e.rs) drive the binary in; bash, zsh and fish, which
# tests/shell_e2e.rs sources `rolecall init` in; keyctl (keyutils), the kernel
# keyring of the keychain tests (tests/keys.rs: each rolecall run gets a session
# keyring from `keyctl session - CMD`). Missing ones are installed together,
# with one `apt-get update`.
aws_v2=/usr/bin/aws
tmux=/usr/bin/tmux
keyctl=/usr/bin/keyctl
needed=("$aws_v2:awscli" "$tmux:tmux" /usr/bin/bash:bash /usr/bin/zsh:zsh /usr/bin/fish:fish "$keyctl:keyutils")
missing=()
for entry in "${needed[@]}"; do
    [[ -x ${entry%%:*} ]] || missing+=("${entry#*:}")
done
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
        step "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q "${missing[@]}"
    else
        die "missing tools: install Debian's packages ${missing[*]} (sudo apt-get install ${missing[*]}) and run again"
    fi
fi
v2_version=$("$aws_v2" --version 2>&1)
echo "$v2_version"
[[ $v2_version == aws-cli/2.* ]] || die "$aws_v2 is not AWS CLI v2 ($v2_version): install Debian's awscli package"
"$tmux" -V
"$keyctl" --version
export ROLECALL_TEST_BASH=/usr/bin/bash ROLECALL_TEST_ZSH=/usr/bin/zsh ROLECALL_TEST_FISH=/usr/bin/fish

export ROLECALL_TEST_KEYCTL=$keyctl
export ROLECALL_TEST_PYTHON=$root/$venv/bin/python
export ROLECALL_TEST_AWS_V1=$root/$venv/bin/aws
export ROLECALL_TEST_AWS_V2=$aws_v2
export ROLECALL_TEST_TMUX=$tmux

# ---------------------------------------------------------------- SDK peers (issue 14)
# tests/exec_sdk_errors.rs reads the credential endpoint's errors with the
# JavaScript SDK v3 (npm packages @aws-sdk/credential-providers and
# @aws-sdk/client-sts in target/sdk-js, with Debian's node) and the Go SDKs v1
# and v2 (Debian's golang-go, golang-github-aws-aws-sdk-go-dev and
# golang-github-aws-aws-sdk-go-v2-dev, built offline in GOPATH mode from
# /usr/share/gocode). tests/exec_flood.rs runs a flood as another user with
# setpriv (util-linux).
go=/usr/bin/go
gopath=/usr/share/gocode
sdk_missing=()
[[ -x $go ]] || sdk_missing+=(golang-go)
[[ -d $gopath/src/github.com/aws/aws-sdk-go/aws ]] || sdk_missing+=(golang-github-aws-aws-sdk-go-dev)
[[ -d $gopath/src/github.com/aws/aws-sdk-go-v2/config ]] || sdk_missing+=(golang-github-aws-aws-sdk-go-v2-dev)
[[ -x /usr/bin/node && -x /usr/bin/npm ]] || sdk_missing+=(nodejs npm)
if ((${#sdk_missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
        step "installing Debian packages: ${sdk_missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q "${sdk_missing[@]}"
    else
        die "missing SDK peers: install Debian's packages ${sdk_missing[*]} (sudo apt-get install ${sdk_missing[*]}) and run again"
    fi
fi
command -v setpriv >/dev/null || die "setpriv is missing: install Debian's util-linux package"
js_sdk=target/sdk-js
if [[ ! -d $js_sdk/node_modules/@aws-sdk/credential-providers || ! -d $js_sdk/node_modules/@aws-sdk/client-sts ]]; then
    step "installing the JavaScript SDK v3 into $js_sdk (npm)"
    mkdir -p "$js_sdk"
    (cd "$js_sdk" && npm install --no-audit --no-fund --silent @aws-sdk/credential-providers @aws-sdk/client-sts) ||
        die "npm could not install @aws-sdk/credential-providers and @aws-sdk/client-sts into $js_sdk"
fi
"$go" version
echo "node $(/usr/bin/node --version)"
export ROLECALL_TEST_GO=$go ROLECALL_TEST_GOPATH=$gopath
export ROLECALL_TEST_NODE=/usr/bin/node ROLECALL_TEST_NODE_MODULES=$root/$js_sdk/node_modules

# ---------------------------------------------------------------- tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

# tests/exec_server.rs runs examples/whoami.rs as a child, tests/exec_flood.rs
# examples/endpoint_flood.rs: `cargo test --all-targets` builds examples only
# as test harnesses, not as the programs.
step "cargo build --examples"
cargo build --examples 2>&1 | tee -a "$log" || status=1

# --all-targets builds the benches and runs each criterion benchmark once, as a
# test (a few seconds); `cargo bench` does the measuring. Tests that need the
# tools installed above are #[ignore = "needs ..."] so that a plain `cargo
# test` passes on a bare machine; --include-ignored runs them here, where a
# missing tool fails them with a message naming it.
step "cargo test --all-targets --no-fail-fast"
cargo test --all-targets --no-fail-fast -- --include-ignored 2>&1 | tee -a "$log" || status=1

step "cargo test --doc"
cargo test --doc 2>&1 | tee -a "$log" || status=1

# The fuzz crate has its own workspace, so the steps above never compile it:
# its checks (fuzz/src/lib.rs) run here on stable over the seeds and their
# mutations, which also keeps the harness building as the library changes.
step "cargo test --manifest-path fuzz/Cargo.toml --lib (the fuzz checks, stable)"
cargo test --manifest-path fuzz/Cargo.toml --lib 2>&1 | tee -a "$log" || status=1

# Every libtest summary line: "test result: ok. 12 passed; 0 failed; 1 ignored; ..."
read -r passed failed ignored < <(awk '
    /^test result: / {
        for (i = 1; i <= NF; i++) {
            n = $(i - 1) + 0
            if ($i ~ /^passed;?$/) p += n
            if ($i ~ /^failed;?$/) f += n
            if ($i ~ /^ignored;?$/) s += n
        }
    }
    END { print p + 0, f + 0, s + 0 }' "$log")
if [[ $status != 0 && $failed == 0 ]]; then
    failed=1 # a build failure or a crash: no test result line said so
fi

echo
echo "scripts/test.sh: fmt, clippy, unit, conformance, property, CLI, TUI, interop and doc tests in $((SECONDS - started)) s"
echo "total: $passed passed, $failed failed, $ignored skipped"
exit "$status"
