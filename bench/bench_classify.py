"""Classification speed, in-process, on one core; and the CLI's start-up time.

Usage: python bench/bench_classify.py [--seconds S]
Prints one JSON object; docs/benchmarks.md records the figures with machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from dualuse.catalog import IcEntry, load_catalog
from dualuse.classification import classify_item
from dualuse.contract import Item, Mode
from dualuse.items import catalog_facts
from dualuse.rulebooks import resolve
from dualuse.rules.us.classification import classify

DATES = [dt.date(2022, 12, 1), dt.date(2023, 12, 1), dt.date(2025, 6, 1), dt.date(2026, 11, 24)]


def rate(fn: Any, work: list[Any], seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for args in work:
            fn(*args)
        done += len(work)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    catalog = load_catalog()
    ids = [e.id for e in catalog if isinstance(e, IcEntry)]
    # Engine core: item facts and rules resolved as the engine caches them.
    core = [(catalog_facts(i), resolve("us", d, Mode.enforced)) for i in ids for d in DATES]
    core_rate = rate(classify, core, args.seconds)
    # Full report: resolution lookup, classification, and rendered reasons (English).
    full = [(Item(catalog=i, quantity=1), d) for i in ids for d in DATES]
    full_rate = rate(classify_item, full, args.seconds)

    cli = Path(sys.executable).with_name("dualuse")
    timings = []
    for _ in range(10):
        start = time.perf_counter()
        subprocess.run([str(cli), "--help"], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": (
                    f"{platform.machine()}, {os.cpu_count()} cores, "
                    f"Python {platform.python_version()}"
                ),
                "items": len(ids),
                "classifications_per_s_core": round(core_rate),
                "classifications_per_s_with_rendered_reasons": round(full_rate),
                "cli_help_seconds_median": round(statistics.median(timings), 3),
                "cli_help_seconds_max": round(max(timings), 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
