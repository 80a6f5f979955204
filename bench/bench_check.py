"""`dualuse check` on a long generated file: the streaming command against the batch path.

Usage: python bench/bench_check.py [--lines N] [--sample N] [--seed S] [--skip-batch]

Generates N JSON Lines transactions from a seed -- every catalogue item, 40 routes, one
consignee name per three lines (so screening and quota accounts are mostly new), a day
drawn from 2022-10-07 to 2026-11-30, not in date order -- and runs, each in a fresh process
under /usr/bin/time -v, one after the other on the same file:

- ``dualuse check FILE --format jsonl`` (the streaming command), and
- the batch path the command took before it streamed, through the library: every
  transaction parsed into a list (``dualuse.cli.load_transactions``), decided by
  ``determine_many``, then written.

It prints the machine, the date, both wall times, their ratio and both peak RSS; and checks
that both print the same bytes on a SAMPLE-line prefix of the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dualuse.catalog import load_catalog

ROUTES = [
    (origin, destination)
    for origin in ("US", "TW", "KR", "MY", "NL", "JP")
    for destination in ("CN", "IN", "AE", "SA", "VN", "DE", "KR", "SG", "BR", "MO", "HK", "KP")
][:40]
FIRST_DAY, LAST_DAY = dt.date(2022, 10, 7), dt.date(2026, 11, 30)

BATCH = """
import sys
from pathlib import Path
from dualuse.cli import load_transactions
from dualuse.engine import determine_many
transactions = load_transactions([Path(sys.argv[1])], {})
write = sys.stdout.write
for determination in determine_many(transactions):
    write(determination.model_dump_json() + "\\n")
"""


def generate(path: Path, lines: int, seed: int) -> None:
    rng = random.Random(seed)
    items = sorted(entry.id for entry in load_catalog())
    span = (LAST_DAY - FIRST_DAY).days
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            origin, destination = rng.choice(ROUTES)
            document: dict[str, Any] = {
                "id": f"G{i}",
                "date": (FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                "mode": rng.choice(["enforced", "codified"]),
                "ship_from": origin,
                "destination": destination,
                "parties": {
                    "consignee": {"name": f"Generated Buyer {i // 3} Ltd", "country": destination}
                },
                "items": [{"catalog": rng.choice(items), "quantity": rng.randrange(1, 3000)}],
            }
            out.write(json.dumps(document) + "\n")


def timed(command: list[str], stdout: Any, home: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of ``command`` in a fresh process."""
    env = {**os.environ, "DUALUSE_HOME": str(home)}
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert peak is not None, done.stderr[-500:]
    return seconds, int(peak.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--skip-batch", action="store_true", help="only the streaming run")
    args = parser.parse_args()
    cli = str(Path(sys.executable).with_name("dualuse"))
    batch = [sys.executable, "-c", BATCH]
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "lines": args.lines,
        "input": f"generated, seed {args.seed}, not in date order",
    }
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        home = work / "home"  # no ledger: both decide against an empty book
        sample = work / "sample.jsonl"
        generate(sample, args.sample, args.seed)
        outputs = []
        for command in ([cli, "check", str(sample), "--format", "jsonl"], [*batch, str(sample)]):
            with (work / "out").open("w") as out:
                timed(command, out, home)
            outputs.append((work / "out").read_bytes())
        result["sample_lines"] = args.sample
        result["sample_output_identical"] = outputs[0] == outputs[1]
        del outputs
        path = work / "transactions.jsonl"
        generate(path, args.lines, args.seed)
        seconds, peak = timed(
            [cli, "check", str(path), "--format", "jsonl"], subprocess.DEVNULL, home
        )
        result["streaming_seconds"] = round(seconds, 1)
        result["streaming_peak_rss_mib"] = round(peak / 1024)
        result["streaming_us_per_transaction"] = round(seconds / args.lines * 1e6)
        if not args.skip_batch:
            seconds_b, peak_b = timed([*batch, str(path)], subprocess.DEVNULL, home)
            result["batch_seconds"] = round(seconds_b, 1)
            result["batch_peak_rss_mib"] = round(peak_b / 1024)
            result["batch_us_per_transaction"] = round(seconds_b / args.lines * 1e6)
            result["speed_vs_batch"] = round(seconds_b / seconds, 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
