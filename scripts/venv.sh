# Shared by scripts/serve.sh and scripts/test.sh: create .venv with Python 3.11 and install K-SLARS into it.
# Usage (sourced): ensure_venv "" | ensure_venv "[test]"
# A stamp file records what was installed, so a rerun with an unchanged pyproject.toml skips pip entirely.

KSLARS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$KSLARS_ROOT/.venv"

as_root() {
    # Run a command as root: directly when we are root, else through sudo.
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: '$*' needs root and sudo is not available; run it as root once, then rerun" >&2; return 1; fi
}

apt_install_missing() {
    # Install the Debian packages given as arguments that are not installed yet (no apt call when all are present).
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "error: missing system packages ${missing[*]} and no apt-get here; install them with your package manager" >&2
        return 1
    fi
    echo "==> installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python311() {
    # Print a Python 3.11 interpreter: python3.11, else python3 when it is 3.11.
    local candidate
    for candidate in python3.11 python3 /usr/bin/python3.11; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "error: K-SLARS needs Python 3.11 (python3.11 not found); on Debian 12: apt-get install python3 python3-venv" >&2
    return 1
}

ensure_venv() {
    # Create .venv if missing and pip-install the package (with the extras in $1, e.g. "[test]") when it changed.
    local extras="${1:-}" python stamp hash
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python311)"
        if ! "$python" -c 'import ensurepip' 2>/dev/null; then
            apt_install_missing python3-venv python3.11-venv
        fi
        echo "==> creating $VENV with $python"
        "$python" -m venv "$VENV"
    fi
    stamp="$VENV/.kslars-installed"
    # what the install depends on: the package metadata
    hash="$(sha256sum <"$KSLARS_ROOT/pyproject.toml" | cut -d' ' -f1)"
    # any install of this pyproject.toml serves the plain package; extras need their own install
    if [ -f "$stamp" ] && { grep -qxF "$hash $extras" "$stamp" || { [ -z "$extras" ] && grep -q "^$hash " "$stamp"; }; }; then
        return 0
    fi
    echo "==> installing K-SLARS$extras into $VENV (first run: several minutes)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$KSLARS_ROOT$extras"
    echo "$hash $extras" >>"$stamp"
}
