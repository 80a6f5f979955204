"""The v1 REST endpoints: the same contract and the same functions as the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import TypeAdapter, ValidationError

from dualuse.api.keys import Role, create_key, list_keys, parse_role, revoke_key
from dualuse.api.security import Caller, allowed, header_values, requires
from dualuse.contract import Determination, Language, Mode, Transaction, parse_transaction
from dualuse.engine import determine_many, evaluate
from dualuse.errors import FieldProblem, InputError
from dualuse.ledger import InMemoryLedger
from dualuse.validation import check_references

router = APIRouter(prefix="/v1")

Viewer = Annotated[Caller, Depends(requires(Role.viewer))]
Officer = Annotated[Caller, Depends(requires(Role.officer))]
Admin = Annotated[Caller, Depends(requires(Role.admin))]
DateQuery = Annotated[dt.date | None, Query(description="As-of date (default today).")]

_TX_REF = {"$ref": "#/components/schemas/Transaction"}
TRANSACTIONS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [_TX_REF, {"type": "array", "items": _TX_REF, "maxItems": 1000}]
                }
            }
        },
    }
}
ONE_TRANSACTION_BODY: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": _TX_REF}}}
}
MAX_BATCH = 1000


def language_of(accept_language: str | None) -> str | None:
    """``ko`` when the caller prefers Korean, else None (the transaction's own choice)."""
    if not accept_language:
        return None
    first = accept_language.split(",")[0].strip().lower()
    return "ko" if first.startswith("ko") else None


async def json_body(request: Request) -> Any:
    return parse_json(await request.body())


def parse_json(body: bytes) -> Any:
    # pydantic-core's parser: a third of the time of json.loads, and the body is UTF-8 JSON
    # by RFC 8259 (it says where the first fault is, as json.loads did).
    try:
        return pydantic_core.from_json(body)
    except ValueError as exc:
        raise InputError.single("body", None, f"not valid JSON: {exc}") from None


def parse_transactions(data: Any, language: str | None) -> tuple[list[Transaction], bool]:
    """Every transaction in a body (one object or a list), with every problem at once."""
    batch = isinstance(data, list)
    documents = data if batch else [data]
    if batch and not documents:
        raise InputError.single("body", [], "an empty list has nothing to determine")
    if len(documents) > MAX_BATCH:
        raise InputError.single("body", len(documents), f"at most {MAX_BATCH} transactions")
    found: list[Transaction] = []
    problems: list[FieldProblem] = []
    for i, raw in enumerate(documents):
        try:
            found.append(in_language(parse_transaction(raw, f"[{i}]" if batch else ""), language))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return found, batch


def transactions_in(body: bytes, language: str | None) -> tuple[list[Transaction], bool]:
    """:func:`parse_transactions` of a request body. One object (the common request) is
    validated from the JSON text itself, without building its dicts first; any problem
    with it is reported by the general path, so the report is the same either way."""
    if body.lstrip()[:1] == b"{":
        try:
            tx = Transaction.model_validate_json(body)
        except ValidationError:
            pass
        else:
            check_references(tx)
            return [in_language(tx, language)], False
    return parse_transactions(parse_json(body), language)


def in_language(tx: Transaction, language: str | None) -> Transaction:
    """``tx`` answered in the caller's language (Accept-Language), unless it names its own."""
    if language and "language" not in tx.model_fields_set:
        return tx.model_copy(update={"language": Language(language)})
    return tx


def one_transaction(data: Any, language: str | None, field: str = "body") -> Transaction:
    if not isinstance(data, dict):
        raise InputError.single(field, type(data).__name__, "expected one transaction (an object)")
    (tx,), _ = parse_transactions(data, language)
    return tx


# -------------------------------------------------------------------------- determinations


DETERMINATION_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "commit",
        "in": "query",
        "required": False,
        "description": "Record in the ledger, drawing quotas and licences (officer).",
        "schema": {"type": "boolean", "default": False},
    },
    {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "With commit=true: the same key returns the first result, draws once.",
        "schema": {"type": "string", "maxLength": 200},
    },
    {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"}},
]


def _flag(request: Request, name: str) -> bool:
    if not request.scope["query_string"]:
        return False  # most requests have no query; spare parsing an empty one
    raw = request.query_params.get(name)
    if raw is None:
        return False
    if raw.lower() in ("true", "1", "yes", "on"):
        return True
    if raw.lower() in ("false", "0", "no", "off"):
        return False
    raise InputError.single(f"query.{name}", raw, "must be true or false")


@router.post(
    "/determinations",
    response_model=Determination | list[Determination],
    openapi_extra={**TRANSACTIONS_BODY, "parameters": DETERMINATION_PARAMETERS},
    summary="Determine one transaction or a list (in date order); commit to draw the ledger",
)
async def determinations(request: Request) -> Any:
    # The hot path: parameters are read here rather than declared, which spares FastAPI's
    # dependency solving (a sixth of a request's time); they are documented above.
    who = allowed(request, Role.viewer)
    commit = _flag(request, "commit")
    idempotency_key, accept_language = header_values(
        request, b"idempotency-key", b"accept-language"
    )
    if idempotency_key is not None and len(idempotency_key) > 200:
        raise InputError.single(
            "header.idempotency-key", idempotency_key[:40], "at most 200 characters"
        )
    transactions, batch = transactions_in(await request.body(), language_of(accept_language))
    store = request.app.state.store
    if commit:
        officer = allowed(request, Role.officer)
        if idempotency_key is not None and not idempotency_key.strip():
            raise InputError.single("header.idempotency-key", idempotency_key, "must not be empty")
        done = store.commit(transactions, officer.actor, idempotency_key)
        results = [d.determination for d in done]
    else:
        if idempotency_key is not None:
            raise InputError.single(
                "header.idempotency-key", idempotency_key, "only meaningful with commit=true"
            )
        results = request.app.state.snapshots.read(
            lambda books: what_if(transactions, InMemoryLedger(base=books))
        )
    del who
    # Serialised here rather than by FastAPI's response_model step: the models are already
    # validated, and this is the hot path (the model stays declared for the OpenAPI document).
    body = _DETERMINATIONS.dump_json(results) if batch else _DETERMINATION.dump_json(results[0])
    return Response(body, media_type="application/json")


def what_if(transactions: list[Transaction], book: InMemoryLedger) -> list[Determination]:
    """The batch against ``book``; one transaction has no later order to draw for, so it is
    evaluated without the batch's ordering and book-keeping (the hot path)."""
    if len(transactions) == 1:
        return [evaluate(transactions[0], book).determination]
    return determine_many(transactions, book)


_DETERMINATION = TypeAdapter(Determination)
_DETERMINATIONS = TypeAdapter(list[Determination])


COMPARE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["transaction"],
                    "properties": {
                        "transaction": _TX_REF,
                        "modes": {
                            "type": "array",
                            "items": {"enum": ["enforced", "codified"]},
                        },
                        "scenarios": {"type": "array", "items": {"type": "string"}},
                    },
                }
            }
        },
    }
}


@router.post(
    "/compare",
    openapi_extra=COMPARE_BODY,
    summary="The same transaction under several modes and scenarios",
)
async def compare(
    request: Request, who: Viewer, accept_language: Annotated[str | None, Header()] = None
) -> Any:
    from dualuse.comparison import compare_variants

    data = await json_body(request)
    if not isinstance(data, dict) or "transaction" not in data:
        raise InputError.single("transaction", None, "required field is missing")
    tx = one_transaction(data["transaction"], language_of(accept_language), "transaction")
    modes_raw = data.get("modes") or ["enforced", "codified"]
    scenarios = data.get("scenarios") or []
    if not isinstance(modes_raw, list) or not isinstance(scenarios, list):
        raise InputError.single("modes", modes_raw, "modes and scenarios are lists")
    problems = [
        FieldProblem(f"modes[{i}]", m, "must be enforced or codified")
        for i, m in enumerate(modes_raw)
        if m not in ("enforced", "codified")
    ]
    problems += [
        FieldProblem(f"scenarios[{i}]", s, "must be a scenario id")
        for i, s in enumerate(scenarios)
        if not isinstance(s, str)
    ]
    if problems:
        raise InputError(problems)
    del who
    return compare_variants(tx, [Mode(m) for m in modes_raw], [None, *scenarios], "scenarios")


@router.post(
    "/classifications",
    openapi_extra=ONE_TRANSACTION_BODY,
    summary="US classification (3A090/4A090, TPP, PD) of an order's items on its date",
)
async def classifications(
    request: Request, who: Viewer, accept_language: Annotated[str | None, Header()] = None
) -> Any:
    from dualuse.classification import classify_order

    tx = one_transaction(await json_body(request), language_of(accept_language))
    del who
    return [r.model_dump(mode="json") for r in classify_order(tx)]


# ------------------------------------------------------------------ reference data (read)


@router.get("/rulebooks", summary="Every rulebook version with dates and status on a date")
def rulebooks(
    who: Viewer, date: DateQuery = None, jurisdiction: Annotated[str | None, Query()] = None
) -> Any:
    from dualuse.rulebooks import load_registry
    from dualuse.rulebooks.summary import summarize_registry

    registry = load_registry()
    if jurisdiction is not None and jurisdiction not in registry.jurisdictions():
        raise InputError.single(
            "query.jurisdiction",
            jurisdiction,
            "unknown; known: " + ", ".join(registry.jurisdictions()),
        )
    del who
    return summarize_registry(registry, date or dt.date.today(), jurisdiction)


@router.get(
    "/rulebooks/{rulebook_id}", summary="One version or scenario: history, sources, parameters"
)
def rulebook(rulebook_id: str, request: Request, who: Viewer) -> Any:
    from dualuse.rulebooks import load_registry

    del who
    entry = load_registry().get(rulebook_id)
    return entry.model_dump(mode="json", by_alias=True, exclude_none=True)


@router.get("/scenarios", summary="Scenario overlays (proposed or hypothetical rule sets)")
def scenarios(who: Viewer) -> Any:
    from dualuse.rulebooks import load_registry
    from dualuse.rulebooks.summary import summarize_registry

    del who
    return summarize_registry(load_registry(), dt.date.today())["scenarios"]


@router.get("/catalog", summary="Catalog items with computed TPP and PD")
def catalog(
    who: Viewer,
    vendor: Annotated[str | None, Query()] = None,
    kind: Annotated[str | None, Query(pattern="^(ic|system|hbm)$")] = None,
    q: Annotated[str | None, Query(description="Search in ids and names.", max_length=100)] = None,
) -> Any:
    from dualuse.catalog.summary import catalog_rows

    del who
    rows = catalog_rows(vendor, kind)
    if q:
        needle = q.casefold()
        rows = [r for r in rows if needle in r["id"].casefold() or needle in r["name"].casefold()]
    return rows


@router.get("/catalog/{item_id:path}", summary="One catalog item: sourced specs and metrics")
def catalog_item(item_id: str, request: Request, who: Viewer) -> Any:
    from dualuse.catalog.summary import catalog_detail

    del who
    return catalog_detail(item_id)


@router.get("/countries/{code}", summary="A country's EAR groups and AI Diffusion tier on a date")
def country(code: str, request: Request, who: Viewer, date: DateQuery = None) -> Any:
    from dualuse.geo.summary import country_summary

    del who
    return country_summary(code.upper(), date or dt.date.today())


# ---------------------------------------------------------------------------- the ledger


@router.get("/ledger/accounts", summary="Accounts with limit, used and remaining")
def ledger_accounts(request: Request, who: Viewer) -> Any:
    from dualuse.ledger.reading import accounts

    del who
    return [a.as_dict() for a in accounts(request.app.state.store)]


@router.get("/ledger/accounts/{account:path}", summary="One account with its journal")
def ledger_account(account: str, request: Request, who: Viewer) -> Any:
    from dualuse.ledger.reading import account as read_account

    del who
    return read_account(request.app.state.store, account)


@router.post("/ledger/releases", summary="Release a committed shipment's draws (officer)")
async def ledger_release(request: Request, who: Officer) -> Any:
    data = await json_body(request)
    if not isinstance(data, dict):
        raise InputError.single("body", data, "expected an object with entry and reason")
    entry, reason = data.get("entry"), data.get("reason")
    problems = []
    if not isinstance(entry, int) or isinstance(entry, bool) or entry < 1:
        problems.append(FieldProblem("entry", entry, "a journal entry number"))
    if not isinstance(reason, str) or not reason.strip():
        problems.append(FieldProblem("reason", reason, "say why the draw is released"))
    if problems:
        raise InputError(problems)
    assert isinstance(entry, int) and isinstance(reason, str)
    done = request.app.state.store.release(entry, who.actor, reason.strip())
    return {"released": entry, "entry": done.seq, "hash": done.hash}


@router.get("/licences", summary="Licences with status on a date and balances")
def licences_list(request: Request, who: Viewer, date: DateQuery = None) -> Any:
    from dualuse.ledger.reading import licences

    del who
    return licences(request.app.state.store, date)


@router.get("/licences/{number}", summary="One licence: terms, status and balances")
def licences_show(number: str, request: Request, who: Viewer, date: DateQuery = None) -> Any:
    from dualuse.ledger.reading import licence

    del who
    return licence(request.app.state.store, number, date)


@router.post("/licences", status_code=201, summary="Record a licence (officer)")
async def licences_add(request: Request, who: Officer) -> Any:
    from dualuse.ledger.licence import parse_licence

    found = parse_licence(await json_body(request))
    done = request.app.state.store.add_licence(found, who.actor)
    return {"licence": found.key, "entry": done.seq, "hash": done.hash}


@router.get("/audit/verify", summary="Recompute the hash chain; where it breaks, if it does")
def audit_verify(
    request: Request,
    who: Viewer,
    expect_head: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
) -> Any:
    from dualuse.ledger.audit import verify

    del who
    return verify(request.app.state.store, expect_head).as_dict()


@router.get("/audit/export", summary="The journal for an auditor, CSV or JSON")
def audit_export(
    request: Request,
    who: Viewer,
    format: Annotated[str, Query(pattern="^(csv|json)$")] = "json",
) -> Response:
    from dualuse.ledger.audit import export_csv, export_json

    del who
    store = request.app.state.store
    if format == "csv":
        return PlainTextResponse(export_csv(store), media_type="text/csv")
    return Response(export_json(store), media_type="application/json")


# -------------------------------------------------------------------------------- keys


@router.get("/keys", summary="API keys (admin); secrets are never shown again")
def keys_list(request: Request, who: Admin) -> Any:
    del who
    return [k.as_dict() for k in list_keys(request.app.state.store)]


@router.post("/keys", status_code=201, summary="Create an API key (admin); the key is shown once")
async def keys_create(request: Request, who: Admin) -> Any:
    data = await json_body(request)
    if not isinstance(data, dict):
        raise InputError.single("body", data, "expected an object with name and role")
    name, role = data.get("name"), data.get("role")
    if not isinstance(name, str):
        raise InputError.single("name", name, "a name for the key's holder")
    key, text = create_key(request.app.state.store, name, parse_role(str(role)))
    del who
    return {**key.as_dict(), "key": text}


@router.delete("/keys/{key_id}", summary="Revoke an API key (admin)")
def keys_revoke(key_id: str, request: Request, who: Admin) -> Any:
    del who
    return revoke_key(request.app.state.store, key_id).as_dict()


# ------------------------------------------------------------------ restricted parties


@router.post(
    "/screenings",
    summary="Screen a party (or a list of parties) against the restricted-party lists on a date",
)
async def screenings(request: Request, who: Viewer) -> Any:
    from dualuse.screening.service import parse_request, screen

    data = await json_body(request)
    batch = isinstance(data, list)
    items = data if batch else [data]
    if not items:
        raise InputError.single("body", [], "expected at least one party to screen")
    requests = [parse_request(d, f"[{i}]" if batch else "") for i, d in enumerate(items)]
    reviews = request.app.state.store.screening_reviews()
    answers = [screen(r, reviews).model_dump(mode="json") for r in requests]
    del who
    return answers if batch else answers[0]


@router.post("/screenings/reviews", summary="Record a review decision on a screening hit")
async def screening_review(request: Request, who: Officer) -> Any:
    from dualuse.screening.review import party_key
    from dualuse.screening.screen import review_target

    data = await json_body(request)
    if not isinstance(data, dict):
        raise InputError.single("body", type(data).__name__, "expected an object")
    for field in ("party", "entry_id", "decision", "reason"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise InputError.single(field, data.get(field), "required, a non-empty string")
    entry, version = review_target(
        data["entry_id"], data.get("entry_version"), "entry_id", "entry_version"
    )
    country = data.get("country")
    done = request.app.state.store.review_screening(
        party_key(data["party"], country),
        data["party"],
        entry.entry_id,
        version,
        entry.name,
        data["decision"],
        data["reason"].strip(),
        who.actor,
    )
    return {"seq": done.seq, "hash": done.hash, "entry_id": entry.entry_id}


@router.get("/lists", summary="The list snapshots held and those a determination on a date reads")
def lists(who: Viewer, date: DateQuery = None) -> Any:
    import datetime as dt

    from dualuse.lists.store import REGISTRY, view_for

    day = date or dt.date.today()
    view = view_for(day)
    del who
    return {
        "date": day.isoformat(),
        "read_on_date": list(view.snapshots),
        "in_force": len(view.entries),
        "snapshots": [s.manifest.model_dump(mode="json") for s in REGISTRY.snapshots()],
    }
