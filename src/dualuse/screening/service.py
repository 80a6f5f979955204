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

from dualuse.contract import CountryCode, ScreeningHit, problems_from
from dualuse.errors import FieldProblem, InputError
from dualuse.screening.review import Review, ReviewKey
from dualuse.screening.screen import screen_name, thresholds


class ScreeningRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500)
    country: CountryCode | None = None
    address: str | None = Field(default=None, max_length=2000)
    date: dt.date | None = None
    reference: str | None = Field(default=None, max_length=200)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a name to screen must not be blank")
        return value.strip()


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


def parse_request(data: Any, where: str = "") -> ScreeningRequest:
    if not isinstance(data, dict):
        raise InputError.single(where or "screening", type(data).__name__, "expected an object")
    try:
        return ScreeningRequest.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, where)) from None


def screen(
    request: ScreeningRequest, reviews: Mapping[ReviewKey, Review] | None = None
) -> ScreeningAnswer:
    day = request.date or dt.date.today()
    hits, view = screen_name(request.name, day, request.country, request.address, reviews)
    t = thresholds()
    if any(h.effect for h in hits):
        verdict = "match"
    elif any(
        h.status == "possible_match" and (h.review is None or not h.review.current) for h in hits
    ):
        verdict = "possible_match"
    else:
        verdict = "clear"
    return ScreeningAnswer(
        reference=request.reference,
        name=request.name,
        country=request.country,
        date=day,
        snapshots=list(view.snapshots),
        match_threshold=t.match,
        possible_threshold=t.possible,
        verdict=verdict,
        hits=hits,
    )


_NAME_COLUMNS = ("name", "party", "company", "customer", "customer_name")


def read_master(path: Path, day: dt.date | None) -> list[ScreeningRequest]:
    """A customer master (CSV with a ``name`` column; ``country``, ``address``, ``date`` and
    ``reference``/``id`` optional, or JSON Lines of the same fields). Every bad row is
    named; none is screened until all are good."""
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
    requests: list[ScreeningRequest], reviews: Mapping[ReviewKey, Review] | None = None
) -> Iterator[ScreeningAnswer]:
    for request in requests:
        yield screen(request, reviews)
