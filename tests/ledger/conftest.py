"""Ledger databases for the tests: a fresh SQLite file, and a fresh PostgreSQL database.

PostgreSQL is the real server ``scripts/postgres.sh`` starts. Where none can be reached
its tests skip and say why, unless ``DUALUSE_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dualuse.ledger.store import LedgerStore

POSTGRES_URL = os.environ.get(
    "DUALUSE_TEST_POSTGRES_URL",
    "postgresql+psycopg://dualuse:dualuse@127.0.0.1:5432/dualuse_test",
)
BACKENDS = ["sqlite", "postgresql"]


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server to test against
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server at {make_url(POSTGRES_URL).render_as_string()}: {first}"
    return None


_REASON: list[str | None] = []


def postgres_reason() -> str | None:
    if not _REASON:
        _REASON.append(_postgres_unavailable())
    return _REASON[0]


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    reason = postgres_reason()
    if reason is not None:
        if os.environ.get("DUALUSE_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"dualuse_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    # WITH (FORCE) may not end an autovacuum worker that has just started on the database
    # (it runs as another role); it finishes within moments, so try again.
    for attempt in range(20):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.25)


@pytest.fixture(params=BACKENDS)
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def store(ledger_url: str) -> Iterator[LedgerStore]:
    opened = LedgerStore.open(ledger_url)
    yield opened
    opened.close()
