"""Balances for determinations that do not commit, remembered per chain head.

Every change to the ledger appends a journal entry and moves the chain head, so two reads
at the same head see the same balances, aliases and licences. A read first looks at the
head (one indexed row); answers already read at that head come from memory. A value not
yet read is read in a transaction that checks the head again: if the head has moved, the
determination is started over at the new head, so one answer never mixes two states of the
ledger. A commit never uses this: it reads under the write lock (see ``store.commit``).

Under an event loop, the reads made in one turn of the loop share one look at the head.
Every request served in that turn had arrived before the turn began, so the head they see
was the ledger's state at a moment between each request's arrival and its answer: the
answer is one the request could have had if it had been served alone at that moment
(linearizable). The next turn looks again. Without a running loop (worker threads, the
CLI) every read looks at the head itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import text

from dualuse.ledger.licence import Licence
from dualuse.ledger.store import LedgerStore, SessionLedger
from dualuse.screening.review import Review

R = TypeVar("R")
_HEAD_SQL = "SELECT last_seq FROM ledger_head WHERE id = 1"
_HEAD_SEQ = text(_HEAD_SQL)  # one statement: raw driver connections run the text itself
ATTEMPTS = 5


class _Moved(Exception):
    """The head moved while a determination was reading; start it over."""


@dataclass
class _Memo:
    seq: int
    usage: dict[str, float] = field(default_factory=dict)
    identities: dict[str, str | None] = field(default_factory=dict)
    licences: dict[str, list[Licence]] = field(default_factory=dict)
    reviews: dict[tuple[str, str], Review] | None = None


class _MemoView:
    def __init__(
        self, cache: SnapshotCache, memo: _Memo, session: SessionLedger | None = None
    ) -> None:
        self._cache, self._memo, self._session = cache, memo, session

    def _read(self, fn: Callable[[SessionLedger], R]) -> R:
        if self._session is not None:  # already inside one read transaction
            return fn(self._session)
        with self._cache.store.reading() as connection:
            if int(connection.execute(_HEAD_SEQ).scalar_one()) != self._memo.seq:
                raise _Moved
            return fn(SessionLedger(connection))

    def usage(self, account: str) -> float:
        found = self._memo.usage.get(account)
        if found is None:
            found = self._memo.usage[account] = self._read(lambda s: s.usage(account))
        return found

    def identities(self, aliases: Sequence[str]) -> dict[str, str]:
        unknown = [a for a in aliases if a not in self._memo.identities]
        if unknown:
            read = self._read(lambda s: s.identities(unknown))
            for alias in unknown:
                self._memo.identities[alias] = read.get(alias)
        return {a: i for a in aliases if (i := self._memo.identities[a]) is not None}

    def screening_reviews(self) -> dict[tuple[str, str], Review]:
        # A decision is a journal entry: it moves the head, so a memo never holds a stale one.
        if self._memo.reviews is None:
            self._memo.reviews = self._read(lambda s: s.screening_reviews())
        return self._memo.reviews

    def licences(self, jurisdiction: str) -> Sequence[Licence]:
        if jurisdiction not in self._memo.licences:
            found = self._read(lambda s: list(s.licences(jurisdiction)))
            self._memo.licences[jurisdiction] = found
        return self._memo.licences[jurisdiction]


class SnapshotCache:
    def __init__(self, store: LedgerStore) -> None:
        self.store = store
        self._memo = _Memo(-1)
        self._lock = threading.Lock()
        # SQLite: each thread keeps one driver connection of its own for the head read, out
        # of the pool. Checking a connection out and back in (with its reset) cost more than
        # the read; a connection outside a transaction sees every commit made before each
        # statement (WAL), so the read stays exact. PostgreSQL reads go through the pool, so
        # that threads never hold server connections the pool does not count.
        self._own = store.engine.dialect.name == "sqlite"
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's, so that close() reaches them all

    def close(self) -> None:
        """Close the head-read connections of every thread (the service calls this when it
        stops); a later read opens a fresh one."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
        for connection in opened:
            connection.close()

    def _head(self) -> int:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self._head_now()
        local = self._local
        # The loop is kept with the look: a loop that stopped before its next turn never
        # clears it, and another loop on this thread must not take it for its own.
        turn: tuple[asyncio.AbstractEventLoop, int] | None = getattr(local, "turn", None)
        if turn is not None and turn[0] is loop:
            return turn[1]
        seq = self._head_now()
        local.turn = (loop, seq)
        loop.call_soon(_end_turn, local)
        return seq

    def _head_now(self) -> int:
        if self._own:
            local = self._local
            connection: Any = getattr(local, "connection", None)
            if connection is None:
                pooled = self.store.engine.raw_connection()
                pooled.detach()
                connection = local.connection = pooled.dbapi_connection
                with self._lock:
                    self._opened.append(connection)
            try:
                return _read_head(connection)
            except Exception:
                local.connection = None
                with self._lock:
                    if connection in self._opened:
                        self._opened.remove(connection)
                connection.close()
                raise
        pooled = self.store.engine.raw_connection()
        try:
            return _read_head(pooled)
        finally:
            pooled.close()

    def read(self, fn: Callable[[_MemoView], R]) -> R:
        """``fn`` run against the ledger at one head, from memory where it can be."""
        for _ in range(ATTEMPTS):
            seq = self._head()
            with self._lock:
                if self._memo.seq != seq:
                    self._memo = _Memo(seq)
                memo = self._memo
            try:
                return fn(_MemoView(self, memo))
            except _Moved:
                self._local.turn = None  # the head this turn saw is gone; look again
                continue
        # The ledger is moving faster than we read: read it all in one transaction.
        with self.store.reading() as connection:
            memo = _Memo(int(connection.execute(_HEAD_SEQ).scalar_one()))
            return fn(_MemoView(self, memo, SessionLedger(connection)))


def _end_turn(local: threading.local) -> None:
    local.turn = None


def _read_head(connection: Any) -> int:
    cursor = connection.cursor()
    try:
        cursor.execute(_HEAD_SQL)
        rows = cursor.fetchall()  # stepping to the end closes the statement's read snapshot
    finally:
        cursor.close()
    return int(rows[0][0]) if rows else 0
