#!/usr/bin/env bash
# Quick start: install K-SLARS into .venv (first run only) and start the SLAN web tool on its embedded defaults:
# SQLite database, media folder and job queue in $KSLARS_DATA_DIR (default ~/.local/share/kslars), with a
# background worker started alongside. Prints the address to open. Extra arguments go to `kslars serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
ensure_venv ""
exec "$VENV/bin/kslars" serve "$@"
