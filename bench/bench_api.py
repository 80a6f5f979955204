"""Load test of POST /v1/determinations on loopback, next to a bare endpoint of the same app.

Starts one ``dualuse serve`` per worker count (``--workers 1,2``: open mode, a fresh SQLite
ledger each) and drives them with ``wrk`` (Debian's package) at 1, 8 and 32 connections,
each run bounded in time (``--seconds``) and in requests (``--max-requests``, enforced by
the Lua script). The bare endpoint is ``GET /healthz`` of the same app: routing, middleware
and JSON, no engine. Reports requests/s and p50/p99 latency, the server's CPU time per
request (all its worker processes), determinations per bare request of the same server,
and each server's determinations/s as a ratio to the first's.

Servers and endpoints are measured in alternating rounds (``--rounds``: for each server,
bare then determination) and each figure is the median round: the machine's speed drifts
by several per cent from one minute to the next, and measuring one long after the other
folded that drift into the ratios.

With ``--vary-parties`` every request names a consignee the server has not seen, drawn in
turn from the queries of tests/screening/pairs.csv (Latin variants of listed names, Han and
Hangul names, real unlisted companies; after the first lap with a lap number appended), so
that each determination screens a new name against the whole list: the uncached case.
Without it every request names one consignee, whose screening the server remembers: the
warm case, labelled so.

Usage: python bench/bench_api.py [--seconds S] [--max-requests N] [--connections 1,8,32]
       [--workers 1,2] [--rounds R] [--vary-parties]
Prints one JSON object; docs/benchmarks.md records the figures with machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ORDER = {
    "date": "2025-06-02",
    "mode": "codified",
    "ship_from": "US",
    "destination": "IN",
    "parties": {"consignee": {"name": "Example Cloud Pvt. Ltd.", "country": "IN"}},
    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 100}],
}

LUA = """
local max = tonumber(os.getenv("BENCH_MAX") or "0")
local count = 0
{setup}
function response(status, headers, body)
  if status ~= 200 then error("status " .. status) end
  count = count + 1
  if max > 0 and count >= max then wrk.thread:stop() end
end
"""


def _varied_post(limit: int = 5000) -> str:
    """A wrk script body whose request() sends the order with a consignee name the server
    has not seen: the queries of pairs.csv in turn, then again with the round's number
    appended, so that no screening is answered from the server's memory of names."""
    import csv

    pairs = Path(__file__).resolve().parent.parent / "tests/screening/pairs.csv"
    with pairs.open(encoding="utf-8") as fh:
        names = list(dict.fromkeys(row["query"] for row in csv.DictReader(fh)))[:limit]
    marker = "\u0000NAME\u0000"
    order = {**ORDER, "parties": {"consignee": {"name": marker, "country": "SG"}}}
    before, after = json.dumps(order).split(json.dumps(marker)[1:-1])
    quoted = ",".join(json.dumps(json.dumps(n)[1:-1]) for n in names)
    return (
        f"local names = {{{quoted}}}\n"
        f"local before, after = {json.dumps(before)}, {json.dumps(after)}\n"
        "local i, lap = 0, 0\n"
        # Each wrk thread has its own state: thread ids keep their laps apart.
        "local tag = tostring(math.random(1000000))\n"
        "function request()\n"
        "  i = i + 1\n"
        "  if i > #names then i, lap = 1, lap + 1 end\n"
        "  local name = names[i]\n"
        '  if lap > 0 then name = name .. " " .. tag .. "-" .. lap end\n'
        '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"},\n'
        "    before .. name .. after)\n"
        "end"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _unit_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(
    url: str, connections: int, seconds: float, max_requests: int, setup: str
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.replace("{setup}", setup))
    threads = min(connections, 2)
    per_thread = max(1, max_requests // threads)
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, int(seconds))}s",
         "--latency", "-s", script.name, url],
        capture_output=True, text=True, check=True,
        env={**os.environ, "BENCH_MAX": str(per_thread)},
    ).stdout  # fmt: skip
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"\s+(50|99)%\s+([0-9.]+\w+)", out))
    parsed = {k: re.match(r"([0-9.]+)(\w+)", v).groups() for k, v in latency.items()}  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": total,
        "requests_per_s": round(rps, 1),
        "p50_ms": round(_unit_ms(*parsed["50"]), 2),
        "p99_ms": round(_unit_ms(*parsed["99"]), 2),
        "errors": int(errors.group(1)) if errors else 0,
    }


def _process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of one process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu_s(pid: int) -> float | None:
    """CPU seconds of the server: the process and, with several workers, its children."""
    own = _process_cpu_s(pid)
    if own is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own + sum(_process_cpu_s(int(c)) or 0.0 for c in children)


def _measured(
    pid: int, url: str, connections: int, seconds: float, max_requests: int, setup: str
) -> dict[str, Any]:
    before = _server_cpu_s(pid)
    run = _wrk(url, connections, seconds, max_requests, setup)
    after = _server_cpu_s(pid)
    if before is not None and after is not None and run["requests"]:
        run["server_cpu_us_per_request"] = round((after - before) / run["requests"] * 1e6, 1)
    return run


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["requests_per_s"])
    return {
        **ordered[len(ordered) // 2],
        "rounds_requests_per_s": [r["requests_per_s"] for r in runs],
    }


def _start(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """``dualuse serve`` with this many workers over a fresh SQLite ledger, answering."""
    port = _free_port()
    dualuse = Path(sys.executable).with_name("dualuse")
    server = subprocess.Popen(
        [str(dualuse), "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "DUALUSE_HOME": tempfile.mkdtemp(), "DUALUSE_DATABASE_URL": ""},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    seen: set[int] = set()
    for _ in range(600):  # every worker answers before measuring
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as answer:
                seen.add(json.load(answer)["process"])
            if len(seen) >= workers:
                break
        except OSError:
            time.sleep(0.1)
    return server, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--workers", default="1,2", help="servers to compare, by worker count")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vary-parties", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    post = (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(ORDER))}\n"
        'wrk.headers["Content-Type"] = "application/json"'
    )
    if args.vary_parties:
        post = _varied_post()
    counts = [int(w) for w in args.workers.split(",")]
    # Every server runs for the whole benchmark (an idle one takes no CPU) and the rounds
    # alternate between them, so the machine's drift falls on all of them alike.
    servers = {w: _start(w) for w in counts}
    rows = []
    try:
        for _, base in servers.values():  # warm every worker's caches before measuring
            _wrk(f"{base}/v1/determinations", 4, 3, 4000, post)
        for n in (int(c) for c in args.connections.split(",")):
            runs: dict[int, dict[str, list[dict[str, Any]]]] = {
                w: {"bare": [], "det": []} for w in counts
            }
            for _ in range(args.rounds):
                for w, (server, base) in servers.items():
                    runs[w]["bare"].append(
                        _measured(server.pid, f"{base}/healthz", n, args.seconds,
                                  args.max_requests, "")
                    )  # fmt: skip
                    runs[w]["det"].append(
                        _measured(server.pid, f"{base}/v1/determinations", n, args.seconds,
                                  args.max_requests, post)
                    )  # fmt: skip
            row: dict[str, Any] = {"connections": n}
            for w in counts:
                bare, det = _median_run(runs[w]["bare"]), _median_run(runs[w]["det"])
                row[f"workers_{w}"] = {
                    "determinations": det,
                    "bare_healthz": bare,
                    "determinations_per_bare": round(
                        det["requests_per_s"] / bare["requests_per_s"], 3
                    ),
                }
            if len(counts) > 1:
                one = row[f"workers_{counts[0]}"]["determinations"]["requests_per_s"]
                row["determinations_vs_first"] = {
                    f"workers_{w}": round(
                        row[f"workers_{w}"]["determinations"]["requests_per_s"] / one, 3
                    )
                    for w in counts[1:]
                }
            rows.append(row)
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=30)
    import importlib.util

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "server": "dualuse serve --workers N, open mode, a fresh SQLite ledger each; "
                "wrk shares the machine's cores",
                "http": "httptools + uvloop"
                if importlib.util.find_spec("httptools") and importlib.util.find_spec("uvloop")
                else "h11 + asyncio",
                "parties": "uncached: a consignee name new to the server per request "
                "(tests/screening/pairs.csv, lap number appended after the first lap)"
                if args.vary_parties
                else "warm: one consignee, its screening remembered after the first",
                "rounds": args.rounds,
                "seconds_per_run": args.seconds,
                "rows": rows,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
