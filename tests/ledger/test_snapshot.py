"""What-if reads served per chain head must see every commit, whoever made it.

The snapshot cache (used by determinations that do not commit) reads the chain head on a
connection of its own. A commit made through another store -- another process, as with
several service workers on one database -- must be visible to the next read, or a
compliance officer would be told that LPP allowance remains which has been drawn.
Expected numbers: tests/ledger/orders.py (15 CFR 740.29, 26,900,000 TPP a year).
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from dualuse.engine import determine_many
from dualuse.ledger import InMemoryLedger
from dualuse.ledger.snapshot import SnapshotCache
from dualuse.ledger.store import LedgerStore

from .orders import LPP_LIMIT, LPP_ORDERS_THAT_FIT, ORDER_TPP, lpp_order


def _lpp_used_before(cache: SnapshotCache, name: str = "Example Cloud Pvt. Ltd.") -> float:
    (determination,) = cache.read(
        lambda books: determine_many([lpp_order(name)], InMemoryLedger(base=books))
    )
    (lpp,) = [q for q in determination.jurisdictions[0].quota if ":lpp:" in q.account]
    return lpp.used_before


def test_a_commit_by_another_store_is_seen_by_the_next_read(
    store: LedgerStore, ledger_url: str
) -> None:
    cache = SnapshotCache(store)
    assert _lpp_used_before(cache) == 0
    other = LedgerStore.open(ledger_url)
    try:
        other.commit([lpp_order()], "officer")
        assert _lpp_used_before(cache) == pytest.approx(ORDER_TPP)
        for _ in range(LPP_ORDERS_THAT_FIT - 1):
            other.commit([lpp_order()], "officer")
    finally:
        other.close()
    assert _lpp_used_before(cache) == pytest.approx(LPP_ORDERS_THAT_FIT * ORDER_TPP)
    (determination,) = cache.read(
        lambda books: determine_many([lpp_order()], InMemoryLedger(base=books))
    )
    # The 17th order no longer fits: 17 x 1,583,120 > 26,900,000.
    assert determination.verdict.value == "license_required"
    assert determination.jurisdictions[0].quota[0].limit == pytest.approx(LPP_LIMIT)


def test_reads_from_several_threads_see_the_same_commits(store: LedgerStore) -> None:
    cache = SnapshotCache(store)
    store.commit([lpp_order()], "officer")
    seen: list[float] = []

    def read() -> None:
        seen.append(_lpp_used_before(cache))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [pytest.approx(ORDER_TPP)] * 4


def test_close_reaches_every_threads_connection_and_reads_go_on(store: LedgerStore) -> None:
    # SQLite: one head-read connection per thread, held by the cache. PostgreSQL: head reads
    # borrow from the pool and give back, so the cache holds none.
    per_thread = store.engine.dialect.name == "sqlite"
    cache = SnapshotCache(store)
    store.commit([lpp_order()], "officer")
    threads = [threading.Thread(target=_lpp_used_before, args=(cache,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened = list(cache._opened)
    assert len(opened) == (3 if per_thread else 0)
    cache.close()
    for connection in opened:
        with pytest.raises(Exception, match="closed"):
            connection.execute("SELECT 1")
    # Stopping is not the end of reading: the next read opens a connection and is exact.
    assert _lpp_used_before(cache) == pytest.approx(ORDER_TPP)
    cache.close()


def test_reads_in_one_turn_of_the_event_loop_share_a_look_at_the_head(
    store: LedgerStore, ledger_url: str
) -> None:
    # Requests served in one turn of the service's loop all arrived before it began, so
    # one look at the head serves them all: a commit landing during the turn may be seen
    # by the next turn only (each answer is still the ledger at a moment between its
    # request's arrival and its answer). The next turn looks again and sees it.
    async def served() -> list[float]:
        cache = SnapshotCache(store)
        other = LedgerStore.open(ledger_url)
        try:
            first = _lpp_used_before(cache)
            other.commit([lpp_order()], "officer")
            same_turn = _lpp_used_before(cache)
            await asyncio.sleep(0)  # the next turn
            next_turn = _lpp_used_before(cache)
        finally:
            other.close()
            cache.close()
        return [first, same_turn, next_turn]

    assert asyncio.run(served()) == [0, 0, pytest.approx(ORDER_TPP)]


def test_a_value_first_read_after_a_commit_in_the_same_turn_is_read_at_the_new_head(
    store: LedgerStore, ledger_url: str
) -> None:
    # A balance not yet remembered is read in a transaction that checks the head; if the
    # turn's look is out of date the determination starts over with a fresh look, so it
    # never mixes two states of the ledger.
    async def served() -> tuple[float, float]:
        cache = SnapshotCache(store)
        other = LedgerStore.open(ledger_url)
        try:
            _lpp_used_before(cache)  # the turn's look, before the commit
            other.commit([lpp_order("Second Cloud Ltd.")], "officer")
            second = _lpp_used_before(cache, "Second Cloud Ltd.")
            first_again = _lpp_used_before(cache)
        finally:
            other.close()
            cache.close()
        return second, first_again

    assert asyncio.run(served()) == (pytest.approx(ORDER_TPP), 0)


def test_a_loop_that_stops_mid_turn_leaves_no_look_for_the_next_loop(
    store: LedgerStore, ledger_url: str
) -> None:
    # A loop stopped before its next turn never clears its look at the head; a later loop
    # on the same thread must look again and see what was committed in between.
    cache = SnapshotCache(store)
    stopped = asyncio.new_event_loop()

    async def read_then_stop() -> None:
        _lpp_used_before(cache)
        asyncio.get_running_loop().stop()
        await asyncio.Event().wait()

    with pytest.raises(RuntimeError, match="stopped before"):
        stopped.run_until_complete(read_then_stop())
    stopped.close()
    other = LedgerStore.open(ledger_url)
    try:
        other.commit([lpp_order()], "officer")
    finally:
        other.close()

    async def read() -> float:
        return _lpp_used_before(cache)

    try:
        assert asyncio.run(read()) == pytest.approx(ORDER_TPP)
    finally:
        cache.close()
