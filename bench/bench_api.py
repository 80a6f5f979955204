"""Load test of POST /v1/determinations on loopback, next to a bare endpoint of the same app.

Starts ``dualuse serve`` (one uvicorn worker, open mode, a fresh SQLite ledger) and drives
it with ``wrk`` (Debian's package) at 1, 8 and 32 connections, each run bounded in time
(``--seconds``) and in requests (``--max-requests``, enforced by the Lua script). The bare
endpoint is ``GET /healthz`` of the same app: routing, middleware and JSON, no engine.
Reports requests/s and p50/p99 latency, the server's CPU time per request, and the
determination endpoint's share of the bare endpoint's throughput.

The two endpoints are measured in alternating rounds (``--rounds``, bare then determination)
and each figure is the median round: the machine's speed drifts by several per cent from
one minute to the next, and measuring one endpoint long after the other folded that drift
into the share.

With ``--vary-parties`` every request names a different consignee, drawn in turn from the
queries of tests/screening/pairs.csv (Latin variants of listed names, Han and Hangul names,
real unlisted companies), so that each determination screens a new name against the whole
list instead of one name the caches know.

Usage: python bench/bench_api.py [--seconds S] [--max-requests N] [--connections 1,8,32]
       [--rounds R] [--vary-parties]
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
    """A wrk script body whose request() sends the order with the next consignee name."""
    import csv

    pairs = Path(__file__).resolve().parent.parent / "tests/screening/pairs.csv"
    with pairs.open(encoding="utf-8") as fh:
        names = list(dict.fromkeys(row["query"] for row in csv.DictReader(fh)))[:limit]
    bodies = []
    for name in names:
        order = {**ORDER, "parties": {"consignee": {"name": name, "country": "SG"}}}
        bodies.append(json.dumps(json.dumps(order)))
    return (
        "local bodies = {" + ",".join(bodies) + "}\n"
        "local i = 0\n"
        "function request()\n"
        "  i = (i % #bodies) + 1\n"
        '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])\n'
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


def _server_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of the server process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vary-parties", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    port = _free_port()
    home = tempfile.mkdtemp()
    dualuse = Path(sys.executable).with_name("dualuse")
    server = subprocess.Popen(
        [str(dualuse), "serve", "--port", str(port)],
        env={**os.environ, "DUALUSE_HOME": home, "DUALUSE_DATABASE_URL": ""},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        post = (
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(json.dumps(ORDER))}\n"
            'wrk.headers["Content-Type"] = "application/json"'
        )
        if args.vary_parties:
            post = _varied_post()
        # Warm up the engine's caches (rulebooks, catalog, list index) before measuring.
        _wrk(f"{base}/v1/determinations", 2, 2, 2000, post)
        rows = []
        for n in (int(c) for c in args.connections.split(",")):
            bare_runs, det_runs = [], []
            for _ in range(args.rounds):
                bare_runs.append(
                    _measured(server.pid, f"{base}/healthz", n, args.seconds, args.max_requests, "")
                )
                det_runs.append(
                    _measured(
                        server.pid,
                        f"{base}/v1/determinations",
                        n,
                        args.seconds,
                        args.max_requests,
                        post,
                    )
                )
            bare, det = _median_run(bare_runs), _median_run(det_runs)
            rows.append(
                {
                    "connections": n,
                    "determinations": det,
                    "bare_healthz": bare,
                    "share_of_bare": round(det["requests_per_s"] / bare["requests_per_s"], 3),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "server": "dualuse serve: one uvicorn worker, open mode, SQLite ledger",
                "parties": "a new consignee name per request (tests/screening/pairs.csv)"
                if args.vary_parties
                else "one consignee",
                "rounds": args.rounds,
                "seconds_per_run": args.seconds,
                "rows": rows,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
