#!/usr/bin/env bash
# Installs dualuse with its test tools into ./.venv and runs the whole suite:
# ruff, mypy --strict on src/, and pytest. Fails if pytest collects no test.
# Starts the local PostgreSQL server when the machine has one (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
echo "== ruff"
.venv/bin/ruff check src tests bench
echo "== mypy --strict src"
.venv/bin/mypy --strict src
echo "== postgres (for the ledger tests; they skip, saying why, if it cannot start)"
bash scripts/postgres.sh
echo "== chromium (for the browser tests; they skip, saying why, if it cannot be installed)"
bash scripts/browser.sh
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
