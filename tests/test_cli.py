"""The command line: outputs, JSON shapes and exit codes (2 on bad input, no traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dualuse.cli import app

from .conftest import ROOT

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_h800_history_acceptance() -> None:
    # Acceptance (issue 2): not controlled under Oct 2022, 3A090.a from 2023-11-17.
    code, out, _ = run("classify", "nvidia/h800-sxm", "--history", "--json")
    assert code == 0
    rows = json.loads(out)["rows"]
    oct2022 = next(r for r in rows if r["from"] == "2022-10-07")
    assert oct2022["classification"]["control_code"] == "not_controlled"
    assert "us-2022-10-acsi" in oct2022["rulebooks"]
    nov2023 = next(r for r in rows if r["from"] == "2023-11-17")
    assert nov2023["classification"]["control_code"] == "3A090.a"
    assert rows[0]["from"] is None and rows[0]["classification"]["control_code"] == "not_controlled"


def test_classify_on_a_date_with_reasons() -> None:
    code, out, _ = run("classify", "nvidia/l4", "--date", "2024-01-01", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["classification"]["control_code"] == "3A090.a"
    assert report["classification"]["paragraphs"] == ["3A090.a.2"]
    assert any(r["code"] == "us.classify.a2" and r["citation"] for r in report["reasons"])


def test_classify_in_korean() -> None:
    code, out, _ = run(
        "classify", "nvidia/rtx-4090d", "--date", "2024-06-01", "--json", "--language", "ko"
    )
    assert code == 0
    report = json.loads(out)
    assert report["classification"]["control_code"] == "not_controlled"
    assert any("주석 2" in r["message"] for r in report["reasons"])


def test_classify_table_output() -> None:
    code, out, _ = run("classify", "nvidia/h20", "--date", "2025-06-01")
    assert code == 0 and "not_controlled" in out and "TPP" in out


def test_classify_spec_and_order_files() -> None:
    code, out, _ = run(
        "classify",
        str(ROOT / "examples" / "specs" / "server-specs.yaml"),
        "--date",
        "2024-06-01",
        "--json",
    )
    assert code == 0 and json.loads(out)["classification"]["control_code"] == "4A090.a"
    code, out, _ = run(
        "classify",
        str(ROOT / "examples" / "specs" / "custom-ic.yaml"),
        "--date",
        "2024-06-01",
        "--json",
    )
    assert code == 0
    # 400 x 8 = 3,200 TPP; 3,200 / 300 mm2 = 10.7 PD >= 5.92 -> 3A090.a.2 (88 FR 73458).
    assert json.loads(out)["classification"]["paragraphs"] == ["3A090.a.2"]
    code, out, _ = run("classify", str(ROOT / "examples" / "h800-order.yaml"), "--json")
    assert code == 0 and json.loads(out)["classification"]["control_code"] == "not_controlled"


def test_unknown_item_exit_2_with_suggestion() -> None:
    code, _, err = run("classify", "nvidia/h100-sx")
    assert code == 2
    assert "nvidia/h100-sx" in err and "nvidia/h100-sxm" in err


def test_bad_date_exit_2() -> None:
    code, _, err = run("classify", "nvidia/h100-sxm", "--date", "2025-02-30")
    assert code == 2 and "--date" in err and "2025-02-30" in err


def test_bad_mode_exit_2() -> None:
    code, _, err = run("classify", "nvidia/h100-sxm", "--mode", "lenient")
    assert code == 2 and "--mode" in err


def test_bad_spec_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: ic\nname: no compute\ntops: {}\n")
    code, _, err = run("classify", str(bad))
    assert code == 2 and "tops" in err


def test_rules_list_and_show() -> None:
    code, out, _ = run("rules", "list", "--date", "2025-06-01", "--json")
    assert code == 0
    summary = json.loads(out)
    aid = next(v for v in summary["versions"] if v["id"] == "us-2025-01-aid")
    assert aid["status_enforced"].startswith("not_enforced since 2025-05-13")
    assert aid["status_codified"] == "in_force"
    assert {s["id"] for s in summary["scenarios"]} >= {
        "us-lpp-500",
        "us-bilateral-2025",
        "us-draft-2026-03",
    }
    code, out, _ = run("rules", "show", "us-2023-10-acs", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["effective"] == "2023-11-17"
    assert data["provisions"]["eccn_3a090"]["parameters"]["a2_pd_min"]["value"] == 5.92
    code, out, _ = run("rules", "show", "us-2025-01-aid")
    assert code == 0 and "26900000" in out.replace(",", "")


def test_rules_show_unknown_exit_2() -> None:
    code, _, err = run("rules", "show", "us-2023-10")
    assert code == 2 and "us-2023-10-acs" in err


def test_catalog_list_and_show() -> None:
    code, out, _ = run("catalog", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len([r for r in rows if r["kind"] == "ic"]) >= 40
    code, out, _ = run("catalog", "show", "nvidia/h100-sxm", "--json")
    assert code == 0
    detail = json.loads(out)
    assert detail["sources"] and abs(detail["computed"]["tpp"] - 15831.2) < 1


def test_countries_show() -> None:
    code, out, _ = run("countries", "show", "KR", "--date", "2025-01-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["name_ko"] == "대한민국"
    code, out, _ = run("countries", "show", "HK", "--date", "2025-01-01", "--json")
    assert json.loads(out)["listed_as"] == "CN"


def test_real_process_exit_code_and_no_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dualuse.cli", "classify", "nope/nothing"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "ITEM" in result.stderr


def test_check_examples_and_batch() -> None:
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
    code, out, _ = run("check", *examples, "--format", "summary")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    by_id = {r["id"]: r for r in rows}
    # 15 CFR 740.29: two 700-H100 orders fit in 26.9 M TPP, the third does not.
    assert [by_id[k]["authorization"] for k in ("IN-2025-A", "IN-2025-B")] == ["LPP", "LPP"]
    assert by_id["IN-2025-C"]["verdict"] == "license_required"


def test_check_json_and_korean_table() -> None:
    code, out, _ = run("check", str(ROOT / "examples" / "india-h100-lpp.yaml"))
    assert code == 0 and json.loads(out)["jurisdictions"][0]["authorization"] == "LPP"
    code, out, _ = run(
        "check",
        str(ROOT / "examples" / "china-h200-2026.yaml"),
        "--format",
        "table",
        "--language",
        "ko",
    )
    assert code == 0 and "개별 심사" in out


def test_check_bad_input_names_file_index_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "orders.json"
    bad.write_text(
        json.dumps(
            [
                {
                    "date": "2025-06-01",
                    "ship_from": "US",
                    "destination": "IN",
                    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 1}],
                },
                {
                    "date": "2025-06-01",
                    "ship_from": "US",
                    "destination": "QQ",
                    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 0}],
                },
            ]
        )
    )
    code, out, err = run("check", str(bad))
    assert code == 2 and out == ""
    assert "orders.json[1].destination" in err and "orders.json[1].items[0].quantity" in err


def test_compare_scenarios_side_by_side() -> None:
    code, out, _ = run(
        "compare",
        str(ROOT / "examples" / "korea-18000-gpus.yaml"),
        "-s",
        "us-bilateral-2025",
        "--mode",
        "codified",
        "--json",
    )
    assert code == 0
    rows = json.loads(out)
    assert [(r["scenario"], r["hypothetical"]) for r in rows] == [
        (None, False),
        ("us-bilateral-2025", True),
    ]
    # Korea is Tier 1 (us-rules.md 7.2): AIA under the codified rule; under the bilateral
    # scenario Korea has no agreement and 18,000 H100s exceed LPP -> case-by-case licence.
    assert rows[0]["authorization"] == "AIA"
    assert rows[1]["review_policy"] == "case_by_case"


def test_compare_unknown_scenario_exit_2() -> None:
    code, _, err = run(
        "compare", str(ROOT / "examples" / "korea-18000-gpus.yaml"), "-s", "us-lpp-5000"
    )
    assert code == 2 and "us-lpp-500" in err


def test_guardrails_example_prohibited_and_in_korean() -> None:
    example = str(ROOT / "examples" / "guardrails" / "chips-expansion-china.yaml")
    code, out, _ = run("guardrails", example, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "prohibited"
    assert {r["code"] for r in data["reasons"]} >= {
        "chips.within_period",
        "chips.material_expansion",
    }
    code, out, _ = run("guardrails", example, "--language", "ko")
    assert code == 0 and "금지" in out


def test_guardrails_bad_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "date: 2026-01-01\ncompany: X\naward_date: 2025-01-01\ncountry: CN\nfacility: huge\n"
    )
    code, _, err = run("guardrails", str(bad))
    assert code == 2
    assert "facility" in err and "huge" in err and "Traceback" not in err


def test_rules_list_china_shows_clause_suspension() -> None:
    code, out, _ = run("rules", "list", "--jurisdiction", "cn", "--date", "2026-11-24", "--json")
    assert code == 0
    versions = {v["id"]: v for v in json.loads(out)["versions"]}
    assert "cn-2023-05-cac-micron" in versions and "cn-2025-04-rare-earths" in versions
    assert any("us_mineral_denial: suspended" in c for c in versions["cn-2024-12-ann46"]["clauses"])
    assert "revival unconfirmed" in versions["cn-2025-10-ann57"]["status_enforced"]
