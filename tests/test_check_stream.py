"""`dualuse check` decides as it reads: the same answers as the batch, in input order.

The quota expectations are the ledger tests' (tests/ledger/orders.py): LPP allows
26,900,000 TPP per ultimate consignee and calendar year (15 CFR 740.29, 90 FR 4544), 100
H100 SXM draw 1,583,120, so of 20 such orders to one consignee in 2025 the 16 earliest fit
and the last 4 need a licence -- whatever order the file lists them in.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dualuse.cli import app
from dualuse.contract import parse_transaction
from dualuse.engine import determine_many
from tests.ledger.orders import LPP_ORDER_DOCUMENT, LPP_ORDERS_THAT_FIT

runner = CliRunner()

CHIPS = ["nvidia/h100-sxm", "nvidia/h20", "nvidia/a10", "nvidia/l4", "amd/mi300x"]
ROUTES = [("US", "IN"), ("US", "CN"), ("US", "AE"), ("TW", "CN"), ("US", "DE"), ("US", "KP")]
DAYS = ["2023-06-01", "2024-06-01", "2025-03-01", "2025-06-02", "2026-03-02"]


def generated(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ship_from, destination = rng.choice(ROUTES)
        out.append(
            {
                "id": f"T{i}",
                "date": rng.choice(DAYS),
                "mode": rng.choice(["enforced", "codified"]),
                "ship_from": ship_from,
                "destination": destination,
                "parties": {
                    "consignee": {"name": f"Buyer {rng.randrange(8)}", "country": destination}
                },
                "items": [{"catalog": rng.choice(CHIPS), "quantity": rng.randrange(1, 400)}],
            }
        )
    return out


def write_jsonl(path: Path, documents: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def check(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("in_date_order", [True, False])
def test_the_stream_prints_what_the_batch_decides(tmp_path: Path, in_date_order: bool) -> None:
    documents = generated(600, seed=3)
    if in_date_order:
        documents.sort(key=lambda d: d["date"])
    path = write_jsonl(tmp_path / "orders.jsonl", documents)
    batch = determine_many([parse_transaction(d) for d in documents])
    code, out, err = check(str(path), "--format", "jsonl")
    assert code == 0, err
    streamed = [json.loads(line) for line in out.splitlines()]
    assert streamed == [json.loads(d.model_dump_json()) for d in batch]
    code, whole, _ = check(str(path), "--format", "json")
    assert code == 0 and json.loads(whole) == streamed


def test_quotas_are_drawn_in_date_order_whatever_the_file_order(tmp_path: Path) -> None:
    days = [f"2025-{month:02d}-{day:02d}" for month in (6, 7) for day in range(1, 11)]
    orders = [{**LPP_ORDER_DOCUMENT, "id": f"PO-{day}", "date": day} for day in days]
    shuffled = orders[:]
    random.Random(1).shuffle(shuffled)
    path = write_jsonl(tmp_path / "orders.jsonl", shuffled)
    code, out, err = check(str(path), "--format", "summary")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == [o["id"] for o in shuffled]  # input order kept
    fit = {o["id"] for o in orders[:LPP_ORDERS_THAT_FIT]}
    for line in lines:
        if line["id"] in fit:
            assert line["authorization"] == "LPP", line
        else:
            assert line["verdict"] == "license_required", line


def test_a_bad_line_refuses_the_run_before_anything_is_printed(tmp_path: Path) -> None:
    documents = generated(50, seed=4)
    documents[37]["items"][0]["quantity"] = -3
    documents[41]["destination"] = "XX"
    path = write_jsonl(tmp_path / "orders.jsonl", documents)
    code, out, err = check(str(path), "--format", "jsonl")
    assert code == 2 and out == ""
    assert "orders.jsonl[37]" in err and "-3" in err
    assert "orders.jsonl[41]" in err and "XX" in err
    assert "Traceback" not in err


def test_a_line_that_is_not_json_is_named_by_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(generated(1, seed=5)[0]) + "\n\n{not json\n", encoding="utf-8")
    code, out, err = check(str(path))
    assert code == 2 and out == ""
    assert "orders.jsonl:3" in err and "not JSON" in err


def test_no_transactions_print_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    code, out, _ = check(str(path))
    assert code == 0 and json.loads(out) == []
