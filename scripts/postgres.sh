#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster (installed, not running, on the project's
# machines) and makes the role and database the ledger tests use. Idempotent.
# With --require it fails when no server can be started; without, it says so and
# returns 0, and the PostgreSQL tests then skip with that reason.
set -uo pipefail
require=0
[ "${1:-}" = "--require" ] && require=1
fail() {
  echo "postgres: $*" >&2
  if [ "$require" -eq 1 ]; then exit 1; fi
  exit 0
}
command -v pg_ctlcluster >/dev/null 2>&1 || fail "pg_ctlcluster not found; PostgreSQL tests will skip"
pg_ctlcluster --skip-systemctl-redirect 15 main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p 5432 || fail "the server did not start; PostgreSQL tests will skip"
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}
as_postgres psql -v ON_ERROR_STOP=1 -qtAc "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dualuse') THEN
    CREATE ROLE dualuse LOGIN PASSWORD 'dualuse' CREATEDB;
  END IF; END \$\$;" || fail "could not create the dualuse role"
if [ -z "$(as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname = 'dualuse_test'")" ]; then
  as_postgres psql -v ON_ERROR_STOP=1 -qc "CREATE DATABASE dualuse_test OWNER dualuse" \
    || fail "could not create the dualuse_test database"
fi
echo "postgres: ready at postgresql://dualuse@127.0.0.1:5432/dualuse_test"
