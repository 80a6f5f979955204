"""The API tests use the ledger tests' databases: a fresh SQLite file and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.ledger.conftest import ledger_url, postgres_database, store


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests using the API client run against the app in this process; those marked
    ``served`` (what one request stores, a later one reads) also against `dualuse serve`
    with two workers. Starting a served ledger costs seconds, so not every test pays it."""
    if "server" in metafunc.fixturenames:
        served = metafunc.definition.get_closest_marker("served") is not None
        metafunc.parametrize("server", ["in-process", "served"] if served else ["in-process"])


__all__ = ["ledger_url", "postgres_database", "store"]
