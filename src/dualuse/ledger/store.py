"""The durable ledger: commits, releases and licences as journal entries in a database.

Every change is one journal entry appended under a lock on the chain head, so entries
form one total order and each entry's hash covers the one before. A commit evaluates
its transactions *inside* that lock, against balances read in the same database
transaction, then writes the determination and its draws together: either all of a
request's draws are recorded or none, and no two writers can both take the last unit of
an account. Balances are sums of postings; nothing is ever updated in place except the
head pointer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from dualuse import __version__
from dualuse.contract import Determination, JournalEntryRef, Transaction
from dualuse.errors import InputError
from dualuse.ledger import schema as t
from dualuse.ledger.base import Draw, check_draws
from dualuse.ledger.chain import Entry, Posting, canonical, digest
from dualuse.ledger.database import WRITER, create, migrate
from dualuse.ledger.licence import Licence
from dualuse.screening.review import Review


@dataclass(frozen=True)
class Committed:
    """One journal entry written (or found again by its idempotency key)."""

    seq: int
    hash: str
    recorded_at: str
    actor: str
    idempotency_key: str | None
    replayed: bool
    determination: Determination | None = None

    def with_determination(self, det: Determination) -> Committed:
        """This entry with its determination, which then says where it was recorded."""
        return replace(self, determination=det.model_copy(update={"journal": self.ref()}))

    def ref(self) -> JournalEntryRef:
        return JournalEntryRef(
            seq=self.seq,
            hash=self.hash,
            recorded_at=self.recorded_at,
            actor=self.actor,
            idempotency_key=self.idempotency_key,
            replayed=self.replayed,
        )


# The statements every commit runs, built once: building a SQLAlchemy statement costs
# more than executing it against SQLite.
_USAGE = select(func.coalesce(func.sum(t.postings.c.amount), 0.0)).where(
    t.postings.c.account == bindparam("account")
)
_LICENCES = select(t.licences.c.record).where(t.licences.c.jurisdiction == bindparam("j"))
_HEAD = (
    select(t.ledger_head.c.last_seq, t.ledger_head.c.last_hash)
    .where(t.ledger_head.c.id == 1)
    .with_for_update()
)
_MOVE_HEAD = update(t.ledger_head).where(t.ledger_head.c.id == 1)
_ACCOUNT_KNOWN = select(t.accounts.c.key).where(t.accounts.c.key == bindparam("key"))
_INSERT_JOURNAL = insert(t.journal)
_INSERT_POSTINGS = insert(t.postings)
_INSERT_ACCOUNT = insert(t.accounts)
_ALIASES = select(t.aliases.c.alias, t.aliases.c.identity).where(
    t.aliases.c.alias.in_(bindparam("aliases", expanding=True))
)
_INSERT_ALIAS = insert(t.aliases)


class SessionLedger:
    """Balances and licences as one database transaction sees them."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._licences: dict[str, list[Licence]] = {}

    def usage(self, account: str) -> float:
        total = self._connection.execute(_USAGE, {"account": account}).scalar_one()
        return float(total)

    def identities(self, aliases: Sequence[str]) -> dict[str, str]:
        if not aliases:
            return {}
        rows = self._connection.execute(_ALIASES, {"aliases": list(aliases)})
        return {alias: identity for alias, identity in rows}

    def screening_reviews(self) -> dict[tuple[str, str], Review]:
        rows = self._connection.execute(select(t.screening_reviews))
        return {
            (r.party_key, r.entry_id): Review(r.decision, r.reason, r.actor, r.seq, r.entry_version)
            for r in rows
        }

    def licences(self, jurisdiction: str) -> Sequence[Licence]:
        if jurisdiction not in self._licences:
            rows = self._connection.execute(_LICENCES, {"j": jurisdiction})
            self._licences[jurisdiction] = [Licence.model_validate_json(r[0]) for r in rows]
        return self._licences[jurisdiction]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def request_hash(tx: Transaction) -> str:
    return digest(canonical(tx.model_dump(mode="json")))


MAX_KEY_LENGTH = 200
"""Longest idempotency key accepted (a batch adds ``[i]`` to it)."""
MAX_SEQ = 2**31 - 1
"""Entry numbers are 32-bit integers on PostgreSQL; a larger number cannot exist."""


def batch_keys(key: str | None, count: int) -> list[str | None]:
    """One idempotency key per transaction: the key itself, or ``key[i]`` in a batch."""
    if key is None:
        return [None] * count
    return [key] if count == 1 else [f"{key}[{i}]" for i in range(count)]


class LedgerStore:
    """A ledger database, migrated to the current schema when opened."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> LedgerStore:
        engine = create(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # --------------------------------------------------------------------- transactions

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A database transaction for reading (on SQLite it takes no write lock)."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def _writing(self) -> Iterator[_Appender]:
        connect = self.engine.connect().execution_options(**{WRITER: True})
        with connect as connection, connection.begin():
            head = connection.execute(_HEAD).one()
            appender = _Appender(connection, head.last_seq, head.last_hash)
            yield appender
            if appender.seq != head.last_seq:
                connection.execute(
                    _MOVE_HEAD, {"last_seq": appender.seq, "last_hash": appender.hash}
                )

    # --------------------------------------------------------------------------- writes

    def commit(
        self,
        transactions: Sequence[Transaction],
        actor: str,
        idempotency_key: str | None = None,
    ) -> list[Committed]:
        """Decide and record each transaction, in date order, all in one database transaction.

        Results come back in input order. With an idempotency key already used for the
        same transactions, the first results are returned and nothing is drawn again; used
        for other transactions, the request is refused.
        """
        from dualuse.engine import evaluate

        if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_KEY_LENGTH:
            raise InputError.single(
                "idempotency_key", idempotency_key[:50], f"1 to {MAX_KEY_LENGTH} characters"
            )
        keys = batch_keys(idempotency_key, len(transactions))
        hashes = [request_hash(tx) for tx in transactions]
        with self._writing() as book:
            if idempotency_key is not None:
                earlier = book.replay(keys, hashes, idempotency_key)
                if earlier is not None:
                    return earlier
            view = SessionLedger(book.connection)
            results: dict[int, Committed] = {}
            for i in sorted(range(len(transactions)), key=lambda i: transactions[i].date):
                tx = transactions[i]
                outcome = evaluate(tx, view)
                book.check_limits(outcome.draws)
                det = outcome.determination
                body = {
                    "transaction": tx.model_dump(mode="json"),
                    "determination": det.model_dump(mode="json"),
                    "rulebooks": {j.jurisdiction: j.rulebooks for j in det.jurisdictions},
                    "draws": [_draw_record(d) for d in outcome.draws],
                    "dualuse_version": __version__,
                }
                postings = [Posting(d.account, d.amount) for d in outcome.draws]
                done = book.append("commit", actor, body, postings, keys[i], hashes[i])
                book.open_accounts(outcome.draws)
                book.remember_aliases(outcome.draws)
                results[i] = done.with_determination(det)
        return [results[i] for i in range(len(transactions))]

    def release(self, seq: int, actor: str, reason: str) -> Committed:
        """Cancel a committed shipment: a new entry returning exactly what it drew."""
        if not 0 < seq <= MAX_SEQ:
            raise InputError.single("ENTRY", seq, "no such journal entry")
        with self._writing() as book:
            row = book.connection.execute(
                select(t.journal.c.kind, t.journal.c.body).where(t.journal.c.seq == seq)
            ).one_or_none()
            if row is None:
                raise InputError.single("ENTRY", seq, "no such journal entry")
            if row.kind != "commit":
                raise InputError.single(
                    "ENTRY", seq, f"is a {row.kind} entry; only a commit can be released"
                )
            earlier = book.connection.execute(
                select(t.journal.c.seq).where(
                    t.journal.c.refers_to == seq, t.journal.c.kind == "release"
                )
            ).scalar()
            if earlier is not None:
                raise InputError.single("ENTRY", seq, f"already released by entry {earlier}")
            drawn = book.connection.execute(
                select(t.postings.c.account, t.postings.c.amount).where(t.postings.c.seq == seq)
            ).all()
            tx_id = json.loads(row.body)["transaction"].get("id")
            body = {"release_of": seq, "transaction_id": tx_id, "reason": reason}
            postings = [Posting(a, -amount) for a, amount in drawn]
            return book.append("release", actor, body, postings, refers_to=seq)

    def review_screening(
        self,
        party_key: str,
        party: str,
        entry_id: str,
        entry_version: str,
        entry_name: str,
        decision: str,
        reason: str,
        actor: str,
    ) -> Committed:
        """Record an officer's decision on a screening hit: a journal entry, and the row a
        later determination reads (the latest decision on the same party and entry wins)."""
        if decision not in ("true_match", "false_positive"):
            raise InputError.single("decision", decision, "must be true_match or false_positive")
        if not reason.strip():
            raise InputError.single("reason", reason, "a review decision needs a reason")
        body = {
            "party": party,
            "party_key": party_key,
            "entry_id": entry_id,
            "entry_version": entry_version,
            "entry_name": entry_name,
            "decision": decision,
            "reason": reason,
        }
        with self._writing() as book:
            done = book.append("screen_review", actor, body, [])
            row = {
                "decision": decision,
                "entry_version": entry_version,
                "reason": reason,
                "actor": actor,
                "seq": done.seq,
            }
            where = (t.screening_reviews.c.party_key == party_key) & (
                t.screening_reviews.c.entry_id == entry_id
            )
            table = t.screening_reviews
            updated = book.connection.execute(update(table).where(where).values(**row))
            if updated.rowcount == 0:
                book.connection.execute(
                    insert(table).values(party_key=party_key, entry_id=entry_id, **row)
                )
        return done

    def screening_reviews(self) -> dict[tuple[str, str], Review]:
        with self.reading() as connection:
            return SessionLedger(connection).screening_reviews()

    def add_licence(self, licence: Licence, actor: str) -> Committed:
        with self._writing() as book:
            existing = book.connection.execute(
                select(t.licences.c.seq).where(t.licences.c.key == licence.key)
            ).scalar()
            if existing is not None:
                raise InputError.single(
                    "number", licence.number, f"already in the ledger (entry {existing})"
                )
            record = canonical(licence.model_dump(mode="json"))
            done = book.append("licence", actor, {"licence": json.loads(record)}, [])
            book.connection.execute(
                insert(t.licences).values(
                    key=licence.key,
                    jurisdiction=licence.jurisdiction,
                    number=licence.number,
                    record=record,
                    seq=done.seq,
                )
            )
        return done


def _draw_record(draw: Draw) -> dict[str, Any]:
    return {
        "account": draw.account,
        "amount": draw.amount,
        "limit": draw.limit,
        "unit": draw.unit,
        "holder": draw.holder,
        "provision": draw.provision,
        "identity": draw.identity,
        "aliases": list(draw.aliases),
    }


class _Appender:
    """Appends entries to the chain inside one locked database transaction."""

    def __init__(self, connection: Connection, seq: int, last_hash: str) -> None:
        self.connection = connection
        self.seq = seq
        self.hash = last_hash

    def append(
        self,
        kind: str,
        actor: str,
        body: dict[str, Any],
        postings: list[Posting],
        idempotency_key: str | None = None,
        request_hash: str | None = None,
        refers_to: int | None = None,
    ) -> Committed:
        entry = Entry(
            seq=self.seq + 1,
            kind=kind,
            recorded_at=_now(),
            actor=actor,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            refers_to=refers_to,
            body=canonical(body),
            postings=tuple(postings),
            prev_hash=self.hash,
        )
        chained = entry.hash()
        self.connection.execute(
            _INSERT_JOURNAL,
            {
                "seq": entry.seq,
                "kind": kind,
                "recorded_at": entry.recorded_at,
                "actor": actor,
                "idempotency_key": idempotency_key,
                "request_hash": request_hash,
                "refers_to": refers_to,
                "body": entry.body,
                "prev_hash": entry.prev_hash,
                "hash": chained,
            },
        )
        if postings:
            self.connection.execute(
                _INSERT_POSTINGS,
                [{"seq": entry.seq, "account": p.account, "amount": p.amount} for p in postings],
            )
        self.seq, self.hash = entry.seq, chained
        return Committed(entry.seq, chained, entry.recorded_at, actor, idempotency_key, False)

    def check_limits(self, draws: Sequence[Draw]) -> None:
        """Refuse the whole request if any draw would take its account past its limit.

        The rules only propose draws that fit; this is the ledger's own guarantee, read
        inside the lock, that holds whatever a rule does.
        """
        check_draws(draws, SessionLedger(self.connection).usage)

    def open_accounts(self, draws: Sequence[Draw]) -> None:
        for draw in draws:
            known = self.connection.execute(_ACCOUNT_KNOWN, {"key": draw.account}).scalar()
            if known is None:
                self.connection.execute(
                    _INSERT_ACCOUNT,
                    {
                        "key": draw.account,
                        "unit": draw.unit,
                        "limit": draw.limit,
                        "holder": draw.holder,
                        "provision": draw.provision,
                        "opened_seq": self.seq,
                    },
                )

    def remember_aliases(self, draws: Sequence[Draw]) -> None:
        """Record, for later orders, which identity each new alias of a holder belongs to."""
        new: dict[str, str] = {}
        for draw in draws:
            if draw.identity is not None:
                for alias in draw.aliases:
                    new.setdefault(alias, draw.identity)
        if not new:
            return
        known = SessionLedger(self.connection).identities(list(new))
        rows = [
            {"alias": a, "identity": i, "seq": self.seq} for a, i in new.items() if a not in known
        ]
        if rows:
            self.connection.execute(_INSERT_ALIAS, rows)

    def replay(self, keys: list[str | None], hashes: list[str], key: str) -> list[Committed] | None:
        """The earlier results under ``key``, or None if it is new; refused if it was used
        for another request (other transactions, or a batch of another size)."""
        used = t.journal.c.idempotency_key
        rows = self.connection.execute(
            select(t.journal).where((used == key) | used.startswith(f"{key}[", autoescape=True))
        ).all()
        if not rows:
            return None
        by_key = {r.idempotency_key: r for r in rows}
        if len(rows) != len(keys) or any(
            by_key.get(k) is None or by_key[k].request_hash != h
            for k, h in zip(keys, hashes, strict=True)
        ):
            first = min(r.seq for r in rows)
            raise InputError.single(
                "idempotency_key", key, f"already used for a different request (entry {first})"
            )
        results = []
        for k in keys:
            row = by_key[k]
            det = Determination.model_validate(json.loads(row.body)["determination"])
            done = Committed(row.seq, row.hash, row.recorded_at, row.actor, k, True)
            results.append(done.with_determination(det))
        return results
