#!/usr/bin/env bash
# Installs dualuse into ./.venv (Python 3.11+, packages from PyPI) and runs the main job:
# the service -- REST API and web page -- on the embedded SQLite ledger
# (./.dualuse/ledger.db unless DUALUSE_HOME or DUALUSE_DATABASE_URL says otherwise), with
# the shipped rulebooks and catalog. It prints the address to open. On 127.0.0.1 it runs
# open (no API key), and says so. Extra arguments go to `dualuse serve` (--host, --port).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
export DUALUSE_HOME="${DUALUSE_HOME:-$PWD/.dualuse}"
# A sample BIS licence, so that the ledger page and a UAE order have something to show.
.venv/bin/dualuse licences show D1000001 >/dev/null 2>&1 \
  || .venv/bin/dualuse licences add examples/ledger/licence-bis-uae.yaml
exec .venv/bin/dualuse serve "$@"
