"""The service: one FastAPI app for the REST API and the web page, over one ledger.

``create_app`` takes an opened ledger and whether the service runs open (no keys, local
only). ``app_from_settings`` is the factory each worker process of ``dualuse serve`` calls:
it opens the ledger the settings name (:mod:`dualuse.settings`) and reads the open mode
that ``serve`` handed down.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dualuse import __version__
from dualuse.api import problems
from dualuse.api.routes import router
from dualuse.ledger.snapshot import SnapshotCache
from dualuse.ledger.store import LedgerStore

MAX_BODY_BYTES = 1_048_576
"""Largest request body accepted (1 MiB: about 1,000 transactions)."""


class BodyLimit:
    """Refuses bodies over the limit with a 413 problem, before the app reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit():
            # The HTTP server delivers exactly the declared length, so only a body sent
            # without one (chunked) needs counting as it arrives.
            if int(declared) > self.limit:
                await self._refuse(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problems.problem(
            413, "too-large", "The request body is too large", f"at most {self.limit} bytes"
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    warm_up()
    yield
    app.state.snapshots.close()


def warm_up() -> None:
    """Load what every determination reads (rulebooks, catalogue, lists and their index,
    messages) before the first request, then keep it out of the garbage collector's walks.

    Without this each worker's first requests wait for the loading. The loaded data is some
    400,000 objects that live as long as the process: frozen, a full collection no longer
    walks them. What a served process keeps after that (its memos of names and screenings)
    still grows the heap a full collection walks, 40-70 ms on this project's machine, so
    full collections are made ten times rarer than Python's default: they reclaim only
    reference cycles that outlived two younger collections, which requests rarely make,
    and at Python's rate they put a pause in front of 1-2 % of requests under load.
    """
    from dualuse.contract import parse_transaction
    from dualuse.engine import determine
    from dualuse.heap import settle

    order = {
        "date": "2025-06-02",
        "ship_from": "US",
        "destination": "SG",
        "parties": {"consignee": {"name": "Warm-up Pte. Ltd.", "country": "SG"}},
        "items": [{"catalog": "nvidia/h100-sxm", "quantity": 1}],
    }
    for language in ("en", "ko"):
        determine(parse_transaction({**order, "language": language}))
    settle()


def create_app(store: LedgerStore, open_mode: bool = False) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="dualuse",
        version=__version__,
        summary="Export-control determinations for AI chips, AI compute and their inputs.",
        description="Every answer follows the transaction/determination contract; errors "
        "are RFC 9457 problem documents. Send `Accept-Language: ko` for Korean.",
    )
    app.state.store = store
    app.state.snapshots = SnapshotCache(store)
    app.state.open_mode = open_mode
    problems.install(app)
    app.include_router(router)
    _health(app)
    from dualuse.web import pages

    pages.install(app)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_from_settings() -> FastAPI:
    """The app of one worker process, over the ledger the settings name.

    Open mode is taken only together with a loopback address, so that the factory run by
    hand (``uvicorn --factory``) with the variable left set cannot serve keyless beyond
    this machine.
    """
    from dualuse import settings

    open_mode = settings.serve_open()
    if open_mode and not is_loopback(settings.serve_host()):
        raise RuntimeError(
            f"{settings.SERVE_OPEN}=1 is allowed only with a loopback {settings.SERVE_HOST}"
        )
    return create_app(LedgerStore.open(settings.database_url()), open_mode)


def _health(app: FastAPI) -> None:
    @app.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The ledger answers and the rulebooks are loaded")
    def readyz(request: Request) -> Any:
        from sqlalchemy import text

        from dualuse.rulebooks import load_registry

        try:
            with request.app.state.store.reading() as connection:
                connection.execute(text("SELECT 1"))
            versions = len(load_registry().versions())
        except Exception as exc:  # any failure means not ready; say which
            return problems.problem(503, "not-ready", "Not ready", str(exc).splitlines()[0])
        # The process id tells a client which worker answered (several share one port).
        return {"status": "ready", "rulebook_versions": versions, "process": os.getpid()}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document, plus the contract's Transaction schema and problem responses."""
    if app.openapi_schema:
        return app.openapi_schema
    from dualuse.contract import Transaction

    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    tx = Transaction.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(tx.pop("$defs", {}))
    components["Transaction"] = tx
    components["Problem"] = problems.PROBLEM_SCHEMA
    problem_ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["422"] = {"description": "Refused input", "content": problem_ref}
            for code, text in (("401", "No or unknown API key"), ("403", "Role too low"),
                               ("404", "Not found"), ("413", "Body too large"),
                               ("500", "Internal error")):  # fmt: skip
                responses.setdefault(code, {"description": text, "content": problem_ref})
    app.openapi_schema = schema
    return schema
