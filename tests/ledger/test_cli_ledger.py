"""The ledger on the command line: commit, replay, release, licences, audit; exit codes.

Bad input exits with code 2, names the field and changes nothing stored; a ledger that
cannot be reached exits with code 1 in one line; neither prints a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dualuse.cli import app

from .orders import LICENCE_DOCUMENT, LPP_ORDER_DOCUMENT

runner = CliRunner()

ORDER = LPP_ORDER_DOCUMENT
LICENCE = LICENCE_DOCUMENT


@pytest.fixture
def env(tmp_path: Path, ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", ledger_url)
    monkeypatch.setenv("DUALUSE_ACTOR", "officer-1")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, name: str, data: object) -> str:
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def journal_size() -> int:
    code, out, _ = run("audit", "export", "--format", "json")
    assert code == 0
    return len(json.loads(out)["entries"])


def test_commit_replay_release_and_audit(env: Path) -> None:
    order = write(env, "order.yaml", ORDER)
    code, out, _ = run("check", order, "--commit", "--idempotency-key", "PO-1")
    assert code == 0
    det = json.loads(out)
    assert det["jurisdictions"][0]["authorization"] == "LPP"
    assert det["journal"]["seq"] == 1 and det["journal"]["actor"] == "officer-1"
    code, out, _ = run("check", order, "--commit", "--idempotency-key", "PO-1", "-f", "summary")
    assert (
        code == 0 and json.loads(out)["replayed"] is True and json.loads(out)["journal_entry"] == 1
    )
    # Without --commit the ledger's balance is read, nothing is written.
    code, out, _ = run("check", order)
    assert json.loads(out)["jurisdictions"][0]["quota"][0]["used_before"] == pytest.approx(
        1_583_120
    )
    assert journal_size() == 1
    code, out, _ = run("ledger", "accounts", "--json")
    (account,) = [a for a in json.loads(out) if ":lpp:" in a["account"]]
    assert account["used"] == pytest.approx(1_583_120)
    assert "Example Cloud Pvt. Ltd." in account["holder"]
    code, out, _ = run("ledger", "show", account["account"], "--json")
    assert [m["seq"] for m in json.loads(out)["journal"]] == [1]
    code, out, _ = run("ledger", "release", "1", "--reason", "shipment cancelled", "--json")
    assert code == 0 and json.loads(out) == {
        "released": 1,
        "entry": 2,
        "hash": json.loads(out)["hash"],
    }
    code, out, _ = run("ledger", "show", account["account"], "--json")
    assert json.loads(out)["used"] == 0
    code, out, _ = run("audit", "verify")
    assert code == 0 and out.startswith("ok: 2 entries")
    csv_path = env / "audit.csv"
    code, _, _ = run("audit", "export", "--format", "csv", "--output", str(csv_path))
    assert code == 0
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("seq,recorded_at,kind,actor") and len(lines) == 3


def test_licences_add_list_show(env: Path) -> None:
    code, out, _ = run("licences", "add", write(env, "licence.yaml", LICENCE), "--json")
    assert code == 0 and json.loads(out)["licence"] == "us:D1000001"
    code, out, _ = run("licences", "list", "--date", "2029-01-01", "--json")
    assert [(x["number"], x["status"]) for x in json.loads(out)] == [("D1000001", "expired")]
    code, out, _ = run("licences", "show", "D1000001", "--date", "2026-01-01", "--json")
    shown = json.loads(out)
    assert shown["status"] == "valid" and shown["balances"][0]["remaining"] == 1000
    code, _, err = run("licences", "show", "D1000002")
    assert code == 2 and "NUMBER" in err and "D1000001" in err  # closest suggestion


def test_bad_input_exits_2_and_changes_nothing(env: Path) -> None:
    run("licences", "add", write(env, "licence.yaml", LICENCE))
    before = journal_size()
    bad_licence = {**LICENCE, "number": "D2", "destinations": ["XX"], "quantity": -1}
    code, _, err = run("licences", "add", write(env, "bad.yaml", bad_licence))
    assert code == 2 and "quantity" in err and "destinations[0]" in err
    code, _, err = run("check", write(env, "o.yaml", ORDER), "--idempotency-key", "K")
    assert code == 2 and "--idempotency-key" in err and "--commit" in err
    bad_order = {**ORDER, "items": [{"catalog": "nvidia/h100-sxm", "quantity": -3}]}
    code, _, err = run("check", write(env, "bad-order.yaml", bad_order), "--commit")
    assert code == 2 and "quantity" in err
    code, _, err = run("ledger", "release", "99", "--reason", "x")
    assert code == 2 and "ENTRY" in err
    code, _, err = run("ledger", "release", "1", "--reason", "  ")
    assert code == 2 and "--reason" in err
    code, _, err = run("ledger", "show", "no:such:account")
    assert code == 2 and "ACCOUNT" in err
    assert journal_size() == before
    run("check", write(env, "o.yaml", ORDER), "--commit", "--idempotency-key", "K")
    other = {**ORDER, "items": [{"catalog": "nvidia/h100-sxm", "quantity": 7}]}
    code, _, err = run(
        "check", write(env, "other.yaml", other), "--commit", "--idempotency-key", "K"
    )
    assert code == 2 and "idempotency_key" in err
    assert journal_size() == before + 1


def test_tampering_makes_verify_exit_1(env: Path, ledger_url: str) -> None:
    from sqlalchemy import create_engine, text

    run("check", write(env, "o.yaml", ORDER), "--commit")
    engine = create_engine(ledger_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE journal SET actor = 'nobody' WHERE seq = 1"))
    engine.dispose()
    code, _, err = run("audit", "verify")
    assert code == 1 and "first break at entry 1" in err


def test_an_unreachable_ledger_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DUALUSE_DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    )
    code, _, err = run("ledger", "accounts")
    assert code == 1 and err.startswith("error: cannot open the ledger")
    assert "secret" not in err  # the password is not echoed
