"""The durable ledger on SQLite and PostgreSQL: draws, identity, idempotency, releases.

Expected numbers come from the law; see tests/ledger/orders.py for each source.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from dualuse.errors import InputError
from dualuse.ledger import schema as t
from dualuse.ledger.audit import verify
from dualuse.ledger.reading import account, accounts
from dualuse.ledger.store import LedgerStore

from .orders import LPP_LIMIT, LPP_ORDERS_THAT_FIT, ORDER_TPP, lpp_order


def _journal_size(store: LedgerStore) -> int:
    with store.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(t.journal)).scalar_one())


def test_lpp_allowance_is_drawn_until_the_seventeenth_order(store: LedgerStore) -> None:
    results = [store.commit([lpp_order()], "officer")[0] for _ in range(LPP_ORDERS_THAT_FIT + 1)]
    authorizations = [r.determination.jurisdictions[0].authorization for r in results]  # type: ignore[union-attr]
    assert authorizations == ["LPP"] * LPP_ORDERS_THAT_FIT + [None]
    last = results[-1].determination
    assert last is not None and last.verdict.value == "license_required"
    lpp = last.jurisdictions[0].quota[0]
    assert lpp.status == "exceeded"
    assert lpp.used_before == pytest.approx(LPP_ORDERS_THAT_FIT * ORDER_TPP)
    (balance,) = [a for a in accounts(store) if ":lpp:" in a.account]
    assert balance.limit == LPP_LIMIT
    assert balance.used == pytest.approx(LPP_ORDERS_THAT_FIT * ORDER_TPP)
    assert balance.postings == LPP_ORDERS_THAT_FIT
    # Every commit is journalled, drawing or not.
    assert _journal_size(store) == LPP_ORDERS_THAT_FIT + 1
    assert [r.seq for r in results] == list(range(1, LPP_ORDERS_THAT_FIT + 2))


def test_one_consignee_written_two_ways_draws_one_account(store: LedgerStore) -> None:
    first = store.commit([lpp_order("Example Cloud Pvt. Ltd.")], "officer")[0]
    second = store.commit([lpp_order("EXAMPLE CLOUD PRIVATE LIMITED")], "officer")[0]
    assert first.determination is not None and second.determination is not None
    q1 = first.determination.jurisdictions[0].quota[0]
    q2 = second.determination.jurisdictions[0].quota[0]
    assert q1.account == q2.account
    assert q2.used_before == pytest.approx(ORDER_TPP)
    # The output says whose account it is and what the name was folded to.
    assert q1.holder is not None and "Example Cloud Pvt. Ltd." in q1.holder
    assert q2.holder is not None and "EXAMPLE CLOUD PRIVATE LIMITED" in q2.holder
    assert q1.account.endswith("IN/example-cloud-pvt-ltd")
    reasons = " ".join(r.message for r in second.determination.jurisdictions[0].reasons)
    assert "IN/example-cloud-pvt-ltd" in reasons
    other = store.commit([lpp_order("Another Cloud Pvt Ltd")], "officer")[0]
    assert other.determination is not None
    assert other.determination.jurisdictions[0].quota[0].used_before == 0


def test_idempotency_key_draws_once_and_returns_the_first_result(store: LedgerStore) -> None:
    first = store.commit([lpp_order()], "officer", "order-4711")[0]
    again = store.commit([lpp_order()], "someone-else", "order-4711")[0]
    assert not first.replayed and again.replayed
    assert again.seq == first.seq and again.hash == first.hash
    assert again.determination is not None and first.determination is not None
    assert again.determination.model_dump(exclude={"journal"}) == first.determination.model_dump(
        exclude={"journal"}
    )
    assert again.determination.journal is not None and again.determination.journal.replayed
    assert _journal_size(store) == 1
    (balance,) = accounts(store)
    assert balance.used == pytest.approx(ORDER_TPP)


def test_idempotency_key_reused_for_another_request_is_refused(store: LedgerStore) -> None:
    store.commit([lpp_order(quantity=100)], "officer", "order-4711")
    with pytest.raises(InputError) as refused:
        store.commit([lpp_order(quantity=200)], "officer", "order-4711")
    assert refused.value.problems[0].field == "idempotency_key"
    assert "entry 1" in refused.value.problems[0].message
    assert _journal_size(store) == 1


def test_a_batch_is_all_or_nothing(store: LedgerStore) -> None:
    batch = [lpp_order(quantity=100, day="2025-07-01"), lpp_order(quantity=100, day="2025-06-01")]
    done = store.commit(batch, "officer", "batch-1")
    # Date order inside the batch; results in input order; keys per position.
    assert [d.seq for d in done] == [2, 1]
    assert [d.idempotency_key for d in done] == ["batch-1[0]", "batch-1[1]"]
    replay = store.commit(batch, "officer", "batch-1")
    assert [r.seq for r in replay] == [2, 1] and all(r.replayed for r in replay)
    with pytest.raises(InputError):
        store.commit(batch[:1], "officer", "batch-1")  # a different request under the key
    assert _journal_size(store) == 2


def test_release_returns_exactly_the_draw_once(store: LedgerStore) -> None:
    committed = store.commit([lpp_order()], "officer")[0]
    store.commit([lpp_order()], "officer")
    released = store.release(committed.seq, "officer", "shipment cancelled")
    assert released.seq == 3
    (balance,) = accounts(store)
    assert balance.used == pytest.approx(ORDER_TPP)
    history = account(store, balance.account)["journal"]
    assert [(m["kind"], m["amount"]) for m in history] == [
        ("commit", pytest.approx(ORDER_TPP)),
        ("commit", pytest.approx(ORDER_TPP)),
        ("release", pytest.approx(-ORDER_TPP)),
    ]
    assert history[-1]["refers_to"] == committed.seq
    assert history[-1]["reason"] == "shipment cancelled"
    with pytest.raises(InputError, match="already released by entry 3"):
        store.release(committed.seq, "officer", "again")
    with pytest.raises(InputError, match="only a commit can be released"):
        store.release(released.seq, "officer", "a release")
    with pytest.raises(InputError, match="no such journal entry"):
        store.release(99, "officer", "missing")
    assert _journal_size(store) == 3
    assert verify(store).ok


def test_a_released_allowance_can_be_drawn_again(store: LedgerStore) -> None:
    done = [store.commit([lpp_order()], "officer")[0] for _ in range(LPP_ORDERS_THAT_FIT)]
    refused = store.commit([lpp_order()], "officer")[0].determination
    assert refused is not None and refused.jurisdictions[0].authorization is None
    store.release(done[0].seq, "officer", "cancelled")
    again = store.commit([lpp_order()], "officer")[0].determination
    assert again is not None and again.jurisdictions[0].authorization == "LPP"


def test_the_journal_stores_the_whole_determination(store: LedgerStore) -> None:
    import json

    done = store.commit([lpp_order()], "alice")[0]
    with store.reading() as connection:
        row = connection.execute(select(t.journal).where(t.journal.c.seq == done.seq)).one()
    body = json.loads(row.body)
    assert row.actor == "alice"
    assert body["transaction"]["destination"] == "IN"
    assert body["determination"]["verdict"] == "authorized"
    assert body["rulebooks"]["us"]  # the rulebook versions the answer rests on
    assert body["draws"][0]["limit"] == LPP_LIMIT


def test_reopening_runs_no_migration_and_keeps_everything(ledger_url: str) -> None:
    first = LedgerStore.open(ledger_url)
    first.commit([lpp_order()], "officer")
    first.close()
    again = LedgerStore.open(ledger_url)
    assert _journal_size(again) == 1 and verify(again).ok
    again.close()


def test_migrations_build_the_schema_the_code_declares(store: LedgerStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), t.metadata)
    assert diff == []


LEI = "5493001KJTIIGC8Y1R12"  # an illustrative LEI-shaped identifier


def _lpp_line(store: LedgerStore, **order: Any) -> tuple[str, float, list[str]]:
    (done,) = store.commit([lpp_order(**order)], "officer")
    assert done.determination is not None
    line = done.determination.jurisdictions[0].quota[0]
    return line.account, line.used_before, [w.code for w in done.determination.warnings]


def test_a_registry_identifier_links_a_consignee_under_another_name(store: LedgerStore) -> None:
    # LPP is per ultimate consignee (15 CFR 740.29): the same company trading under another
    # name, identified by the same LEI, must not get a second allowance.
    first, _, _ = _lpp_line(store, name="Example Cloud Pvt. Ltd.", identifiers={"lei": LEI})
    spaced = "5493 001K JTII GC8Y 1R12"
    second, used, _ = _lpp_line(store, name="ExCloud Data Centres", identifiers={"LEI": spaced})
    assert second == first and used == pytest.approx(ORDER_TPP)
    # The new trading name is now remembered as that consignee, even without the LEI.
    third, used, _ = _lpp_line(store, name="EXCLOUD DATA CENTRES")
    assert third == first and used == pytest.approx(2 * ORDER_TPP)


def test_conflicting_aliases_use_the_identifier_and_warn(store: LedgerStore) -> None:
    example, _, _ = _lpp_line(store, name="Example Cloud Pvt. Ltd.", identifiers={"lei": LEI})
    another, _, _ = _lpp_line(store, name="Another Cloud Pvt Ltd")
    assert another != example
    chosen, used, warnings = _lpp_line(
        store, name="Another Cloud Private Limited", identifiers={"lei": LEI}
    )
    assert chosen == example and used == pytest.approx(ORDER_TPP)
    assert "ledger.identity_conflict" in warnings


def test_an_edited_alias_is_found(store: LedgerStore) -> None:
    from sqlalchemy import text

    _lpp_line(store, name="Example Cloud Pvt. Ltd.", identifiers={"lei": LEI})
    with store.engine.connect() as connection:
        connection.execute(text("UPDATE aliases SET identity = 'IN/someone-else'"))
        connection.commit()
    report = verify(store)
    assert not report.ok and report.first_break == 1


def test_out_of_range_input_is_refused_not_crashed(store: LedgerStore) -> None:
    # A 32-bit PostgreSQL integer cannot hold this entry number; a long key is refused too.
    with pytest.raises(InputError, match="no such journal entry"):
        store.release(2**40, "officer", "x")
    with pytest.raises(InputError) as refused:
        store.commit([lpp_order()], "officer", "k" * 500)
    assert refused.value.problems[0].field == "idempotency_key"
    long_name = "Example " + "Very " * 200 + "Long Cloud Pvt Ltd"
    (done,) = store.commit([lpp_order(name=long_name)], "officer")
    assert done.determination is not None and verify(store).ok
