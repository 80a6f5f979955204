"""The API tests use the ledger tests' databases: a fresh SQLite file and PostgreSQL."""

from __future__ import annotations

from tests.ledger.conftest import ledger_url, postgres_database, store

__all__ = ["ledger_url", "postgres_database", "store"]
