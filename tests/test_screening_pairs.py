"""Screening quality on the labelled pairs (tests/screening/pairs.csv, made as its `how`
column and make_pairs.py say): recall per script and precision at the shipped thresholds.
The floors are the targets the restricted-parties work set: recall 0.98 on Latin variants
at precision 0.95, 0.90 on Han and Hangul names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bench.bench_screen import Scores, country, load_pairs


@pytest.fixture(scope="module")
def scores() -> Scores:
    from dualuse.screening.screen import screen_name

    result = Scores()
    for row in load_pairs(None):
        hits, _ = screen_name(row["query"], dt.date(2026, 7, 10), country(row["query_country"]))
        result.add(
            row["category"],
            row["expected_entry"],
            {h.entry_name.casefold() for h in hits if h.status == "match"},
        )
    return result


def test_there_are_enough_pairs() -> None:
    rows: list[dict[str, Any]] = load_pairs(None)
    assert len(rows) >= 500
    assert sum(r["category"] == "negative" for r in rows) >= 200


def test_latin_recall_and_precision(scores: Scores) -> None:
    assert scores.recall(("latin_variant",)) >= 0.98
    assert scores.precision() >= 0.95


def test_han_recall(scores: Scores) -> None:
    assert scores.recall(("hans", "hant")) >= 0.90


def test_hangul_recall(scores: Scores) -> None:
    assert scores.recall(("hang",)) >= 0.90
