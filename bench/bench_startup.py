"""Start-up: `dualuse --help` and a fresh process's first determination, with the data
files read by libyaml (what dualuse does where PyYAML has it) and, side by side in the same
run, by PyYAML's pure-Python loader (what it did before).

Usage: python bench/bench_startup.py [--runs N]

Each run is a new process; the two loaders alternate so drift on a noisy machine falls on
both. Prints medians and the ratio.
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
import tempfile
import time

PURE = "import yaml; yaml.CSafeLoader = yaml.SafeLoader\n"
HELP = (
    "import sys\n"
    "sys.argv = ['dualuse', '--help']\n"
    "from dualuse.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
)
FIRST = (
    "import dualuse\n"
    "dualuse.determine(dualuse.parse_transaction({'date': '2025-06-02', 'ship_from': 'US',"
    " 'destination': 'IN', 'parties': {'consignee': {'name': 'Start Pvt Ltd', 'country': 'IN'}},"
    " 'items': [{'catalog': 'nvidia/h100-sxm', 'quantity': 8}]}))\n"
)


def seconds(code: str, home: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        env={**os.environ, "DUALUSE_HOME": home},
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    result: dict[str, object] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory() as home:
        seconds(FIRST, home)  # builds the screening index cache both variants then read
        for name, code in (("help", HELP), ("first_determination", FIRST)):
            libyaml, pure = [], []
            for _ in range(args.runs):
                libyaml.append(seconds(code, home))
                pure.append(seconds(PURE + code, home))
            result[f"{name}_seconds_libyaml"] = round(statistics.median(libyaml), 3)
            result[f"{name}_seconds_pure_python_yaml"] = round(statistics.median(pure), 3)
            result[f"{name}_speedup"] = round(
                statistics.median(pure) / statistics.median(libyaml), 2
            )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
