"""Committed reservations per second on the durable ledger, next to the database's own.

Each writer is a separate process committing one order at a time (an H100 order to the
UAE drawing a licence, so every commit is a reservation with a journal entry, postings and
the whole determination). The bare capacity is the same number of processes doing the
smallest durable write the database offers on the same machine: on SQLite, ``BEGIN
IMMEDIATE; UPDATE one row; COMMIT`` with the ledger's own settings (WAL,
``synchronous=FULL``); on PostgreSQL, ``pgbench`` with its built-in ``simple-update``
script.

The PostgreSQL figures are of whatever server answers at ``--postgres`` (default: the test
server ``scripts/postgres.sh`` starts, 127.0.0.1:5432, with the test credentials), when
``pgbench`` is installed; the output names that server and its version, or why it was
skipped, so a figure is never of an unnamed server.

Usage: python bench/bench_ledger.py [--seconds S] [--writers 1,8,32] [--postgres URL]
Prints one JSON object; docs/benchmarks.md records the figures with machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dualuse.contract import parse_transaction
from dualuse.ledger.licence import parse_licence
from dualuse.ledger.store import LedgerStore

FORK = mp.get_context("fork")
ORDER = {
    "date": "2025-03-03",
    "ship_from": "US",
    "destination": "AE",
    "parties": {"consignee": {"name": "Example AI FZ-LLC", "country": "AE"}},
    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 8, "value_usd": 240_000}],
}
LICENCE = {
    "jurisdiction": "us",
    "authority": "BIS",
    "number": "BENCH-1",
    "control_codes": ["3A090"],
    "destinations": ["AE"],
    "quantity": 1e15,
    "valid_from": "2025-01-01",
    "valid_until": "2028-12-31",
}


def _ledger_writer(url: str, seconds: float, start: Any, counts: Any) -> None:
    store = LedgerStore.open(url)
    tx = parse_transaction(ORDER)
    start.wait()
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        (result,) = store.commit([tx], "bench")
        assert result.determination is not None
        assert result.determination.jurisdictions[0].authorization == "LICENCE:BENCH-1"
        done += 1
    counts.put(done)
    store.close()


def _sqlite_bare_writer(path: str, seconds: float, start: Any, counts: Any) -> None:
    connection = sqlite3.connect(path, timeout=120, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    start.wait()
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
        connection.execute("COMMIT")
        done += 1
    counts.put(done)
    connection.close()


def _run(target: Any, arg: str, writers: int, seconds: float) -> float:
    start = FORK.Barrier(writers + 1)
    counts = FORK.Queue()
    processes = [
        FORK.Process(target=target, args=(arg, seconds, start, counts)) for _ in range(writers)
    ]
    for p in processes:
        p.start()
    start.wait()
    began = time.perf_counter()
    total = sum(counts.get(timeout=seconds * 10 + 120) for _ in processes)
    elapsed = time.perf_counter() - began
    for p in processes:
        p.join()
    return total / elapsed


def _fresh_sqlite(folder: Path, name: str) -> str:
    return f"sqlite:///{folder / name}"


def _prepare(url: str) -> None:
    store = LedgerStore.open(url)
    store.add_licence(parse_licence(LICENCE), "bench")
    store.close()


def bench_sqlite(writers: list[int], seconds: float) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare_path = folder / "bare.db"
        setup = sqlite3.connect(bare_path, isolation_level=None)
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
        setup.close()
        for n in writers:
            url = _fresh_sqlite(folder, f"ledger-{n}.db")
            _prepare(url)
            ledger = _run(_ledger_writer, url, n, seconds)
            bare = _run(_sqlite_bare_writer, str(bare_path), n, seconds)
            rows.append(_row("sqlite", n, ledger, bare, "BEGIN IMMEDIATE; UPDATE; COMMIT"))
    return rows


def _pgbench(url: str, clients: int, seconds: float) -> float:
    u = make_url(url)
    env = {**os.environ, "PGPASSWORD": u.password or ""}
    base = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or ""]
    subprocess.run(
        ["pgbench", "-i", "-q", "-s", "1", *base, u.database or ""],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    result = subprocess.run(
        [
            "pgbench", "-b", "simple-update", "-c", str(clients), "-j", str(min(clients, 2)),
            "-T", str(max(1, int(seconds))), "-n", *base, u.database or "",
        ],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    match = re.search(r"tps = ([0-9.]+)", result.stdout)
    if match is None:
        raise RuntimeError(f"pgbench printed no tps:\n{result.stdout}")
    return float(match.group(1))


def bench_postgres(url: str, writers: list[int], seconds: float) -> list[dict[str, Any]]:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    rows = []
    try:
        for n in writers:
            name = f"dualuse_bench_{n}"
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                c.execute(text(f'CREATE DATABASE "{name}"'))
            db_url = make_url(url).set(database=name).render_as_string(hide_password=False)
            _prepare(db_url)
            ledger = _run(_ledger_writer, db_url, n, seconds)
            bare = _pgbench(db_url, n, seconds)
            rows.append(_row("postgresql", n, ledger, bare, "pgbench -b simple-update"))
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
    return rows


def _postgres_server(url: str) -> dict[str, str]:
    """The server the PostgreSQL rows measure, or why there are none."""
    shown = make_url(url).render_as_string(hide_password=True)
    if not shutil.which("pgbench"):
        return {"url": shown, "skipped": "pgbench is not installed"}
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as c:
            version = str(c.execute(text("SELECT version()")).scalar())
        engine.dispose()
    except Exception as exc:  # any failure to connect: say so instead of measuring nothing
        return {"url": shown, "skipped": f"cannot connect: {str(exc).splitlines()[0]}"}
    return {"url": shown, "version": version}


def _row(backend: str, writers: int, ledger: float, bare: float, baseline: str) -> dict[str, Any]:
    return {
        "backend": backend,
        "writers": writers,
        "reservations_per_s": round(ledger, 1),
        "bare_per_s": round(bare, 1),
        "ratio": round(ledger / bare, 3) if bare else None,
        "bare_workload": baseline,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--writers", default="1,8,32")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "DUALUSE_TEST_POSTGRES_URL",
            "postgresql+psycopg://dualuse:dualuse@127.0.0.1:5432/dualuse_test",
        ),
    )
    args = parser.parse_args()
    writers = [int(n) for n in args.writers.split(",")]
    rows = bench_sqlite(writers, args.seconds)
    server = _postgres_server(args.postgres)
    if server.get("version"):
        rows += bench_postgres(args.postgres, writers, args.seconds)
    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "seconds_per_run": args.seconds,
                "postgres_server": server,
                "rows": rows,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
