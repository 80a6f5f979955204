"""The web page: server-rendered, English and Korean, over the same engine and ledger.

Pages: the order form and its verdict card (``/``), the same order under every mode and
scenario (``/compare``), a verdict map (``/map``), the rulebook timeline (``/timeline``),
the ledger (``/ledger``) and restricted-party screening of one name or a customer master
(``/screen``). Reading needs a viewer; committing an order needs an officer.
Where the service asks for keys, the page asks for one once and keeps it in a cookie.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import re
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from dualuse.api.keys import Role
from dualuse.api.routes import language_of
from dualuse.api.security import KEY_COOKIE, Caller, allowed, caller
from dualuse.contract import Determination, Mode, Transaction, parse_transaction
from dualuse.datafiles import data_dir, load_yaml
from dualuse.errors import FieldProblem, InputError, UnknownId

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dualuse.screening.review import Review, ReviewKey
    from dualuse.screening.service import ScreeningAnswer, ScreeningRequest

ORDER_FIELDS = (
    "item", "quantity", "value_usd", "ship_from", "destination", "consignee", "consignee_country",
    "end_user", "end_user_type", "date", "mode", "scenario",
)  # fmt: skip
VERDICTS = ("no_license_required", "authorized", "license_required", "prohibited")


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dualuse", "web/templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _number
    return env


@cache
def _words() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = load_yaml(data_dir("web", "ui.yaml"))
    return data


def language(request: Request) -> str:
    """``?lang=`` if given, else the browser's preference as the API reads it."""
    chosen = request.query_params.get("lang")
    if chosen in ("en", "ko"):
        return chosen
    return language_of(request.headers.get("accept-language")) or "en"


def _render(
    request: Request,
    template: str,
    status: int = 200,
    lang: str | None = None,
    query: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    lang = lang or language(request)
    other = "ko" if lang == "en" else "en"
    if query is None:
        query = {k: v for k, v in request.query_params.items() if k != "lang"}
    switch = f"{request.url.path}?{urlencode({**query, 'lang': other})}"
    html = (
        _environment()
        .get_template(template)
        .render(
            t=_words()[lang],
            lang=lang,
            other_lang=other,
            switch_url=switch,
            query=urlencode(query),
            open_mode=request.app.state.open_mode,
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


class _KeyNeeded(Exception):
    """No usable key: the page asks for one (see ``install``)."""


def _page_role(role: Role) -> Callable[[Request], Awaitable[Caller]]:
    """A page's dependency: the caller if allowed; without a key, the page asking for one;
    with a key whose role is short, a 403 problem as from the API."""

    async def check(request: Request) -> Caller:
        try:
            caller(request)
        except HTTPException:
            raise _KeyNeeded from None
        return allowed(request, role)

    return check


VIEWER = Depends(_page_role(Role.viewer))
Officer = Annotated[Caller, Depends(_page_role(Role.officer))]


# ------------------------------------------------------------------------------- orders


@lru_cache(maxsize=2)
def _countries(lang: str) -> list[tuple[str, str]]:
    import pycountry

    from dualuse.geo.countries import country_name

    rows = [(c.alpha_2, country_name(c.alpha_2, lang)) for c in pycountry.countries]
    return sorted(rows, key=lambda r: r[1])


@cache
def _catalog_options() -> list[tuple[str, str]]:
    from dualuse.catalog.summary import catalog_rows

    return [(r["id"], r["name"]) for r in catalog_rows()]


@cache
def _scenario_ids() -> list[tuple[str, str]]:
    from dualuse.rulebooks import load_registry

    return [(s.id, s.title) for s in load_registry().scenarios()]


def _form(request: Request) -> dict[str, str]:
    return form_values(request.query_params)


def form_values(given: Any) -> dict[str, str]:
    """The order fields from a query or a posted form, with the page's defaults."""
    form = {name: str(given.get(name) or "").strip() for name in ORDER_FIELDS}
    form["quantity"] = form["quantity"] or "1"
    form["ship_from"] = form["ship_from"] or "US"
    form["mode"] = form["mode"] or "enforced"
    form["date"] = form["date"] or dt.date.today().isoformat()
    return form


def _number_or_text(text: str) -> Any:
    """A number where the field holds one; else the text, which the contract's parser then
    names with its field and value (e.g. items[0].quantity)."""
    with contextlib.suppress(ValueError):
        return float(text)
    return text


def order_document(form: dict[str, str], lang: str) -> dict[str, Any]:
    """The form as a contract transaction; the contract's parser then judges it."""
    item: dict[str, Any] = {"catalog": form["item"], "quantity": _number_or_text(form["quantity"])}
    if form["value_usd"]:
        # A licence limited in value can only be drawn by an order that states its value.
        item["value_usd"] = _number_or_text(form["value_usd"])
    parties: dict[str, Any] = {}
    if form["consignee"]:
        parties["consignee"] = {
            "name": form["consignee"],
            "country": form["consignee_country"] or form["destination"] or None,
        }
    if form["end_user"] or form["end_user_type"]:
        parties["end_user"] = {
            "name": form["end_user"] or form["consignee"] or "end user",
            "country": form["consignee_country"] or form["destination"] or None,
            "type": form["end_user_type"] or None,
        }
    return {
        "date": form["date"],
        "mode": form["mode"],
        "scenario": form["scenario"] or None,
        "ship_from": form["ship_from"].upper(),
        "destination": form["destination"].upper(),
        "parties": parties,
        "items": [item],
        "language": lang,
    }


def _determine(request: Request, tx: Transaction) -> Determination:
    from dualuse.engine import determine_many
    from dualuse.ledger import InMemoryLedger

    found: list[Determination] = request.app.state.snapshots.read(
        lambda books: determine_many([tx], InMemoryLedger(base=books))
    )
    return found[0]


def _order_page(
    request: Request,
    det: Determination | None = None,
    form: dict[str, str] | None = None,
    lang: str | None = None,
    **extra: Any,
) -> Response:
    lang = lang or language(request)
    form = form or _form(request)
    return _render(
        request,
        "order.html",
        lang=lang,
        query={k: v for k, v in form.items() if v},
        form=form,
        det=det,
        countries=_countries(lang),
        catalog=_catalog_options(),
        scenarios=_scenario_ids(),
        **extra,
    )


# ---------------------------------------------------------------------------- screening

SCREEN_FIELDS = ("name", "country", "address", "date")
# Bigger masters belong to ``dualuse screen``, which streams its answers: the page holds
# the whole file and its table in memory and answers in one response.
MAX_MASTER_BYTES = 2_000_000
MAX_MASTER_ROWS = 5000
_UNSAFE_IN_NAME = re.compile(r"[^\w.\- ]+")


def screen_form(given: Any) -> dict[str, str]:
    """The screening fields from a query or a posted form, with the page's defaults."""
    form = {name: str(given.get(name) or "").strip() for name in SCREEN_FIELDS}
    form["country"] = form["country"].upper()
    form["date"] = form["date"] or dt.date.today().isoformat()
    return form


def screening_document(form: dict[str, str]) -> dict[str, Any]:
    """The form as a screening request. Blank optional fields are left out so that the
    request's defaults apply; a blank name is kept so that the parser names it."""
    document: dict[str, Any] = {"name": form["name"], "date": form["date"]}
    for key in ("country", "address"):
        if form[key]:
            document[key] = form[key]
    return document


def _reviews(request: Request) -> Mapping[ReviewKey, Review]:
    # The decisions officers recorded (POST /v1/screenings/reviews) are read as the API
    # reads them, so a cleared false positive shows as cleared here too.
    found: Mapping[ReviewKey, Review] = request.app.state.store.screening_reviews()
    return found


def upload_name(filename: str | None) -> str:
    """The uploaded file's own name, as problems quote it ("customers.csv: row 3"). It is
    also the temporary copy's name, so nothing in it may lead out of that folder."""
    name = _UNSAFE_IN_NAME.sub("_", Path(filename or "").name).strip(" .")
    return name or "upload.csv"


def _master_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise InputError.single("date", text, "a date as YYYY-MM-DD") from None


def read_upload(data: bytes, name: str, day: dt.date) -> list[ScreeningRequest]:
    """A customer master sent from the page, read as ``dualuse screen`` reads a file (CSV,
    or JSON Lines by its suffix); rows without a date are screened on ``day``."""
    from dualuse.screening.service import read_master

    if not data.strip():
        raise InputError.single(
            "file", name, "the file is empty: expected a CSV with a name column"
        )
    if len(data) > MAX_MASTER_BYTES:
        raise InputError.single(
            "file", name, f"larger than {MAX_MASTER_BYTES:,} bytes: use `dualuse screen` for it"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            "file", name, f"not UTF-8 text (byte {exc.start}); save the sheet as CSV (UTF-8)"
        ) from None
    with tempfile.TemporaryDirectory(prefix="dualuse-master-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            requests = read_master(path, day)
        except InputError as exc:
            # The temporary copy's path means nothing to the user: name their file instead.
            raise InputError(
                [
                    dataclasses.replace(
                        p,
                        field="file" if p.field == "FILE" else p.field,
                        value=name if p.value == str(path) else p.value,
                    )
                    for p in exc.problems
                ]
            ) from None
        except csv.Error as exc:
            raise InputError.single("file", name, f"not readable as CSV: {exc}") from None
    if len(requests) > MAX_MASTER_ROWS:
        raise InputError.single(
            "file",
            name,
            f"{len(requests):,} rows, more than {MAX_MASTER_ROWS:,}: use `dualuse screen`",
        )
    return requests


def master_rows(answers: list[ScreeningAnswer]) -> list[dict[str, Any]]:
    """One row per customer, with the hit that decides its verdict: hits carrying legal
    effect before the others (a closer name on a list with no effect in dualuse does not
    explain a match), then by score."""
    rows = []
    for answer in answers:
        top = max(answer.hits, key=lambda h: (h.effect, h.score), default=None)
        rows.append({"answer": answer, "top": top})
    return rows


def _shown(problems: Sequence[FieldProblem]) -> list[FieldProblem]:
    # An empty field is shown as missing: quoting its value would print an empty "()".
    return [dataclasses.replace(p, missing=True) if p.value == "" else p for p in problems]


def _screen_page(
    request: Request,
    form: dict[str, str],
    status: int = 200,
    lang: str | None = None,
    **extra: Any,
) -> Response:
    lang = lang or language(request)
    return _render(
        request,
        "screen.html",
        status=status,
        lang=lang,
        form=form,
        countries=_countries(lang),
        **extra,
    )


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(packages=[("dualuse", "web/static")]), name="static")
    # Every page reads; only committing asks for more (its own dependency).
    page = functools.partial(
        app.get, response_class=HTMLResponse, include_in_schema=False, dependencies=[VIEWER]
    )

    @app.exception_handler(_KeyNeeded)
    async def _ask_for_key(request: Request, exc: _KeyNeeded) -> Response:
        return _render(request, "key.html", status=401, next=str(request.url))

    @page("/")
    def order(request: Request) -> Response:
        form = _form(request)
        if not form["item"]:
            return _order_page(request)
        try:
            tx = parse_transaction(order_document(form, language(request)))
        except InputError as exc:
            return _order_page(request, problems=exc.problems)
        return _order_page(request, _determine(request, tx))

    @app.post("/commit", response_class=HTMLResponse, include_in_schema=False)
    async def commit(request: Request, who: Officer) -> Response:
        posted = await request.form()
        form = form_values(posted)
        key = str(posted.get("idempotency_key") or "").strip() or None
        lang = "ko" if posted.get("lang") == "ko" else "en"
        try:
            tx = parse_transaction(order_document(form, lang))
            (done,) = request.app.state.store.commit([tx], who.actor, key)
        except InputError as exc:
            return _order_page(request, form=form, lang=lang, problems=exc.problems)
        return _order_page(request, done.determination, form=form, lang=lang)

    @app.post("/key", include_in_schema=False)
    async def use_key(request: Request) -> Response:
        posted = await request.form()
        target = str(posted.get("next") or "/")
        if not target.startswith(str(request.base_url)) and not target.startswith("/"):
            target = "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            KEY_COOKIE, str(posted.get("key") or ""), httponly=True, samesite="strict"
        )
        return response

    @page("/compare")
    def compare(request: Request) -> Response:
        from dualuse.comparison import compare_variants

        form = _form(request)
        rows: list[dict[str, Any]] = []
        problems = None
        if form["item"]:
            try:
                tx = parse_transaction(order_document(form, language(request)))
                ids: list[str | None] = [None, *(s for s, _ in _scenario_ids())]
                rows = compare_variants(tx, [Mode.enforced, Mode.codified], ids)
            except InputError as exc:
                problems = exc.problems
        return _render(
            request,
            "compare.html",
            form=form,
            rows=rows,
            problems=problems,
            catalog=_catalog_options(),
            countries=_countries(language(request)),
        )

    @page("/map")
    def world_map(request: Request) -> Response:
        from dualuse.web.verdict_map import verdict_map
        from dualuse.web.worldmap import HEIGHT, WIDTH

        form = _form(request)
        form["item"] = form["item"] or "nvidia/h100-sxm"
        problems = None
        shapes: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        try:
            shapes, counts = verdict_map(
                form["item"],
                form["date"],
                form["mode"],
                form["scenario"] or None,
                language(request),
            )
        except InputError as exc:
            problems = exc.problems
        return _render(
            request,
            "map.html",
            form=form,
            shapes=shapes,
            counts=counts,
            problems=problems,
            width=WIDTH,
            height=HEIGHT,
            catalog=_catalog_options(),
            scenarios=_scenario_ids(),
        )

    @page("/timeline")
    def timeline(request: Request) -> Response:
        from dualuse.web.timeline import rows as timeline_rows

        jurisdiction = request.query_params.get("jurisdiction") or None
        data = timeline_rows(jurisdiction)
        return _render(request, "timeline.html", timeline=data, jurisdiction=jurisdiction)

    @page("/screen")
    def screen_party(request: Request) -> Response:
        from dualuse.screening.service import parse_request, screen

        form = screen_form(request.query_params)
        if "name" not in request.query_params:
            return _screen_page(request, form)
        try:
            asked = parse_request(screening_document(form))
        except InputError as exc:
            return _screen_page(request, form, status=422, problems=_shown(exc.problems))
        answer = screen(asked, _reviews(request), language(request))
        return _screen_page(request, form, answer=answer)

    @app.post(
        "/screen/file",
        response_class=HTMLResponse,
        include_in_schema=False,
        dependencies=[VIEWER],
    )
    async def screen_file(request: Request) -> Response:
        from dualuse.screening.service import screen_all

        async with request.form(max_files=1) as posted:
            lang = "ko" if posted.get("lang") == "ko" else "en"
            day_text = str(posted.get("date") or "").strip()
            upload = posted.get("file")
            form = {**screen_form({}), "date": day_text or dt.date.today().isoformat()}
            name = upload_name(upload.filename if isinstance(upload, UploadFile) else None)
            try:
                if not isinstance(upload, UploadFile) or not upload.filename:
                    problem = FieldProblem(
                        "file", None, "choose a customer master (CSV)", missing=True
                    )
                    raise InputError((problem,))
                day = _master_day(day_text)
                data = await upload.read(MAX_MASTER_BYTES + 1)
                requests = await run_in_threadpool(read_upload, data, name, day)
            except InputError as exc:
                return _screen_page(
                    request,
                    form,
                    status=422,
                    lang=lang,
                    problems=_shown(exc.problems),
                    master_name=name,
                )
        reviews = _reviews(request)
        answers = await run_in_threadpool(lambda: list(screen_all(requests, reviews, lang)))
        return _screen_page(request, form, lang=lang, master=master_rows(answers), master_name=name)

    @page("/screen/file")
    def screen_file_again(request: Request) -> Response:
        # Asking for a key, or switching language, repeats the URL as a GET: the file is
        # not kept, so the form is where to send it again.
        return RedirectResponse(f"/screen?lang={language(request)}", status_code=303)

    @page("/ledger")
    def ledger(request: Request) -> Response:
        from dualuse.ledger.audit import verify
        from dualuse.ledger.reading import accounts, licences

        store = request.app.state.store
        return _render(
            request,
            "ledger.html",
            accounts=accounts(store),
            licences=licences(store),
            audit=verify(store),
        )

    @page("/ledger/account")
    def ledger_account(request: Request) -> Response:
        from dualuse.ledger.reading import account

        key = request.query_params.get("key") or ""
        try:
            data = account(request.app.state.store, key)
        except UnknownId as exc:
            raise HTTPException(404, exc.render()) from None
        return _render(request, "account.html", account=data)
