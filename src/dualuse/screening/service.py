"""Screening as a user asks it: one name, or a customer master file, and re-screening.

The same function serves ``dualuse screen``, ``POST /v1/screenings`` and the Screen page:
a request names the party (name, optional country, address, date) and the answer lists
its hits with their explanations, the list entry's citation and the snapshots read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dualuse.contract import (
    CountryCode,
    Owner,
    Party,
    PartyScreening,
    Reason,
    ScreeningHit,
    problems_from,
)
from dualuse.errors import FieldProblem, InputError
from dualuse.screening.ownership import Ownership
from dualuse.screening.review import Review, ReviewKey
from dualuse.screening.screen import screen_name, thresholds


class ScreeningRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500)
    country: CountryCode | None = None
    address: str | None = Field(default=None, max_length=2000)
    date: dt.date | None = None
    reference: str | None = Field(default=None, max_length=200)
    owners: list[Owner] = Field(
        default_factory=list,
        description="Who holds shares in the party (directly, and through owners' owners), "
        "for the 50 % rule; from the request or an ownership file.",
    )

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a name to screen must not be blank")
        return value.strip()

    @field_validator("owners")
    @classmethod
    def _shares_add_up(cls, owners: list[Owner]) -> list[Owner]:
        total = sum(o.share for o in owners)
        if total > 100.0001:
            raise ValueError(f"owners' shares add up to {total:g} %, more than 100 %")
        return owners


class Affiliation(BaseModel):
    """A restriction the party inherits from its owners (90 FR 47201)."""

    via: str = Field(description="The chain of owners, with their shares.")
    share: float = Field(description="Percent of the party held by listed owners together.")
    hit: ScreeningHit
    citation: str


class ScreeningAnswer(BaseModel):
    reference: str | None = None
    name: str
    country: str | None = None
    date: dt.date
    snapshots: list[str]
    match_threshold: float
    possible_threshold: float
    verdict: str = Field(description="match, possible_match or clear")
    hits: list[ScreeningHit]
    owners: list[PartyScreening] = Field(
        default_factory=list, description="The owners screened, with the chain and share."
    )
    affiliation: list[Affiliation] = Field(
        default_factory=list,
        description="Listed owners whose restrictions the party takes on under the 50 % rule "
        "on the date (empty outside the rule's windows).",
    )
    warnings: list[Reason] = Field(default_factory=list)


def parse_request(data: Any, where: str = "") -> ScreeningRequest:
    if not isinstance(data, dict):
        raise InputError.single(where or "screening", type(data).__name__, "expected an object")
    try:
        return ScreeningRequest.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, where)) from None


def screen(
    request: ScreeningRequest,
    reviews: Mapping[ReviewKey, Review] | None = None,
    language: str = "en",
) -> ScreeningAnswer:
    day = request.date or dt.date.today()
    if request.owners:
        return _screen_with_owners(request, day, reviews or {}, language)
    hits, view = screen_name(request.name, day, request.country, request.address, reviews)
    return _answer(request, day, list(view.snapshots), hits)


def _answer(
    request: ScreeningRequest,
    day: dt.date,
    snapshots: list[str],
    hits: list[ScreeningHit],
    owners: list[PartyScreening] | None = None,
    affiliation: list[Affiliation] | None = None,
    warnings: list[Reason] | None = None,
) -> ScreeningAnswer:
    t = thresholds()
    if any(h.effect for h in hits) or affiliation:
        verdict = "match"
    elif any(
        h.status == "possible_match" and (h.review is None or not h.review.current)
        for h in [*hits, *(x for o in owners or [] for x in o.hits)]
    ):
        verdict = "possible_match"
    else:
        verdict = "clear"
    return ScreeningAnswer(
        reference=request.reference,
        name=request.name,
        country=request.country,
        date=day,
        snapshots=snapshots,
        match_threshold=t.match,
        possible_threshold=t.possible,
        verdict=verdict,
        hits=hits,
        owners=owners or [],
        affiliation=affiliation or [],
        warnings=warnings or [],
    )


def _screen_with_owners(
    request: ScreeningRequest,
    day: dt.date,
    reviews: Mapping[ReviewKey, Review],
    language: str,
) -> ScreeningAnswer:
    """The party and its owners, screened as a US determination screens them: the 50 %
    rule's windows and lists come from the rulebooks in force on the day."""
    from dualuse.explain.messages import render_all
    from dualuse.rulebooks import resolve
    from dualuse.rules.us.parties import find

    party = Party(
        name=request.name, country=request.country, address=request.address, owners=request.owners
    )
    findings = find([("party", party)], day, resolve("us", day), lambda: reviews)
    screening = findings.screening
    if screening is None:  # no restricted-party provision on the day: the bare screening
        hits, view = screen_name(request.name, day, request.country, request.address, reviews)
        return _answer(request, day, list(view.snapshots), hits)
    own = next((p for p in screening.parties if p.via is None), None)
    hits = own.hits if own is not None else []
    # One line per listed entry reached, through the longest chain that reaches it (the
    # rule records an owner's listing at each level it is inherited through).
    by_entry: dict[str, Affiliation] = {}
    for x in findings.listed:
        if x.via is None:
            continue
        held = by_entry.get(x.hit.entry_id)
        if held is None or len(x.via) > len(held.via):
            by_entry[x.hit.entry_id] = Affiliation(
                via=x.via, share=x.share or 0.0, hit=x.hit, citation=x.citation
            )
    affiliation = list(by_entry.values())
    return _answer(
        request,
        day,
        screening.snapshots,
        hits,
        [p for p in screening.parties if p.via is not None],
        affiliation,
        render_all(findings.warnings, language),
    )


_NAME_COLUMNS = ("name", "party", "company", "customer", "customer_name")


def read_master(
    path: Path, day: dt.date | None, ownership: Ownership | None = None
) -> list[ScreeningRequest]:
    """A customer master (CSV with a ``name`` column; ``country``, ``address``, ``date`` and
    ``reference``/``id`` optional, or JSON Lines of the same fields). Every bad row is
    named; none is screened until all are good. With ``ownership`` (an ownership file),
    each customer is screened with its owners."""
    if not path.is_file():
        raise InputError.single("FILE", str(path), "no such file")
    text = path.read_text(encoding="utf-8-sig")
    rows: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((number, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise InputError.single(
                        f"{path.name}: line {number}", line[:60], str(exc)
                    ) from None
    else:
        reader = csv.DictReader(io.StringIO(text))
        columns = [c.strip().casefold() for c in reader.fieldnames or []]
        name_column = next((c for c in _NAME_COLUMNS if c in columns), None)
        if name_column is None:
            raise InputError.single(
                f"{path.name}: columns", ", ".join(columns) or "(none)", "no `name` column"
            )
        for number, raw in enumerate(reader, start=2):
            row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
            out: dict[str, Any] = {"name": row.get(name_column, "")}
            for key in ("country", "address", "date"):
                if row.get(key):
                    out[key] = row[key].upper() if key == "country" else row[key]
            ref = row.get("reference") or row.get("id")
            if ref:
                out["reference"] = ref
            rows.append((number, out))
    problems: list[FieldProblem] = []
    requests = []
    for number, row in rows:
        if day is not None and "date" not in row:
            row = {**row, "date": day.isoformat()}
        if ownership is not None and not row.get("owners") and isinstance(row.get("name"), str):
            owners = ownership.owners_of(row["name"])
            if owners:
                row = {**row, "owners": [o.model_dump(mode="json") for o in owners]}
        try:
            requests.append(parse_request(row, f"{path.name}: row {number}"))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    if not requests:
        raise InputError.single("FILE", str(path), "holds no rows to screen")
    return requests


def screen_all(
    requests: list[ScreeningRequest],
    reviews: Mapping[ReviewKey, Review] | None = None,
    language: str = "en",
) -> Iterator[ScreeningAnswer]:
    for request in requests:
        yield screen(request, reviews, language)
