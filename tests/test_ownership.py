"""Ownership files for a customer master: the 50 % rule over a whole master at once.

Expected answers from the Affiliates rule (90 FR 47201, effective 2025-09-29): a foreign
party owned 50 % or more, directly or indirectly, alone or in aggregate, by parties on the
Entity List takes on their restrictions; the rule was suspended for one year from
2025-11-10 (rulebook us-2025-09-affiliates). Huawei Technologies Co., Ltd. is on the Entity
List (84 FR 22963). A share total over 100 % and an ownership cycle cannot describe a
company and are refused, naming the file, row and value (exit code 2, 422).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.screening.ownership import read_ownership
from dualuse.screening.service import ScreeningRequest, read_master, screen
from tests.test_cli import run

OWNERS = """party,owner,share,owner_country
Example Holdings Shenzhen Co Ltd,Huawei Technologies Co. Ltd.,60,CN
Example Trading Pte Ltd,Example Holdings Shenzhen Co Ltd,70,CN
Example Trading Pte Ltd,Some Fund LP,30,SG
Minority Trading Pte Ltd,Huawei Technologies Co. Ltd.,49,CN
"""
MASTER = """reference,name,country
C1,Example Trading Pte Ltd,SG
C2,Minority Trading Pte Ltd,SG
C3,Example Bakery GmbH,DE
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    owners = tmp_path / "owners.csv"
    owners.write_text(OWNERS, encoding="utf-8")
    master = tmp_path / "master.csv"
    master.write_text(MASTER, encoding="utf-8")
    return owners, master


def _answers(files: tuple[Path, Path], day: str) -> dict[str, dict[str, object]]:
    owners, master = files
    requests = read_master(master, dt.date.fromisoformat(day), read_ownership(owners))
    return {r.reference or "": screen(r).model_dump(mode="json") for r in requests}


def test_indirect_majority_ownership_by_a_listed_party_is_a_match_in_the_rules_window(
    files: tuple[Path, Path],
) -> None:
    # 70 % held by a company that Huawei holds 60 % of: indirectly 50 % or more.
    answers = _answers(files, "2025-10-15")
    c1 = answers["C1"]
    assert c1["verdict"] == "match" and c1["hits"] == []
    affiliation = c1["affiliation"]
    assert isinstance(affiliation, list) and affiliation
    first = affiliation[0]
    assert first["share"] == 70
    assert "Huawei Technologies Co. Ltd. (60 %)" in first["via"]
    assert first["hit"]["list_id"] == "entity_list"
    assert "90 FR 47201" in first["citation"]
    # 49 % is below the rule's threshold; an unowned bakery is clear.
    assert answers["C2"]["verdict"] == "clear" and answers["C2"]["affiliation"] == []
    assert answers["C3"]["verdict"] == "clear"


def test_outside_the_rules_windows_ownership_does_not_make_a_match(
    files: tuple[Path, Path],
) -> None:
    # Before the rule (2025-09-29) and during its suspension (from 2025-11-10).
    for day in ("2025-06-01", "2025-12-01"):
        c1 = _answers(files, day)["C1"]
        assert c1["verdict"] == "clear" and c1["affiliation"] == [], day
        # The owners are still screened and shown.
        assert any(o["hits"] for o in c1["owners"])  # type: ignore[union-attr]


def test_a_share_total_over_100_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "party,owner,share\nAcme Ltd,Owner A,60\nAcme Ltd,Owner B,50\nOther Ltd,Owner C,150\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_ownership(path)
    text = "; ".join(p.render() for p in caught.value.problems)
    assert "rows 2, 3: share" in text and "110" in text and "Acme Ltd" in text
    assert "row 4" in text and "share" in text and "150" in text


def test_a_cycle_and_missing_columns_are_named(tmp_path: Path) -> None:
    cycle = tmp_path / "cycle.csv"
    cycle.write_text("party,owner,share\nA Ltd,B Ltd,60\nB Ltd,A Ltd,60\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_ownership(cycle)
    assert "ownership cycle" in caught.value.problems[0].render()
    columns = tmp_path / "columns.csv"
    columns.write_text("company,holder\nA Ltd,B Ltd\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_ownership(columns)
    assert "owner, share" in caught.value.problems[0].render()


def test_cli_screens_a_master_with_its_ownership_file(files: tuple[Path, Path]) -> None:
    owners, master = files
    code, out, _ = run(
        "screen", str(master), "--owners", str(owners), "--date", "2025-10-15", "--json"
    )
    assert code == 0
    verdicts = {a["reference"]: a["verdict"] for a in json.loads(out)}
    assert verdicts == {"C1": "match", "C2": "clear", "C3": "clear"}


def test_cli_refuses_a_bad_ownership_file_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("party,owner,share\nAcme Ltd,Owner A,abc\n", encoding="utf-8")
    code, out, err = run("screen", "Acme Ltd", "--owners", str(bad))
    assert code == 2
    assert "row 2" in err and "share" in err and "abc" in err
    assert "Traceback" not in out + err


def test_request_owners_are_validated() -> None:
    with pytest.raises(ValueError):
        ScreeningRequest.model_validate(
            {"name": "X", "owners": [{"name": "A", "share": 60}, {"name": "B", "share": 60}]}
        )


def test_check_reads_owners_from_the_file(files: tuple[Path, Path], tmp_path: Path) -> None:
    # H20s from the US to a Singapore company on 2025-10-15: no licence for the company
    # itself; 70 % owned by a company Huawei holds 60 % of, it takes on Huawei's Entity List
    # requirement (all items subject to the EAR, presumption of denial) under the 50 % rule.
    owners, _ = files
    order = tmp_path / "order.yaml"
    order.write_text(
        "date: 2025-10-15\nship_from: US\ndestination: SG\n"
        "parties:\n  consignee: {name: Example Trading Pte Ltd, country: SG}\n"
        "items:\n  - {catalog: nvidia/h20, quantity: 10}\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", str(order), "-f", "summary")
    assert code == 0 and json.loads(out)["verdict"] == "no_license_required"
    code, out, _ = run("check", str(order), "--owners", str(owners), "-f", "summary")
    assert code == 0
    summary = json.loads(out)
    assert summary["verdict"] == "license_required"
    assert summary["review_policy"] == "presumption_of_denial"
