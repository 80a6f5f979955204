"""`dualuse serve --workers 2` over one ledger, on SQLite and PostgreSQL.

Each worker keeps its own snapshot of the ledger's balances and reads the journal's head
once per turn to see whether another process has appended since; these tests pin one
connection to each worker (``/readyz`` names the process) so that a commit made in one
process is read in the other. The expected figures are the ledger tests' (see
tests/ledger/orders.py): 100 H100s draw 1,583,120 TPP of LPP's 26,900,000 per consignee and
year (15 CFR 740.29), so 16 such orders fit in a year and a 17th does not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.api.served import Served, serve, worker_pids
from tests.ledger.orders import LPP_LIMIT, LPP_ORDER_DOCUMENT, LPP_ORDERS_THAT_FIT, ORDER_TPP


def pinned(served: Served, stack: ExitStack) -> dict[int, httpx2.Client]:
    """One kept-alive connection to each worker, keyed by the worker's process id."""
    clients: dict[int, httpx2.Client] = {}
    for _ in range(200):
        if len(clients) == len(served.workers):
            return clients
        client = stack.enter_context(served.client())
        pid = client.get("/readyz").json()["process"]
        if pid in clients:
            client.close()
        else:
            clients[pid] = client
    raise AssertionError(f"could not reach every worker of {sorted(served.workers)}")


def on(client: httpx2.Client, pid: int) -> httpx2.Client:
    """The client, after checking that its connection still reaches worker ``pid``."""
    assert client.get("/readyz").json()["process"] == pid
    return client


def order(number: int) -> dict[str, Any]:
    return {**LPP_ORDER_DOCUMENT, "id": f"PO-{number}"}


def lpp(determination: dict[str, Any]) -> dict[str, Any]:
    (quota,) = determination["jurisdictions"][0]["quota"]
    assert isinstance(quota, dict)
    return quota


@pytest.fixture
def two_workers(ledger_url: str) -> Iterator[tuple[Served, dict[int, httpx2.Client]]]:
    with serve(ledger_url, workers=2, require_keys=False) as served, ExitStack() as stack:
        yield served, pinned(served, stack)


def test_a_commit_in_one_worker_is_read_in_the_other(
    two_workers: tuple[Served, dict[int, httpx2.Client]],
) -> None:
    _, clients = two_workers
    (first, a), (second, b) = clients.items()
    for k in range(1, 5):
        writer, reader = ((first, a), (second, b)) if k % 2 else ((second, b), (first, a))
        committed = on(writer[1], writer[0]).post("/v1/determinations?commit=true", json=order(k))
        assert committed.status_code == 200, committed.text
        assert lpp(committed.json())["used_before"] == pytest.approx((k - 1) * ORDER_TPP)
        # The other process has an older snapshot; its next turn must see the new head.
        read = on(reader[1], reader[0]).post("/v1/determinations", json=order(100 + k))
        assert lpp(read.json())["used_before"] == pytest.approx(k * ORDER_TPP)


def test_concurrent_commits_on_two_workers_never_overdraw(
    two_workers: tuple[Served, dict[int, httpx2.Client]],
) -> None:
    served, clients = two_workers
    orders = [order(n) for n in range(LPP_ORDERS_THAT_FIT + 6)]

    def commit(document: dict[str, Any]) -> dict[str, Any]:
        # A fresh connection per order: the kernel spreads them over both workers.
        with served.client() as client:
            answer = client.post("/v1/determinations?commit=true", json=document)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(commit, orders))
    authorizations = [r["jurisdictions"][0]["authorization"] for r in results]
    assert authorizations.count("LPP") == LPP_ORDERS_THAT_FIT
    # Past the allowance the order needs a licence (15 CFR 740.29); it draws nothing.
    assert sum(r["verdict"] == "license_required" for r in results) == 6
    for pid, client in clients.items():
        accounts = on(client, pid).get("/v1/ledger/accounts").json()
        (account,) = [a for a in accounts if ":lpp:" in a["account"]]
        assert account["used"] == pytest.approx(LPP_ORDERS_THAT_FIT * ORDER_TPP)
        assert account["used"] <= LPP_LIMIT
    assert {r["journal"]["seq"] for r in results} == set(range(1, len(orders) + 1))


def test_a_killed_worker_is_replaced_and_nothing_acknowledged_is_lost(
    ledger_url: str, tmp_path: Path
) -> None:
    with serve(ledger_url, workers=2, require_keys=False) as served, ExitStack() as stack:
        clients = pinned(served, stack)
        (victim, doomed), (survivor, kept) = clients.items()
        assert on(doomed, victim).post("/v1/determinations?commit=true", json=order(1)).is_success
        assert on(kept, survivor).post("/v1/determinations?commit=true", json=order(2)).is_success
        os.kill(victim, signal.SIGKILL)
        # The supervisor starts a new worker in the dead one's place.
        now = worker_pids(served.base, 2, seconds=60, server=served.process)
        assert survivor in now and victim not in now
        replacement = (now - {survivor}).pop()
        fresh = pinned(Served(served.base, served.process, now), stack)
        read = on(fresh[replacement], replacement).post("/v1/determinations", json=order(3))
        assert lpp(read.json())["used_before"] == pytest.approx(2 * ORDER_TPP)
        committed = on(fresh[replacement], replacement).post(
            "/v1/determinations?commit=true", json=order(3)
        )
        assert committed.json()["journal"]["seq"] == 3
    audit = subprocess.run(
        [str(Path(sys.executable).with_name("dualuse")), "audit", "verify"],
        env={**os.environ, "DUALUSE_DATABASE_URL": ledger_url, "DUALUSE_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert audit.stdout.startswith("ok: 3 entries"), audit.stdout
