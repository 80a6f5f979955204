"""Opening a ledger database: the engine, its connection settings, and migrations.

SQLite is the embedded default. It runs in WAL mode with ``synchronous=FULL`` so that a
commit, once acknowledged, survives a crash of the process or the machine; every write
transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue for the
write lock instead of failing half-way. PostgreSQL is reached by URL; there, writers queue
on a row lock (see :mod:`dualuse.ledger.store`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from dualuse.errors import InputError, LedgerUnavailable

SQLITE_BUSY_TIMEOUT_S = 120
"""How long an SQLite writer waits for the write lock before giving up (32 writers queue)."""

_ADVISORY_MIGRATION_LOCK = 0x64756C  # PostgreSQL advisory lock id for migrations

WRITER = "dualuse_writer"
"""Execution option marking a connection that will write: on SQLite it begins IMMEDIATE."""


def create(url: str) -> Engine:
    """An engine for ``url``, configured for the ledger's guarantees; the file's folder is made."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError.single("DUALUSE_DATABASE_URL", url, "not a database URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite(url, parsed.database)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            # psycopg 3 is the driver dualuse installs; the bare scheme means it.
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise InputError.single(
        "DUALUSE_DATABASE_URL", url, "dualuse stores its ledger in SQLite or PostgreSQL"
    )


def _sqlite(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # Pooled connections: closing the last connection to a WAL database checkpoints it and
    # removes the WAL file, which costs more than the commit itself.
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off; SQLAlchemy's "begin"
        # event below issues the BEGIN that dualuse wants.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the write lock before reading anything, so two of them never both
        # read a balance and then race to write; readers never block writers (WAL).
        writer = connection.get_execution_options().get(WRITER, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe when many processes open at once."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("dualuse.ledger").joinpath("migrations"))
    )
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.connect() as probe:
            if MigrationContext.configure(probe).get_current_revision() == head:
                return
            probe.rollback()
        with engine.connect().execution_options(**{WRITER: True}) as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    f"SELECT pg_advisory_xact_lock({_ADVISORY_MIGRATION_LOCK})"
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        where = _redacted(str(engine.url))
        raise LedgerUnavailable(f"cannot open the ledger at {where}: {reason}") from None


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"
