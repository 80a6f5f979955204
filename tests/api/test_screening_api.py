"""Screening over HTTP, review decisions in the journal, and their effect on determinations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.ledger.store import LedgerStore
from tests.api.test_api import auth, client, is_problem, keys  # noqa: F401

H20_TO_HUAWEI_SG: dict[str, Any] = {
    "date": "2025-03-01",
    "ship_from": "US",
    "destination": "SG",
    "jurisdictions": ["us"],
    "parties": {
        "consignee": {
            "name": "Huawei International Pte. Ltd.",
            "country": "SG",
            "parent_headquarters": "CN",
        }
    },
    "items": [{"catalog": "nvidia/h20", "quantity": 10}],
}


def test_screening_finds_the_listed_party_across_scripts(
    client: TestClient,  # noqa: F811
    keys: dict[str, str],  # noqa: F811
) -> None:
    body = [
        {"name": "華為技術有限公司", "date": "2025-03-01"},
        {"name": "Huawei Technologies Company Limited", "country": "CN", "date": "2025-03-01"},
        {"name": "Samsung Electronics Co., Ltd.", "country": "KR", "date": "2025-03-01"},
    ]
    r = client.post("/v1/screenings", json=body, headers=auth(keys["viewer"]))
    assert r.status_code == 200, r.text
    han, latin, samsung = r.json()
    assert han["verdict"] == "match" and latin["verdict"] == "match"
    top = latin["hits"][0]
    assert top["list_id"] == "entity_list" and "84 FR 22963" in top["citation"]
    assert top["explanation"] and top["snapshot"]
    assert samsung["verdict"] == "clear" and samsung["hits"] == []


def test_bad_screening_input_is_a_problem_naming_the_field(
    client: TestClient,  # noqa: F811
    keys: dict[str, str],  # noqa: F811
) -> None:
    problem = is_problem(
        client.post("/v1/screenings", json={"name": "  "}, headers=auth(keys["viewer"])), 422
    )
    assert "name" in str(problem)
    problem = is_problem(
        client.post(
            "/v1/screenings", json={"name": "X", "country": "China"}, headers=auth(keys["viewer"])
        ),
        422,
    )
    assert "country" in str(problem)


def test_an_ownership_share_over_100_is_refused(
    client: TestClient,  # noqa: F811
    keys: dict[str, str],  # noqa: F811
    store: LedgerStore,
) -> None:
    order = {
        **H20_TO_HUAWEI_SG,
        "parties": {
            "consignee": {
                "name": "Example Holdings Pte Ltd",
                "country": "SG",
                "owners": [{"name": "Huawei Technologies Co., Ltd.", "share": 120}],
            }
        },
    }
    before = store.screening_reviews()
    problem = is_problem(
        client.post("/v1/determinations?commit=true", json=order, headers=auth(keys["officer"])),
        422,
    )
    assert "owners" in str(problem) and "120" in str(problem)
    assert store.screening_reviews() == before


@pytest.mark.served
def test_a_false_positive_decision_is_journalled_and_clears_the_hit(
    client: TestClient,  # noqa: F811
    keys: dict[str, str],  # noqa: F811
) -> None:
    first = client.post("/v1/determinations", json=H20_TO_HUAWEI_SG, headers=auth(keys["viewer"]))
    det = first.json()
    assert det["verdict"] == "license_required"
    hit = det["screening"]["parties"][0]["hits"][0]
    assert hit["effect"] is True
    # A viewer may not record a decision; an officer may.
    review = {
        "party": "Huawei International Pte. Ltd.",
        "country": "SG",
        "entry_id": hit["entry_id"],
        "entry_version": hit["entry_version"],
        "decision": "false_positive",
        "reason": "test: a namesake (registry number checked)",
    }
    denied = client.post("/v1/screenings/reviews", json=review, headers=auth(keys["viewer"]))
    assert denied.status_code == 403
    done = client.post("/v1/screenings/reviews", json=review, headers=auth(keys["officer"]))
    assert done.status_code == 200, done.text
    assert done.json()["seq"] >= 1
    again = client.post(
        "/v1/screenings",
        json={"name": "Huawei International Pte. Ltd.", "country": "SG", "date": "2025-03-01"},
        headers=auth(keys["viewer"]),
    ).json()
    cleared = next(h for h in again["hits"] if h["entry_id"] == hit["entry_id"])
    assert cleared["effect"] is False
    assert cleared["review"]["decision"] == "false_positive" and cleared["review"]["current"]
    # A what-if determination reads the decision too: the cleared entry no longer applies.
    after = client.post(
        "/v1/determinations", json=H20_TO_HUAWEI_SG, headers=auth(keys["viewer"])
    ).json()
    shown = next(
        h for h in after["screening"]["parties"][0]["hits"] if h["entry_id"] == hit["entry_id"]
    )
    assert shown["effect"] is False and shown["review"]["decision"] == "false_positive"
    reasons = after["jurisdictions"][0]["reasons"]
    cleared_entry = f"on the Entity List as {hit['entry_name']};"
    assert not any(cleared_entry in r["message"] for r in reasons)
    audit = client.get("/v1/audit/verify", headers=auth(keys["admin"]))
    assert audit.status_code == 200 and audit.json()["ok"] is True


def test_api_screening_with_owners(
    client: TestClient,  # noqa: F811
    keys: dict[str, str],  # noqa: F811
) -> None:
    body = {
        "name": "Example Trading Pte Ltd",
        "country": "SG",
        "date": "2025-10-15",
        "owners": [{"name": "Huawei Technologies Co., Ltd.", "share": 55, "country": "CN"}],
    }
    r = client.post("/v1/screenings", json=body, headers=auth(keys["viewer"]))
    assert r.status_code == 200
    answer = r.json()
    assert answer["verdict"] == "match" and answer["affiliation"][0]["share"] == 55
    body["owners"] = [{"name": "Huawei Technologies Co., Ltd.", "share": 101}]
    problem = is_problem(
        client.post("/v1/screenings", json=body, headers=auth(keys["viewer"])), 422
    )
    assert "owners" in str(problem) and "101" in str(problem)
