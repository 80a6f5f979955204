"""Classification speed on new inputs, against a NumPy kernel of the same arithmetic.

Usage: python bench/bench_classify.py [--items N] [--seed S] [--seconds S]

Generates N integrated circuits from a seed -- dense throughput at one to three bit
lengths, die area, datacenter or not -- described inline (no catalogue id), so no
classification is a memo hit. Then, side by side in one process on one core:

- ``uncached``: dualuse's US classification (TPP, performance density, the 3A090 bands
  and Note 2, with every reason) of each item once, under the rules of one date;
- ``kernel``: the bands alone in NumPy -- TPP = max over bit lengths of TOPS x bits, PD =
  TPP / die area, the comparisons -- reading the same rulebook parameters, over the same
  items; the ratio is dualuse's rate over the kernel's, and every control code must agree;
- ``warm``: catalogue items classified again (memo hits), labelled as such;
- ``dated``: the generated items each on a date drawn from 2022-10-07 to 2026-11-30,
  so every rulebook version (October 2022's performance-and-interconnect test included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import time
from typing import Any

import numpy as np

from dualuse.catalog import IcEntry, load_catalog
from dualuse.contract import IcSpecs, Mode
from dualuse.items import IcFacts, catalog_facts, specs_facts
from dualuse.rulebooks import resolve
from dualuse.rules.us.classification import classify

BITS = (4, 8, 16, 32, 64)
RULES_DAY = dt.date(2025, 6, 1)
FIRST_DAY, LAST_DAY = dt.date(2022, 10, 7), dt.date(2026, 11, 30)


def generated(n: int, seed: int) -> list[IcFacts]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        bits = rng.sample(BITS, rng.randint(1, 3))
        tops = {b: round(rng.uniform(1, 40_000) / b, 3) for b in bits}
        specs = IcSpecs(
            name=f"generated IC {i}",
            tops=tops,
            die_area_mm2=round(rng.uniform(40, 900), 1) if rng.random() > 0.05 else None,
            datacenter=rng.random() > 0.3,
            interconnect_gbs=round(rng.uniform(0, 1200), 1),
        )
        facts = specs_facts(specs)
        assert isinstance(facts, IcFacts)
        out.append(facts)
    return out


def kernel(columns: dict[str, np.ndarray], p: Any) -> np.ndarray:
    """The 3A090 bands of 15 CFR 774 as rewritten effective 2023-11-17, vectorised."""
    tpp, pd, datacenter = columns["tpp"], columns["pd"], columns["datacenter"]
    has_pd = ~np.isnan(pd)
    note2 = ~datacenter & (tpp < p.get("note2_tpp_below"))
    a1 = tpp >= p.get("a1_tpp_min")
    a2 = has_pd & (tpp >= p.get("a2_tpp_min")) & (pd >= p.get("a2_pd_min"))
    b1 = (
        has_pd
        & datacenter
        & (tpp >= p.get("b1_tpp_min"))
        & (tpp < p.get("b1_tpp_below"))
        & (pd >= p.get("b1_pd_min"))
        & (pd < p.get("b1_pd_below"))
    )
    b2 = (
        has_pd
        & datacenter
        & (tpp >= p.get("b2_tpp_min"))
        & (pd >= p.get("b2_pd_min"))
        & (pd < p.get("b2_pd_below"))
    )
    floor = min(p.get("a2_tpp_min"), p.get("b1_tpp_min"), p.get("b2_tpp_min"))
    unknown = ~has_pd & ~a1 & (tpp >= floor)
    codes = np.full(tpp.shape, "not_controlled", dtype=object)
    codes[b1 | b2] = "3A090.b"
    codes[a1 | a2] = "3A090.a"
    codes[unknown] = "indeterminate"
    codes[note2] = "not_controlled"
    return codes


def columns_of(items: list[IcFacts]) -> dict[str, np.ndarray]:
    return {
        "tpp": np.array([f.tpp.value if f.tpp else 0.0 for f in items]),
        "pd": np.array([np.nan if f.pd is None else f.pd for f in items]),
        "datacenter": np.array([f.datacenter for f in items]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    items = generated(args.items, args.seed)
    rules = resolve("us", RULES_DAY, Mode.enforced)
    provision = rules.provision("eccn_3a090")
    assert provision is not None

    start = time.perf_counter()
    ours = [classify(f, rules).control_code for f in items]
    uncached = len(items) / (time.perf_counter() - start)

    columns = columns_of(items)  # the kernel is given its columns: only the bands are timed
    runs, start = 0, time.perf_counter()
    while runs == 0 or time.perf_counter() - start < 1.0:
        theirs = kernel(columns, provision)
        runs += 1
    kernel_rate = runs * len(items) / (time.perf_counter() - start)
    disagree = sum(a != b for a, b in zip(ours, theirs, strict=True))

    catalogue = [catalog_facts(e.id) for e in load_catalog() if isinstance(e, IcEntry)]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for f in catalogue:
            classify(f, rules)
        done += len(catalogue)
    warm = done / (time.perf_counter() - start)

    rng = random.Random(args.seed + 1)
    span = (LAST_DAY - FIRST_DAY).days
    days = [FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1)) for _ in items]
    start = time.perf_counter()
    for f, day in zip(items, days, strict=True):
        classify(f, resolve("us", day, Mode.enforced))
    dated = len(items) / (time.perf_counter() - start)

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "items": args.items,
                "seed": args.seed,
                "uncached_per_s": round(uncached),
                "kernel_per_s": round(kernel_rate),
                "uncached_vs_kernel": round(uncached / kernel_rate, 4),
                "control_codes_disagreeing_with_kernel": disagree,
                "warm_memo_hits_per_s": round(warm),
                "warm_catalogue_items": len(catalogue),
                "dated_uncached_per_s": round(dated),
                "dated_distinct_days": len(set(days)),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
