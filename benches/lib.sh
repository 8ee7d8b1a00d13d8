# Shared by the benchmark scripts (sourced, not run): progress lines and the
# Debian packages a benchmark needs.

say() { printf '\n== %s\n' "$*" >&2; }

# need_deb COMMAND PACKAGE: installs PACKAGE when COMMAND is neither on PATH
# nor an executable path (as root; otherwise stops, naming the package).
need_deb() {
    if ! command -v "$1" >/dev/null 2>&1 && ! [ -x "$1" ]; then
        say "installing Debian package $2 (for $1)"
        if [ "$(id -u)" -ne 0 ]; then
            echo "$1 is missing: install the Debian package $2 (sudo apt-get install $2)" >&2
            exit 1
        fi
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    fi
}
