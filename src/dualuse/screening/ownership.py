"""Who owns whom, from a file: the ownership facts the 50 % rule reads, for a whole
customer master at once instead of ``owners`` typed on every party.

One row per holding: ``party`` (the owned company, as the master or an order names it),
``owner``, ``share`` (percent, above 0 and at most 100) and ``owner_country`` (ISO code,
optional). An owner that is itself a ``party`` of another row has its own owners, so
indirect ownership is written as a chain of rows. Names are matched as the ledger matches
consignees (legal forms and punctuation folded). Every bad row is named with its file,
row, column and value, and nothing is read from a file that has one: a share total above
100 % for a party, and an ownership cycle, are bad too.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dualuse.contract import CountryCode, Owner, Party, Transaction, problems_from
from dualuse.errors import FieldProblem, InputError
from dualuse.ledger.identity import normalise_name

MAX_DEPTH = 12
"""Deeper chains than this are refused as a likely error in the file."""

_ALIASES = {
    "party": ("party", "company", "name", "subsidiary", "owned"),
    "owner": ("owner", "shareholder", "parent"),
    "share": ("share", "percent", "share_percent", "ownership"),
    "owner_country": ("owner_country", "country"),
}


class Holding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=500)
    share: float = Field(gt=0, le=100)
    owner_country: CountryCode | None = None


@dataclass
class Ownership:
    """Holdings by the folded name of the owned party."""

    source: str
    holdings: dict[str, list[Holding]] = field(default_factory=dict)

    def owners_of(self, name: str) -> list[Owner]:
        return self._owners(normalise_name(name), 0)

    def _owners(self, key: str, depth: int) -> list[Owner]:
        out = []
        for h in self.holdings.get(key, []):
            nested = self._owners(normalise_name(h.owner), depth + 1) if depth < MAX_DEPTH else []
            out.append(Owner(name=h.owner, share=h.share, country=h.owner_country, owners=nested))
        return out

    def applied(self, party: Party) -> Party:
        """The party with the file's owners when it names none itself (an order's own
        ``owners`` are the more specific statement)."""
        if party.owners:
            return party
        owners = self.owners_of(party.name)
        return party.model_copy(update={"owners": owners}) if owners else party

    def on_transaction(self, tx: Transaction) -> Transaction:
        """The transaction with the file's owners on every party that names none."""
        update = {
            role: self.applied(party) for role, party in tx.parties.named() if role != "exporter"
        }
        changed = {r: p for r, p in update.items() if p is not getattr(tx.parties, r)}
        if not changed:
            return tx
        return tx.model_copy(update={"parties": tx.parties.model_copy(update=changed)})

    def __len__(self) -> int:
        return sum(len(v) for v in self.holdings.values())


def _column(columns: list[str], name: str) -> str | None:
    return next((c for c in _ALIASES[name] if c in columns), None)


def _rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                where = f"{path.name}: line {number}"
                raise InputError.single(where, line[:60], str(exc)) from None
            yield number, row
        return
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().casefold() for c in reader.fieldnames or []]
    chosen = {name: _column(columns, name) for name in _ALIASES}
    missing = [name for name in ("party", "owner", "share") if chosen[name] is None]
    if missing:
        raise InputError.single(
            f"{path.name}: columns",
            ", ".join(columns) or "(none)",
            f"needs columns {', '.join(missing)} (party, owner, share; owner_country optional)",
        )
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
        out: dict[str, Any] = {}
        for name, column in chosen.items():
            if column is not None and row.get(column):
                value = row[column]
                out[name] = value.upper() if name == "owner_country" else value
        yield number, out


def read_ownership(path: Path) -> Ownership:
    """The ownership file at ``path`` (CSV or JSON Lines), checked whole."""
    if not path.is_file():
        raise InputError.single("owners", str(path), "no such file")
    problems: list[FieldProblem] = []
    holdings: dict[str, list[Holding]] = defaultdict(list)
    rows_of: dict[str, list[int]] = defaultdict(list)
    for number, row in _rows(path):
        where = f"{path.name}: row {number}"
        if not isinstance(row, dict):
            problems.append(FieldProblem(where, type(row).__name__, "expected an object"))
            continue
        try:
            holding = Holding.model_validate(row)
        except ValidationError as exc:
            problems += problems_from(exc, where)
            continue
        key = normalise_name(holding.party)
        holdings[key].append(holding)
        rows_of[key].append(number)
    for key, held in holdings.items():
        total = sum(h.share for h in held)
        if total > 100 + 1e-9:
            rows = ", ".join(str(n) for n in rows_of[key])
            problems.append(
                FieldProblem(
                    f"{path.name}: rows {rows}: share",
                    f"{total:g}",
                    f"the owners of {held[0].party} hold more than 100 % together",
                )
            )
    problems += _cycles(path.name, holdings)
    if problems:
        raise InputError(problems)
    if not holdings:
        raise InputError.single("owners", str(path), "holds no ownership rows")
    return Ownership(str(path), dict(holdings))


def _cycles(file: str, holdings: dict[str, list[Holding]]) -> list[FieldProblem]:
    """A company that owns itself through a chain cannot be read as a tree."""
    problems: list[FieldProblem] = []
    reported: set[frozenset[str]] = set()

    def walk(key: str, chain: list[str], names: list[str]) -> None:
        for h in holdings.get(key, []):
            owner = normalise_name(h.owner)
            if owner in chain:
                loop = [*names[chain.index(owner) :], h.owner]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    message = "ownership cycle: " + " <- ".join(loop)
                    problems.append(FieldProblem(f"{file}: owner", h.owner, message))
                continue
            walk(owner, [*chain, owner], [*names, h.owner])

    for key, held in holdings.items():
        walk(key, [key], [held[0].party])
    return problems
