#!/usr/bin/env bash
# Installs dualuse into ./.venv (Python 3.11+, packages from PyPI) and runs the main job:
# classify the sample order in examples/ and print the result.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/dualuse classify examples/h800-order.yaml --history
.venv/bin/dualuse check examples/*.yaml --format table
