"""`dualuse keys` and `dualuse serve` on the command line: keys shown once and stored
hashed, revocation, and a service that refuses to run open beyond loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualuse.cli import app

runner = CliRunner()


@pytest.fixture
def env(ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", ledger_url)
    return ledger_url


def test_keys_create_list_revoke(env: str) -> None:
    made = runner.invoke(app, ["keys", "create", "analyst", "--role", "officer", "--json"])
    assert made.exit_code == 0
    key = json.loads(made.stdout)
    assert key["key"].startswith(f"du_{key['id']}_") and key["role"] == "officer"
    listed = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)
    assert [k["id"] for k in listed] == [key["id"]]
    assert key["key"] not in runner.invoke(app, ["keys", "list", "--json"]).stdout
    assert runner.invoke(app, ["keys", "revoke", key["id"]]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)
    assert listed[0]["revoked_at"] is not None
    bad = runner.invoke(app, ["keys", "create", "x", "--role", "root"])
    assert bad.exit_code == 2 and "--role" in bad.stderr
    missing = runner.invoke(app, ["keys", "revoke", "nope"])
    assert missing.exit_code == 2 and "no such key" in missing.stderr


def test_serve_refuses_to_run_open_beyond_loopback(env: str) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8999"])
    assert result.exit_code == 2
    assert "--host" in result.stderr and "keys create" in result.stderr


def test_serve_prints_the_address_and_answers(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dualuse = Path(sys.executable).with_name("dualuse")
    process = subprocess.Popen(
        [str(dualuse), "serve", "--port", str(port)],
        env={**os.environ, "DUALUSE_HOME": str(tmp_path), "DUALUSE_DATABASE_URL": ""},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        assert any(f"http://127.0.0.1:{port}/" in line for line in lines)
        assert any("open mode" in line for line in lines)
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        assert b"order-form" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
