"""A real ``dualuse serve`` with several worker processes, over a test ledger.

Each worker opens the ledger itself and answers on the shared port; ``/readyz`` names the
process that answered, so a test can hold one connection to each worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

WORKERS = 2


@dataclass
class Served:
    base: str
    process: subprocess.Popen[str]
    workers: set[int]

    def client(self) -> httpx2.Client:
        return httpx2.Client(base_url=self.base, timeout=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def worker_pids(
    base: str, wanted: int, seconds: float = 60, server: subprocess.Popen[str] | None = None
) -> set[int]:
    """The worker processes answering on ``base``, waiting until ``wanted`` have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < wanted:
        if time.monotonic() > deadline or (server is not None and server.poll() is not None):
            raise TimeoutError(f"only workers {sorted(seen)} answered on {base}")
        try:
            # A new connection each time: the kernel hands it to any waiting worker.
            with httpx2.Client(base_url=base, timeout=2) as c:
                answer = c.get("/readyz")
            if answer.status_code == 200:
                seen.add(answer.json()["process"])
        except httpx2.HTTPError:
            time.sleep(0.05)
    return seen


@contextmanager
def serve(
    url: str, workers: int = WORKERS, require_keys: bool = True, home: Path | None = None
) -> Iterator[Served]:
    port = free_port()
    args = [str(Path(sys.executable).with_name("dualuse")), "serve", "--port", str(port)]
    args += ["--workers", str(workers)] + (["--require-keys"] if require_keys else [])
    env = {**os.environ, "DUALUSE_DATABASE_URL": url}
    if home is not None:
        env["DUALUSE_HOME"] = str(home)
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            pids = worker_pids(base, workers, server=process)
        except TimeoutError as timeout:
            process.kill()
            stderr = process.communicate()[1][-2000:]
            raise AssertionError(f"serve did not start: {stderr}") from timeout
        yield Served(base, process, pids)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
