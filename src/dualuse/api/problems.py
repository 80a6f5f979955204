"""Every error the service returns is an RFC 9457 problem document.

``InputError`` (the same refusals the CLI prints) becomes 422 with one entry per problem
under ``errors``, each naming the field, the value and, where there are any, the closest
suggestions. Framework errors (malformed JSON, a bad query parameter, an unknown route, a
missing key, a body over the size limit) are turned into the same shape; an unexpected
failure is a 500 problem without internals.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dualuse.contract import _location
from dualuse.errors import FieldProblem, InputError, UnknownId

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://dualuse.dev/problems/"

log = logging.getLogger("dualuse.api")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "value": {},
                    "message": {"type": "string"},
                    "suggestions": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str | None = None,
    request: Request | None = None,
    errors: list[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + kind, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
    if errors:
        body["errors"] = [_error(p) for p in errors]
    return JSONResponse(
        body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {})
    )


def _error(p: FieldProblem) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": p.field, "message": p.message}
    if not p.missing:
        entry["value"] = _jsonable(p.value)
    if p.suggestions:
        entry["suggestions"] = list(p.suggestions)
    return entry


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


def invalid(request: Request, problems: list[FieldProblem]) -> JSONResponse:
    detail = "; ".join(p.render() for p in problems)
    return problem(422, "invalid-input", "The input was refused", detail, request, problems)


def install(app: FastAPI) -> None:
    @app.exception_handler(UnknownId)
    async def _unknown(request: Request, exc: UnknownId) -> JSONResponse:
        problems = list(exc.problems)
        return problem(404, "not-found", "No such resource", exc.render(), request, problems)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return invalid(request, list(exc.problems))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            source, rest = (loc[0], loc[1:]) if loc else ("body", ())
            where = _location(rest) if source == "body" else f"{source}.{_location(rest)}"
            if err.get("type") == "missing":
                problems.append(
                    FieldProblem(where, None, "required field is missing", missing=True)
                )
            else:
                message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
                problems.append(FieldProblem(where, err.get("input"), message))
        return invalid(request, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {
            401: ("unauthenticated", "An API key is needed"),
            403: ("forbidden", "This key's role may not do this"),
            404: ("not-found", "No such resource"),
            405: ("method-not-allowed", "Method not allowed"),
            413: ("too-large", "The request body is too large"),
        }
        kind, title = titles.get(exc.status_code, ("http-error", "Request failed"))
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem(exc.status_code, kind, title, detail, request, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "internal", "Internal error", "The failure was logged.", request)
