"""Tamper evidence: any edit or deletion of the journal is found, and where.

Each test alters the database behind dualuse's back, with plain SQL as an intruder or a
careless administrator would, and expects ``audit verify`` to name the entry where the
chain stops being trustworthy.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dualuse.ledger.audit import export_csv, export_json, verify
from dualuse.ledger.store import LedgerStore

from .orders import licence, licensed_order, lpp_order


@pytest.fixture
def busy(store: LedgerStore) -> LedgerStore:
    """Five entries: a licence, three commits drawing LPP or the licence, a release."""
    store.add_licence(licence(), "officer")  # 1
    store.commit([lpp_order()], "officer")  # 2
    store.commit([licensed_order(quantity=10)], "officer")  # 3
    store.commit([lpp_order()], "officer")  # 4
    store.release(2, "officer", "cancelled")  # 5
    assert verify(store).ok
    return store


def _tamper(store: LedgerStore, sql: str) -> None:
    # The intruder's write skips dualuse entirely: a plain autocommit connection.
    with store.engine.connect() as connection:
        connection.execute(text(sql))
        connection.commit()


def _broken_at(store: LedgerStore) -> int | None:
    report = verify(store)
    assert not report.ok
    return report.first_break


def test_an_untouched_journal_verifies(busy: LedgerStore) -> None:
    report = verify(busy)
    assert report.ok and report.entries == 5 and report.head_seq == 5


def test_editing_a_stored_determination_is_found(busy: LedgerStore) -> None:
    _tamper(
        busy,
        "UPDATE journal SET body = replace(body, 'authorized', 'no_license_required') "
        "WHERE seq = 3",
    )
    assert _broken_at(busy) == 3


def test_editing_who_or_when_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "UPDATE journal SET actor = 'someone else' WHERE seq = 4")
    assert _broken_at(busy) == 4
    _tamper(busy, "UPDATE journal SET actor = 'officer' WHERE seq = 4")
    assert verify(busy).ok
    _tamper(busy, "UPDATE journal SET recorded_at = '2020-01-01T00:00:00+00:00' WHERE seq = 2")
    assert _broken_at(busy) == 2


def test_changing_a_posting_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "UPDATE postings SET amount = 1 WHERE seq = 4")
    assert _broken_at(busy) == 4


def test_deleting_a_posting_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "DELETE FROM postings WHERE seq = 3")
    assert _broken_at(busy) == 3


def test_a_forged_posting_is_found(busy: LedgerStore) -> None:
    _tamper(
        busy,
        "INSERT INTO postings (seq, account, amount) VALUES (4, 'licence:us:D1000001:units', -500)",
    )
    assert _broken_at(busy) == 4


def test_deleting_an_entry_in_the_middle_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "DELETE FROM postings WHERE seq = 4")
    _tamper(busy, "DELETE FROM journal WHERE seq = 4")
    report = verify(busy)
    assert not report.ok and report.first_break == 4
    assert any("missing" in p for p in report.problems)


def test_deleting_the_last_entries_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "DELETE FROM postings WHERE seq >= 4")
    _tamper(busy, "DELETE FROM journal WHERE seq >= 4")
    report = verify(busy)
    assert not report.ok and report.first_break == 4
    assert any("head records entry 5" in p for p in report.problems)


def test_rewriting_the_whole_tail_is_found_against_a_recorded_head(busy: LedgerStore) -> None:
    # An intruder who deletes the tail and moves the head pointer back leaves a
    # self-consistent chain; only a head hash recorded elsewhere (an auditor's note, a
    # ticket) shows it. verify --expect-head checks that.
    recorded = verify(busy).head_hash
    with busy.reading() as connection:
        previous = connection.execute(text("SELECT hash FROM journal WHERE seq = 4")).scalar()
    _tamper(busy, "DELETE FROM postings WHERE seq = 5")
    _tamper(busy, "DELETE FROM journal WHERE seq = 5")
    _tamper(busy, f"UPDATE ledger_head SET last_seq = 4, last_hash = '{previous}'")
    assert verify(busy).ok  # self-consistent...
    report = verify(busy, expect_head=recorded)
    assert not report.ok  # ...but not the chain the auditor saw


def test_editing_a_licence_row_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "UPDATE licences SET record = replace(record, '1000.0', '9000.0')")
    assert _broken_at(busy) == 1


def test_editing_an_account_limit_is_found(busy: LedgerStore) -> None:
    _tamper(busy, "UPDATE accounts SET \"limit\" = 1e12 WHERE key LIKE '%:lpp:%'")
    assert _broken_at(busy) == 2


def test_export_carries_every_entry_and_its_hash(busy: LedgerStore) -> None:
    import csv
    import io
    import json

    rows = list(csv.DictReader(io.StringIO(export_csv(busy))))
    assert [int(r["seq"]) for r in rows] == [1, 2, 3, 4, 5]
    assert [r["kind"] for r in rows] == ["licence", "commit", "commit", "commit", "release"]
    assert rows[2]["authorizations"] == "LICENCE:D1000001"
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert rows[4]["refers_to"] == "2"
    document = json.loads(export_json(busy))
    assert document["verification"]["ok"] is True
    assert document["entries"][1]["body"]["determination"]["verdict"] == "authorized"
    assert len(document["entries"]) == 5
