"""Screening quality and speed, side by side with nomenklatura's logic-v2 and plain rapidfuzz.

    python bench/bench_screen.py [--limit N]

Reads the labelled pairs in tests/screening/pairs.csv (how each was made is in its `how`
column and in tests/screening/make_pairs.py) and screens every query against the whole
list as of 2026-07-10 (the snapshot's day), on one core, three ways in the same run:

- dualuse: candidate search + scoring (dualuse.screening.screen.screen_name), thresholds
  from screening/thresholds.yaml; a query is a predicted match when a hit is a "match".
- logic-v2: nomenklatura's LogicV2.compare (the matcher yente uses), each query a fresh
  entity id, against the 20 listed names a rapidfuzz WRatio blocker ranks highest (comparing
  every query with all ~8,000 names is what a plain linear scan would cost); match at 0.7.
- rapidfuzz: the best token_sort_ratio over all listed names; match at 90.

A positive pair is recalled when the expected entry is among the predicted matches.
Precision counts every query predicted to match: a negative pair hit, or a positive
pair whose matches miss the expected entry, is a false positive. The warm-cache case is
timed separately (the same queries again).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests/screening/pairs.csv"
DAY = dt.date(2026, 7, 10)
COUNTRIES = {
    "China": "CN",
    "Hong Kong": "HK",
    "Singapore": "SG",
    "Taiwan": "TW",
    "South Korea": "KR",
    "Korea": "KR",
}


def load_pairs(limit: int | None) -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows[:limit] if limit else rows


def country(name: str) -> str | None:
    if not name:
        return None
    if len(name) == 2:
        return name.upper()
    return COUNTRIES.get(name)


class Scores:
    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.pos: dict[str, int] = defaultdict(int)
        self.fp = 0
        self.predicted = 0

    def add(self, category: str, expected: str, matched: set[str]) -> None:
        if expected:
            self.pos[category] += 1
        if matched:
            self.predicted += 1
            if expected and expected.casefold() in matched:
                self.tp[category] += 1
            else:
                self.fp += 1

    def recall(self, cats: tuple[str, ...]) -> float:
        pos = sum(self.pos[c] for c in cats)
        return sum(self.tp[c] for c in cats) / pos if pos else 0.0

    def precision(self) -> float:
        return (self.predicted - self.fp) / self.predicted if self.predicted else 0.0


def run_dualuse(rows: list[dict[str, str]]) -> tuple[Scores, float]:
    from dualuse.screening.screen import screen_name

    scores = Scores()
    start = time.perf_counter()
    for row in rows:
        hits, _ = screen_name(row["query"], DAY, country(row["query_country"]))
        matched = {h.entry_name.casefold() for h in hits if h.status == "match"}
        scores.add(row["category"], row["expected_entry"], matched)
    return scores, time.perf_counter() - start


def listed_names() -> list[tuple[str, str, str | None]]:
    from dualuse.screening.screen import corpus, view

    corpus()
    v, _ = view(DAY)
    out = []
    for e in v.entries:
        for n in (e.name, *e.aliases):
            out.append((n, e.name, e.country))
    return out


def run_rapidfuzz(
    rows: list[dict[str, str]], names: list[tuple[str, str, str | None]]
) -> tuple[Scores, float]:
    choices = [n for n, _, _ in names]
    scores = Scores()
    start = time.perf_counter()
    for row in rows:
        best = process.extractOne(
            row["query"], choices, scorer=fuzz.token_sort_ratio, processor=str.casefold
        )
        matched = {names[best[2]][1].casefold()} if best and best[1] >= 90 else set()
        scores.add(row["category"], row["expected_entry"], matched)
    return scores, time.perf_counter() - start


def run_logic_v2(
    rows: list[dict[str, str]], names: list[tuple[str, str, str | None]]
) -> tuple[Scores, float]:
    from followthemoney import model
    from nomenklatura.matching import LogicV2
    from nomenklatura.matching.types import ScoringConfig

    config = ScoringConfig.defaults()
    entities = []
    for i, (n, entry, c) in enumerate(names):
        e = model.make_entity("Company")
        e.id = f"listed-{i}"
        e.add("name", n)
        if c:
            e.add("country", c.lower())
        entities.append((e, entry))
    choices = [n for n, _, _ in names]
    scores = Scores()
    start = time.perf_counter()
    for qi, row in enumerate(rows):
        q = model.make_entity("Company")
        q.id = f"query-{qi}"  # a fresh id: LogicV2 caches names by entity id
        q.add("name", row["query"])
        c = country(row["query_country"])
        if c:
            q.add("country", c.lower())
        block = process.extract(row["query"], choices, scorer=fuzz.WRatio, limit=20)
        matched = set()
        for _, _, i in block:
            result = LogicV2.compare(q, entities[i][0], config)
            if result.score >= 0.7:
                matched.add(entities[i][1].casefold())
        scores.add(row["category"], row["expected_entry"], matched)
    return scores, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--skip-logic-v2", action="store_true")
    args = parser.parse_args()
    rows = load_pairs(args.limit)
    from dualuse.screening.screen import corpus

    corpus()  # the index is built once per process; time the screenings, not the load
    names = listed_names()
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"date: {dt.date.today()}  pairs: {len(rows)}  listed names: {len(names)}")
    results = {"dualuse": run_dualuse(rows)}
    warm_start = time.perf_counter()
    run_dualuse(rows)
    warm = time.perf_counter() - warm_start
    results["rapidfuzz"] = run_rapidfuzz(rows, names)
    if not args.skip_logic_v2:
        results["logic-v2"] = run_logic_v2(rows, names)
    latin, han, hangul = ("latin_variant",), ("hans", "hant"), ("hang",)
    print(
        f"{'matcher':10} {'recall latin':>13} {'recall han':>11} {'recall hangul':>14} "
        f"{'precision':>10} {'queries/s':>10}"
    )
    for name, (s, seconds) in results.items():
        print(
            f"{name:10} {s.recall(latin):13.3f} {s.recall(han):11.3f} {s.recall(hangul):14.3f} "
            f"{s.precision():10.3f} {len(rows) / seconds:10.0f}"
        )
    base = results["dualuse"][1]
    for name, (_, seconds) in results.items():
        if name != "dualuse":
            print(f"dualuse speed / {name}: {seconds / base:.1f}x")
    print(f"dualuse warm (same queries again, caches hot): {len(rows) / warm:.0f} queries/s")


if __name__ == "__main__":
    main()
