#!/usr/bin/env bash
# Installs dualuse into ./.venv (Python 3.11+, packages from PyPI) and runs the main job:
# classify the sample order in examples/, determine the sample orders, and record a
# licensed order in the embedded SQLite ledger (./.dualuse/ledger.db unless DUALUSE_HOME or
# DUALUSE_DATABASE_URL says otherwise). Run it twice: the idempotency key makes the second
# commit a replay that draws nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/dualuse classify examples/h800-order.yaml --history
.venv/bin/dualuse check examples/*.yaml --format table
export DUALUSE_HOME="${DUALUSE_HOME:-$PWD/.dualuse}"
.venv/bin/dualuse licences show D1000001 >/dev/null 2>&1 \
  || .venv/bin/dualuse licences add examples/ledger/licence-bis-uae.yaml
.venv/bin/dualuse check examples/ledger/uae-h100-order.yaml --commit \
  --idempotency-key PO-2025-0301 --format table
.venv/bin/dualuse licences list --date 2025-03-03
.venv/bin/dualuse audit verify
