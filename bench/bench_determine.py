"""Determination speed in-process: new transactions, and (labelled) repeated ones.

Usage: python bench/bench_determine.py [--transactions N] [--seed S] [--seconds S]

- ``uncached``: N transactions generated from a seed (bench_check's generator: every
  catalogue item, 40 routes, a new consignee every third order, days from 2022-10-07 to
  2026-11-30), each read from its JSON text, parsed and determined once, in date order
  against one book, as `dualuse check` does; the same-run baseline is reading and parsing
  alone (json.loads + parse_transaction) on the same texts.
- ``warm``: 2,000 transactions of a small mix (ten chips, thirteen destinations, six days,
  500 consignees) determined over and over: what a memo hit costs, not a user's new input.

`dualuse check` on a long file is bench/bench_check.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dualuse.contract import parse_transaction
from dualuse.engine import determine, determine_in_order

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_check import generate

CHIPS = [
    "nvidia/h100-sxm",
    "nvidia/h20",
    "nvidia/l40",
    "nvidia/rtx-4090",
    "nvidia/a10",
    "nvidia/b200",
    "nvidia/h200",
    "amd/mi300x",
    "nvidia/dgx-h100",
    "nvidia/l4",
]
DESTINATIONS = ["IN", "KR", "DE", "SA", "AE", "VN", "MY", "SG", "CN", "MO", "HK", "IL", "BR"]
DAYS = ["2023-06-01", "2023-12-01", "2024-06-01", "2025-06-01", "2026-03-01", "2026-11-24"]


def transactions(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        dest = rng.choice(DESTINATIONS)
        out.append(
            {
                "id": f"T{i}",
                "date": rng.choice(DAYS),
                "mode": rng.choice(["enforced", "codified"]),
                "ship_from": "US",
                "destination": dest,
                "parties": {
                    "consignee": {"name": f"Consignee {rng.randrange(500)}", "country": dest}
                },
                "items": [{"catalog": rng.choice(CHIPS), "quantity": rng.randrange(1, 2000)}],
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=40)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.jsonl"
        generate(path, args.transactions, args.seed)
        texts = path.read_text(encoding="utf-8").splitlines()
    texts.sort(key=lambda t: json.loads(t)["date"])
    start = time.perf_counter()
    for text in texts:
        parse_transaction(json.loads(text))
    parse_rate = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    for _, det in determine_in_order(parse_transaction(json.loads(t)) for t in texts):
        det.model_dump_json()
    uncached = len(texts) / (time.perf_counter() - start)

    parsed = [parse_transaction(t) for t in transactions(2_000)]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for tx in parsed:
            determine(tx)
        done += len(parsed)
    warm = done / (time.perf_counter() - start)

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "transactions": args.transactions,
                "seed": args.seed,
                "uncached_read_parse_determine_serialize_per_s": round(uncached),
                "baseline_read_parse_per_s": round(parse_rate),
                "uncached_vs_read_parse": round(uncached / parse_rate, 3),
                "warm_repeated_2000_per_s": round(warm),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
