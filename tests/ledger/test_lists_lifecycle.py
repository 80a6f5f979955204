"""A newer list snapshot, from import to the decisions it touches.

The user's path after BIS adds a party: `dualuse lists import FILE --as-of DATE` keeps the
Consolidated Screening List file as its own snapshot (never overwriting one), a
determination made after that names the snapshot it read, `lists diff` shows the entry
added, and `rescreen` lists the committed determination and the licensed party the new
entry now reaches. An officer's decision on a hit is asked again when the entry changes.

Expected effects come from the regulations: an Entity List entry "For all items subject
to the EAR" requires a licence for every item subject to the EAR, EAR99 included (15 CFR
744.11(a); Supp. No. 4 to part 744), reviewed under the entry's policy; an item the same
party could have received without a licence before the listing now needs one.

The party below is a made-up name in a made-up CSL file: it tests the mechanism, not a
listing. Its row follows the CSL's published CSV columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from dualuse.cli import app
from dualuse.screening.screen import forget

runner = CliRunner()

CSL_COLUMNS = [
    "_id",
    "id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]

PARTY = "Example Photonic Computing Co., Ltd."
ROW = {
    "source": "Entity List (EL) - Bureau of Industry and Security",
    "type": "Entity",
    "name": PARTY,
    "addresses": "No. 1 Example Road, Hefei, Anhui, CN",
    "federal_register_notice": "99 FR 10001",
    "start_date": "2026-08-15",
    "license_requirement": "For all items subject to the EAR. (See §744.11 of the EAR).",
    "license_policy": "Presumption of denial.",
    "alt_names": "Example Photonics",
}


def csl_file(folder: Path, name: str, rows: list[dict[str, str]]) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSL_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in CSL_COLUMNS})
    return path


def order(day: str, name: str = PARTY) -> dict[str, Any]:
    """Ten mobile SoCs to a party in China: TPP 20 x 8 = 160, far under 3A090's 4,800
    (15 CFR 774 Supp. 1, 3A090.a), so no licence on their classification alone."""
    return {
        "id": f"PO-{day}",
        "date": day,
        "ship_from": "US",
        "destination": "CN",
        "jurisdictions": ["us"],
        "end_use": "general",
        "parties": {"consignee": {"name": name, "country": "CN"}},
        "items": [
            {
                "specs": {
                    "kind": "ic",
                    "name": "Example mobile SoC",
                    "vendor": "Example Semi (US)",
                    "tops": {"8": 20},
                    "die_area_mm2": 100,
                    "datacenter": False,
                },
                "quantity": 10,
            }
        ],
    }


@pytest.fixture
def env(tmp_path: Path, ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", ledger_url)
    monkeypatch.setenv("DUALUSE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DUALUSE_ACTOR", "officer-1")
    forget()
    yield tmp_path
    forget()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result.exit_code, result.stdout + result.stderr


def check(folder: Path, document: dict[str, Any], *extra: str) -> dict[str, Any]:
    path = folder / f"{document['id']}.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    code, out = run("check", str(path), *extra)
    assert code == 0, out
    found: dict[str, Any] = json.loads(out)
    return found


def us_of(det: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(j for j in det["jurisdictions"] if j["jurisdiction"] == "us")
    return found


def test_an_imported_snapshot_reaches_new_and_committed_decisions(env: Path) -> None:
    before = check(env, order("2026-09-01"), "--commit")
    assert us_of(before)["verdict"] == "no_license_required"
    assert before["journal"]["seq"] == 1

    path = csl_file(env, "csl.csv", [ROW])
    code, out = run("lists", "import", str(path), "--as-of", "2026-10-01")
    assert code == 0 and "imported 1 entries" in out, out
    snapshot = out.split("as snapshot ")[1].split()[0]
    kept = (env / "home" / "lists" / f"{snapshot}.json.gz").read_bytes()

    # The same file again changes nothing; the snapshot on disk is the first one's.
    code, out = run("lists", "import", str(path), "--as-of", "2026-10-02")
    assert code == 0 and f"already imported as {snapshot}" in out
    assert (env / "home" / "lists" / f"{snapshot}.json.gz").read_bytes() == kept

    # A determination on a day after the listing date reads the new entry and names it.
    after = check(env, order("2026-09-02"))
    us = us_of(after)
    assert us["verdict"] == "license_required"
    assert us["review_policy"] == "presumption_of_denial"
    assert snapshot in after["screening"]["snapshots"]
    assert any("99 FR 10001" in (r.get("citation") or "") for r in us["reasons"])

    # Before the listing date the new snapshot adds nothing.
    early = check(env, order("2026-08-14"))
    assert us_of(early)["verdict"] == "no_license_required"

    code, out = run("lists", "diff", "csl-2026-07-31", snapshot, "--json")
    assert code == 0
    added = json.loads(out)["added"]
    assert {"list": "entity_list", "name": PARTY, "country": "CN"} in added

    code, out = run("rescreen", "--json", "--date", "2026-10-01")
    assert code == 0, out
    result = json.loads(out)
    changed = result["determinations"]
    assert [c["seq"] for c in changed] == [1]
    assert changed[0]["newly_hit"] == [f"{PARTY} (entity_list)"]


def test_a_licensed_party_later_listed_is_raised(env: Path) -> None:
    licence = {
        "jurisdiction": "us",
        "authority": "BIS",
        "number": "D2000002",
        "control_codes": ["3A090"],
        "destinations": ["CN"],
        "parties": [{"name": "Example Photonics", "country": "CN"}],
        "quantity": 10,
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
    }
    path = env / "licence.yaml"
    path.write_text(yaml.safe_dump(licence), encoding="utf-8")
    code, out = run("licences", "add", str(path))
    assert code == 0, out
    code, out = run("rescreen", "--json", "--date", "2026-10-01")
    assert code == 0 and json.loads(out)["licensed_parties"] == []

    run("lists", "import", str(csl_file(env, "csl.csv", [ROW])), "--as-of", "2026-10-01")
    code, out = run("rescreen", "--json", "--date", "2026-10-01")
    assert code == 0
    (hit,) = json.loads(out)["licensed_parties"]
    assert hit["licence"] == "us:D2000002" and hit["party"] == "Example Photonics"
    assert hit["hits"][0]["entry_name"] == PARTY and hit["hits"][0]["status"] == "match"


def test_a_review_is_asked_again_when_the_entry_changes(env: Path) -> None:
    run("lists", "import", str(csl_file(env, "csl.csv", [ROW])), "--as-of", "2026-10-01")
    det = check(env, order("2026-10-05"))
    (hit,) = [h for p in det["screening"]["parties"] for h in p["hits"] if h["effect"]]
    code, out = run(
        "lists",
        "review",
        "--party",
        PARTY,
        "--country",
        "CN",
        "--entry",
        hit["entry_id"],
        "--version",
        hit["entry_version"],
        "--decision",
        "false_positive",
        "--reason",
        "different company: registry number differs",
    )
    assert code == 0, out
    cleared = check(env, order("2026-10-06"))
    assert us_of(cleared)["verdict"] == "no_license_required"

    # BIS changes the entry's policy: a newer snapshot prints it differently.
    changed = {**ROW, "license_policy": "Case-by-case review."}
    run("lists", "import", str(csl_file(env, "csl2.csv", [changed])), "--as-of", "2026-11-01")
    again = check(env, order("2026-11-02"))
    (hit2,) = [h for p in again["screening"]["parties"] for h in p["hits"]]
    assert hit2["entry_id"] == hit["entry_id"] and hit2["entry_version"] != hit["entry_version"]
    assert hit2["review"]["current"] is False and hit2["effect"] is True
    assert us_of(again)["verdict"] == "license_required"
    assert any(w["code"] == "screen.review_stale" for w in again["warnings"])


def test_a_bad_csl_file_is_named_and_nothing_is_kept(env: Path) -> None:
    bad = env / "bad.csv"
    bad.write_text("entity,country\nExample,CN\n", encoding="utf-8")
    code, out = run("lists", "import", str(bad), "--as-of", "2026-10-01")
    assert code == 2 and "name" in out and "bad.csv" in out
    assert not (env / "home" / "lists").exists() or not list((env / "home" / "lists").iterdir())
    code, out = run("lists", "import", str(env / "missing.csv"), "--as-of", "2026-10-01")
    assert code == 2 and "no such file" in out
    code, out = run("lists", "import", str(bad), "--as-of", "2026-13-01")
    assert code == 2 and "--as-of" in out
