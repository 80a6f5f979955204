"""Checking the audit journal, and writing it out for an auditor.

``verify`` walks the chain from the first entry: numbering without gaps, each entry
linked to the hash of the one before, each hash recomputed from the stored fields and
postings, the head pointing at the last entry. It also checks that the tables read by
determinations (licences, accounts) say what the journal entries that created them say,
and that no posting hangs outside an entry. It reports every break it finds, the first
one first, so an auditor can see where the record stops being trustworthy.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from dualuse.ledger import schema as t
from dualuse.ledger.chain import GENESIS, Entry, Posting, canonical
from dualuse.ledger.store import LedgerStore


@dataclass
class Verification:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    first_break: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def broken(self, seq: int, problem: str) -> None:
        self.problems.append(f"entry {seq}: {problem}")
        if self.first_break is None or seq < self.first_break:
            self.first_break = seq

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "first_break": self.first_break,
            "problems": self.problems,
        }


@dataclass(frozen=True, slots=True)
class StoredEntry(Entry):
    """A journal row with its postings, as read back: the hashed fields and the hash that
    was recorded for them (``hash()`` recomputes it)."""

    recorded_hash: str


def stored_entries(connection: Connection) -> Iterator[StoredEntry]:
    """Every journal entry in order, with its postings (both read in seq order, merged)."""
    posting_rows = iter(
        connection.execute(
            select(t.postings.c.seq, t.postings.c.account, t.postings.c.amount).order_by(
                t.postings.c.seq, t.postings.c.id
            )
        )
    )
    pending = next(posting_rows, None)
    for row in connection.execute(select(t.journal).order_by(t.journal.c.seq)):
        mine: list[Posting] = []
        while pending is not None and pending.seq <= row.seq:
            if pending.seq == row.seq:
                mine.append(Posting(pending.account, pending.amount))
            pending = next(posting_rows, None)
        yield StoredEntry(
            seq=row.seq,
            kind=row.kind,
            recorded_at=row.recorded_at,
            actor=row.actor,
            idempotency_key=row.idempotency_key,
            request_hash=row.request_hash,
            refers_to=row.refers_to,
            body=row.body,
            postings=tuple(mine),
            prev_hash=row.prev_hash,
            recorded_hash=row.hash,
        )


def verify(
    store: LedgerStore,
    expect_head: str | None = None,
    visit: Callable[[StoredEntry], None] | None = None,
) -> Verification:
    """Check the chain and the tables projected from it. ``visit`` sees every entry as it
    is checked, so an export and its verification come from one read of the journal."""
    report = Verification()
    with store.reading() as connection:
        head = connection.execute(
            select(t.ledger_head.c.last_seq, t.ledger_head.c.last_hash)
        ).one_or_none()
        if head is None:
            report.broken(0, "the chain head is missing")
            return report
        report.head_seq, report.head_hash = head.last_seq, head.last_hash
        expected_seq, previous = 1, GENESIS
        seen_hashes = {GENESIS}
        licence_entries: dict[int, str] = {}
        opened: dict[int, set[str]] = defaultdict(set)
        named: dict[int, set[str]] = defaultdict(set)
        for entry in stored_entries(connection):
            if visit is not None:
                visit(entry)
            report.entries += 1
            if entry.seq != expected_seq:
                missing = (
                    f"{expected_seq}"
                    if entry.seq == expected_seq + 1
                    else (f"{expected_seq}-{entry.seq - 1}")
                )
                report.broken(expected_seq, f"missing (entries {missing} deleted)")
            if entry.prev_hash != previous:
                report.broken(
                    entry.seq,
                    "does not link to the entry before it (that entry was changed or removed)",
                )
            if entry.hash() != entry.recorded_hash:
                report.broken(entry.seq, "its contents or postings changed after it was recorded")
            if entry.kind == "licence":
                licence_entries[entry.seq] = canonical(json.loads(entry.body)["licence"])
            if entry.kind == "commit":
                for draw in json.loads(entry.body).get("draws", []):
                    opened[entry.seq].add(
                        json.dumps([draw["account"], draw["unit"], draw["limit"]])
                    )
                    for alias in draw.get("aliases", []):
                        named[entry.seq].add(json.dumps([alias, draw.get("identity")]))
            previous, expected_seq = entry.recorded_hash, entry.seq + 1
            seen_hashes.add(entry.recorded_hash)
        last = expected_seq - 1
        if head.last_seq != last or head.last_hash != previous:
            report.broken(
                min(head.last_seq, last) + 1,
                f"the journal ends at entry {last} but its head records entry {head.last_seq} "
                "(entries removed from the end, or the head altered)",
            )
        if expect_head is not None and expect_head not in seen_hashes:
            report.broken(
                0,
                f"the expected head hash {expect_head[:16]}… is not in the chain "
                "(the journal was rewritten since that hash was taken)",
            )
        _check_orphans(connection, report)
        _check_licences(connection, report, licence_entries)
        _check_accounts(connection, report, opened)
        _check_aliases(connection, report, named)
    return report


def _check_orphans(connection: Connection, report: Verification) -> None:
    known = select(t.journal.c.seq)
    for (seq,) in connection.execute(
        select(t.postings.c.seq).where(t.postings.c.seq.not_in(known)).distinct()
    ):
        report.broken(seq, "has postings but no journal entry")


def _check_licences(connection: Connection, report: Verification, recorded: dict[int, str]) -> None:
    for row in connection.execute(select(t.licences)):
        if recorded.get(row.seq) != row.record:
            report.broken(
                row.seq, f"licence {row.key} in the licences table differs from the journal"
            )


def _check_accounts(
    connection: Connection, report: Verification, opened: dict[int, set[str]]
) -> None:
    for row in connection.execute(select(t.accounts)):
        if json.dumps([row.key, row.unit, row.limit]) not in opened.get(row.opened_seq, set()):
            report.broken(
                row.opened_seq, f"account {row.key} differs from the entry that opened it"
            )


def _check_aliases(
    connection: Connection, report: Verification, named: dict[int, set[str]]
) -> None:
    for row in connection.execute(select(t.aliases)):
        if json.dumps([row.alias, row.identity]) not in named.get(row.seq, set()):
            report.broken(row.seq, f"alias {row.alias} differs from the entry that recorded it")


# --------------------------------------------------------------------------- export

CSV_COLUMNS = (
    "seq",
    "recorded_at",
    "kind",
    "actor",
    "idempotency_key",
    "refers_to",
    "transaction_id",
    "date",
    "verdict",
    "authorizations",
    "postings",
    "prev_hash",
    "hash",
)


def export_records(store: LedgerStore) -> Iterator[dict[str, Any]]:
    with store.reading() as connection:
        for entry in stored_entries(connection):
            yield _record(entry)


def _record(entry: StoredEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "recorded_at": entry.recorded_at,
        "kind": entry.kind,
        "actor": entry.actor,
        "idempotency_key": entry.idempotency_key,
        "request_hash": entry.request_hash,
        "refers_to": entry.refers_to,
        "body": json.loads(entry.body),
        "postings": [{"account": p.account, "amount": p.amount} for p in entry.postings],
        "prev_hash": entry.prev_hash,
        "hash": entry.recorded_hash,
    }


def export_json(store: LedgerStore) -> str:
    """The journal with its verification, both from one read (the entries exported are the
    entries verified, even while others are being committed)."""
    records: list[dict[str, Any]] = []
    report = verify(store, visit=lambda entry: records.append(_record(entry)))
    return json.dumps(
        {"verification": report.as_dict(), "entries": records}, ensure_ascii=False, indent=2
    )


def export_csv(store: LedgerStore) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in export_records(store):
        writer.writerow(_csv_row(record))
    return out.getvalue()


def _csv_row(record: dict[str, Any]) -> dict[str, Any]:
    body = record["body"]
    det = body.get("determination") or {}
    tx = body.get("transaction") or {}
    authorizations = sorted(
        {j["authorization"] for j in det.get("jurisdictions", []) if j.get("authorization")}
    )
    return {
        "seq": record["seq"],
        "recorded_at": record["recorded_at"],
        "kind": record["kind"],
        "actor": record["actor"],
        "idempotency_key": record["idempotency_key"] or "",
        "refers_to": record["refers_to"] or "",
        "transaction_id": tx.get("id") or body.get("transaction_id") or "",
        "date": tx.get("date", ""),
        "verdict": det.get("verdict", ""),
        "authorizations": "+".join(authorizations),
        "postings": "; ".join(f"{p['account']}={p['amount']:.15g}" for p in record["postings"]),
        "prev_hash": record["prev_hash"],
        "hash": record["hash"],
    }
