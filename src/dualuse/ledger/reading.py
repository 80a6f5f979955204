"""What the ledger holds: accounts with their derived balances, their journal, licences."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from dualuse.errors import InputError, UnknownId
from dualuse.ledger import schema as t
from dualuse.ledger.licence import MEASURES, Licence
from dualuse.ledger.store import LedgerStore
from dualuse.ledger.terms import licence_terms


@dataclass(frozen=True)
class AccountBalance:
    account: str
    unit: str
    limit: float
    used: float
    remaining: float
    holder: str | None
    provision: str | None
    postings: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _balances(connection: Connection, key: str | None = None) -> list[AccountBalance]:
    used = func.coalesce(func.sum(t.postings.c.amount), 0.0)
    query = (
        select(t.accounts, used.label("used"), func.count(t.postings.c.id).label("n"))
        .select_from(t.accounts.outerjoin(t.postings, t.postings.c.account == t.accounts.c.key))
        .group_by(*t.accounts.c)
        .order_by(t.accounts.c.key)
    )
    if key is not None:
        query = query.where(t.accounts.c.key == key)
    return [
        AccountBalance(
            r.key,
            r.unit,
            r.limit,
            float(r.used),
            r.limit - float(r.used),
            r.holder,
            r.provision,
            r.n,
        )
        for r in connection.execute(query)
    ]


def accounts(store: LedgerStore) -> list[AccountBalance]:
    with store.reading() as connection:
        return _balances(connection)


def account(store: LedgerStore, key: str) -> dict[str, Any]:
    """One account: its balance and every journal entry that moved it."""
    with store.reading() as connection:
        found = _balances(connection, key)
        if not found:
            known = [b.account for b in _balances(connection)]
            raise UnknownId.single(
                "ACCOUNT", key, "no such account", difflib.get_close_matches(key, known, n=3)
            )
        rows = connection.execute(
            select(
                t.journal.c.seq,
                t.journal.c.recorded_at,
                t.journal.c.kind,
                t.journal.c.actor,
                t.journal.c.refers_to,
                t.journal.c.body,
                t.postings.c.amount,
            )
            .join(t.postings, t.postings.c.seq == t.journal.c.seq)
            .where(t.postings.c.account == key)
            .order_by(t.journal.c.seq)
        )
        movements = []
        for r in rows:
            body = json.loads(r.body)
            tx = body.get("transaction") or {}
            movements.append(
                {
                    "seq": r.seq,
                    "recorded_at": r.recorded_at,
                    "kind": r.kind,
                    "actor": r.actor,
                    "amount": r.amount,
                    "transaction_id": tx.get("id") or body.get("transaction_id"),
                    "date": tx.get("date"),
                    "refers_to": r.refers_to,
                    "reason": body.get("reason"),
                }
            )
    return {**found[0].as_dict(), "journal": movements}


def licences(store: LedgerStore, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every licence with its balances and whether it is valid on ``on`` (default today)."""
    day = on or dt.date.today()
    with store.reading() as connection:
        rows = connection.execute(select(t.licences).order_by(t.licences.c.key)).all()
        return [
            _licence_view(connection, Licence.model_validate_json(r.record), r.seq, day)
            for r in rows
        ]


def licence(store: LedgerStore, number: str, on: dt.date | None = None) -> dict[str, Any]:
    found = [x for x in licences(store, on) if number in (x["number"], x["key"])]
    if not found:
        known = [x["number"] for x in licences(store, on)]
        raise UnknownId.single(
            "NUMBER", number, "no such licence", difflib.get_close_matches(number, known, n=3)
        )
    if len(found) > 1:
        keys = ", ".join(x["key"] for x in found)
        raise InputError.single("NUMBER", number, f"held in several jurisdictions ({keys})")
    return found[0]


def _licence_view(connection: Connection, lic: Licence, seq: int, day: dt.date) -> dict[str, Any]:
    balances = []
    exhausted = False
    for measure in MEASURES:
        limit = lic.limit(measure)
        if limit is None:
            continue
        used = connection.execute(
            select(func.coalesce(func.sum(t.postings.c.amount), 0.0)).where(
                t.postings.c.account == lic.account(measure)
            )
        ).scalar_one()
        remaining = limit - float(used)
        exhausted = exhausted or remaining <= 0
        balances.append(
            {"unit": measure, "limit": limit, "used": float(used), "remaining": remaining}
        )
    if day > lic.valid_until:
        status = "expired"
    elif day < lic.valid_from:
        status = "not_yet_valid"
    else:
        status = "exhausted" if exhausted else "valid"
    return {
        "key": lic.key,
        **lic.model_dump(mode="json"),
        "status": status,
        "as_of": day.isoformat(),
        "balances": balances,
        "recorded_in": seq,
        "terms": licence_terms(lic.jurisdiction).describe(),
    }
