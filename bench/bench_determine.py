"""Determination speed: in-process (single-item transactions) and `dualuse check` on a file.

Usage: python bench/bench_determine.py [--seconds S] [--transactions N]
Generates a reproducible mix of transactions (chips x destinations x dates x modes), so the
figures cover every rule family. Prints one JSON object; docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dualuse.contract import parse_transaction
from dualuse.engine import determine

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
    parser.add_argument("--transactions", type=int, default=100_000)
    args = parser.parse_args()

    parsed = [parse_transaction(t) for t in transactions(2_000)]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for tx in parsed:
            determine(tx)
        done += len(parsed)
    in_process = done / (time.perf_counter() - start)

    raw = transactions(2_000, seed=11)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for data in raw:
            determine(parse_transaction(data)).model_dump_json()
        done += len(raw)
    with_io = done / (time.perf_counter() - start)

    cli = Path(sys.executable).with_name("dualuse")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transactions.jsonl"
        path.write_text("\n".join(json.dumps(t) for t in transactions(args.transactions)) + "\n")
        timings = {}
        for fmt in ("jsonl", "summary"):
            start = time.perf_counter()
            subprocess.run(
                [str(cli), "check", str(path), "--format", fmt],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            timings[fmt] = round(time.perf_counter() - start, 2)

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "determinations_per_s_in_process": round(in_process),
                "determinations_per_s_parse_determine_serialize": round(with_io),
                "check_transactions": args.transactions,
                "check_seconds_jsonl": timings["jsonl"],
                "check_seconds_summary": timings["summary"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
