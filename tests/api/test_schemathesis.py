"""Property-based API testing: schemathesis generates requests from the served OpenAPI
document, valid and invalid, for every operation; none may fail with a 500, and every
error must be an RFC 9457 problem document.

The app runs in open mode (an officer, so commits and licences are exercised) over a
fresh SQLite ledger; key management then answers 403, which is itself checked.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from dualuse.api.app import create_app
from dualuse.ledger.store import LedgerStore

_folder = tempfile.TemporaryDirectory()
_store = LedgerStore.open(f"sqlite:///{Path(_folder.name) / 'ledger.db'}")
app = create_app(_store, open_mode=True)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_every_error_a_problem(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (
            response.status_code,
            response.text,
        )
        body = response.json()
        assert body["status"] == response.status_code
        assert body["type"] and body["title"]
