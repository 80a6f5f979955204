"""The REST API over a real ledger (SQLite file and PostgreSQL): answers, roles, problems.

Expected answers come from the law as in the ledger tests (tests/ledger/orders.py): 100
H100s to an Indian consignee draw 1,583,120 TPP of the 26,900,000 LPP allowance
(15 CFR 740.29); H100s to the UAE in March 2025 need a licence (15 CFR 742.6(a)(6)).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.api.app import MAX_BODY_BYTES, create_app
from dualuse.api.keys import Role, create_key
from dualuse.ledger.store import LedgerStore
from tests.ledger.orders import LICENCE_DOCUMENT, LPP_ORDER_DOCUMENT

ORDER = LPP_ORDER_DOCUMENT
LICENCE = LICENCE_DOCUMENT
UAE_ORDER: dict[str, Any] = {
    "date": "2025-03-03",
    "ship_from": "US",
    "destination": "AE",
    "parties": {"consignee": {"name": "Example AI FZ-LLC", "country": "AE"}},
    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 300}],
}


@pytest.fixture
def keys(store: LedgerStore) -> dict[str, str]:
    return {role.value: create_key(store, f"test {role.value}", role)[1] for role in Role}


@pytest.fixture
def client(server: str, store: LedgerStore, keys: dict[str, str]) -> Iterator[TestClient]:
    """The app in this process; for tests marked ``served`` also the same ledger behind
    `dualuse serve` with two worker processes (the test's requests then reach both: what
    one process stores, the other must read). A served ledger needs its keys before the
    service starts. (tests/api/conftest.py chooses ``server``.)"""
    if server == "in-process":
        with TestClient(create_app(store, open_mode=False)) as c:
            yield c
        return
    from tests.api.served import serve

    url = store.engine.url.render_as_string(hide_password=False)
    with serve(url) as served, served.client() as c:
        yield c  # type: ignore[misc]  # the same requests API as TestClient


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] and body["title"]
    return body


def test_a_determination_follows_the_contract(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/v1/determinations", json=ORDER, headers=auth(keys["viewer"]))
    assert r.status_code == 200
    det = r.json()
    assert det["verdict"] == "authorized"
    us = det["jurisdictions"][0]
    assert us["authorization"] == "LPP"
    assert us["quota"][0]["requested"] == pytest.approx(1_583_120)
    assert all(reason["citation"] for reason in us["reasons"][:3])
    assert det["journal"] is None


def _messages(determination: dict[str, Any]) -> str:
    return " ".join(x["message"] for x in determination["jurisdictions"][0]["reasons"])


def test_korean_on_request(client: TestClient, keys: dict[str, str]) -> None:
    korean = {**auth(keys["viewer"]), "Accept-Language": "ko"}
    r = client.post("/v1/determinations", json=ORDER, headers=korean)
    assert "허가예외 LPP" in _messages(r.json())
    # A transaction that names its language keeps it, alone or in a batch.
    english = {**ORDER, "language": "en"}
    own = client.post("/v1/determinations", json=english, headers=korean).json()
    assert "License Exception LPP" in _messages(own)
    batch = client.post("/v1/determinations", json=[ORDER, english], headers=korean).json()
    assert "허가예외 LPP" in _messages(batch[0])
    assert "License Exception LPP" in _messages(batch[1])


@pytest.mark.served
def test_commit_needs_an_officer_and_draws_once_per_key(
    client: TestClient, keys: dict[str, str]
) -> None:
    viewer = client.post("/v1/determinations?commit=true", json=ORDER, headers=auth(keys["viewer"]))
    assert is_problem(viewer, 403)["detail"].startswith("This needs the officer role")
    headers = {**auth(keys["officer"]), "Idempotency-Key": "PO-1"}
    first = client.post("/v1/determinations?commit=true", json=ORDER, headers=headers).json()
    again = client.post("/v1/determinations?commit=true", json=ORDER, headers=headers).json()
    assert first["journal"]["seq"] == again["journal"]["seq"] == 1
    assert again["journal"]["replayed"] is True
    assert first["journal"]["actor"].startswith("key:")
    accounts = client.get("/v1/ledger/accounts", headers=auth(keys["viewer"])).json()
    (lpp,) = [a for a in accounts if ":lpp:" in a["account"]]
    assert lpp["used"] == pytest.approx(1_583_120)
    # Reading after a commit sees the balance.
    after = client.post("/v1/determinations", json=ORDER, headers=auth(keys["viewer"])).json()
    assert after["jurisdictions"][0]["quota"][0]["used_before"] == pytest.approx(1_583_120)
    release = client.post(
        "/v1/ledger/releases",
        json={"entry": 1, "reason": "cancelled"},
        headers=auth(keys["officer"]),
    )
    assert release.status_code == 200 and release.json()["entry"] == 2
    verify = client.get("/v1/audit/verify", headers=auth(keys["viewer"])).json()
    assert verify["ok"] and verify["entries"] == 2
    csv = client.get("/v1/audit/export?format=csv", headers=auth(keys["viewer"]))
    assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.splitlines()) == 3


@pytest.mark.served
def test_licences_over_the_api(client: TestClient, keys: dict[str, str]) -> None:
    refused = client.post("/v1/licences", json=LICENCE, headers=auth(keys["viewer"]))
    is_problem(refused, 403)
    created = client.post("/v1/licences", json=LICENCE, headers=auth(keys["officer"]))
    assert created.status_code == 201 and created.json()["licence"] == "us:D1000001"
    det = client.post(
        "/v1/determinations?commit=true", json=UAE_ORDER, headers=auth(keys["officer"])
    ).json()
    assert det["jurisdictions"][0]["authorization"] == "LICENCE:D1000001"
    shown = client.get("/v1/licences/D1000001", headers=auth(keys["viewer"])).json()
    assert shown["balances"][0]["remaining"] == 700
    missing = is_problem(client.get("/v1/licences/D1000002", headers=auth(keys["viewer"])), 404)
    assert missing["errors"][0]["suggestions"] == ["D1000001"]


def test_every_problem_at_once_with_positions(client: TestClient, keys: dict[str, str]) -> None:
    bad = [
        ORDER,
        {**ORDER, "destination": "XX", "items": [{"catalog": "nvidia/h100-sxm", "quantity": -1}]},
    ]
    body = is_problem(
        client.post("/v1/determinations", json=bad, headers=auth(keys["viewer"])), 422
    )
    fields = {e["field"] for e in body["errors"]}
    assert "[1].items[0].quantity" in fields and "[1].destination" in fields
    unknown = {**ORDER, "items": [{"catalog": "nvidia/h100-sx", "quantity": 1}]}
    body = is_problem(
        client.post("/v1/determinations", json=unknown, headers=auth(keys["viewer"])), 422
    )
    assert "nvidia/h100-sxm" in body["errors"][0]["suggestions"]
    body = is_problem(
        client.post(
            "/v1/compare",
            json={"transaction": ORDER, "scenarios": ["us-lpp-50"]},
            headers=auth(keys["viewer"]),
        ),
        422,
    )
    assert body["errors"][0]["field"] == "scenarios[0]"
    assert body["errors"][0]["suggestions"] == ["us-lpp-500"]
    body = is_problem(
        client.post("/v1/determinations", content=b"{nope", headers=auth(keys["viewer"])), 422
    )
    assert body["errors"][0]["field"] == "body"


@pytest.mark.served
def test_bad_input_changes_nothing(client: TestClient, keys: dict[str, str]) -> None:
    bad = {**ORDER, "items": [{"catalog": "nvidia/h100-sxm", "quantity": 0}]}
    is_problem(
        client.post("/v1/determinations?commit=true", json=bad, headers=auth(keys["officer"])), 422
    )
    is_problem(
        client.post(
            "/v1/licences", json={**LICENCE, "destinations": []}, headers=auth(keys["officer"])
        ),
        422,
    )
    assert client.get("/v1/audit/verify", headers=auth(keys["viewer"])).json()["entries"] == 0


@pytest.mark.served
def test_keys_roles_and_revocation(client: TestClient, keys: dict[str, str]) -> None:
    is_problem(client.get("/v1/catalog"), 401)
    is_problem(client.get("/v1/catalog", headers=auth("du_nope_nope")), 401)
    is_problem(client.get("/v1/keys", headers=auth(keys["officer"])), 403)
    made = client.post(
        "/v1/keys", json={"name": "analyst", "role": "viewer"}, headers=auth(keys["admin"])
    ).json()
    assert client.get("/v1/catalog", headers=auth(made["key"])).status_code == 200
    listed = client.get("/v1/keys", headers=auth(keys["admin"])).json()
    assert all("key" not in k and "secret_sha256" not in k for k in listed)
    client.delete(f"/v1/keys/{made['id']}", headers=auth(keys["admin"]))
    is_problem(client.get("/v1/catalog", headers=auth(made["key"])), 401)
    bad_role = client.post(
        "/v1/keys", json={"name": "x", "role": "root"}, headers=auth(keys["admin"])
    )
    assert is_problem(bad_role, 422)["errors"][0]["field"] == "role"


def test_reference_data(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["viewer"])
    # UAE: out of D:4 and into A:5 on 2026-07-10 (us-rules.md, country groups).
    before = client.get("/v1/countries/AE?date=2026-07-09", headers=h).json()
    after = client.get("/v1/countries/AE?date=2026-07-10", headers=h).json()
    assert before != after
    assert client.get("/v1/catalog/nvidia/h100-sxm", headers=h).json()["id"] == "nvidia/h100-sxm"
    found = client.get("/v1/catalog?q=h100", headers=h).json()
    assert {"nvidia/h100-sxm"} <= {r["id"] for r in found}
    assert is_problem(client.get("/v1/catalog/nvidia/h100-sx", headers=h), 404)["errors"][0][
        "suggestions"
    ]
    books = client.get("/v1/rulebooks?date=2025-06-01&jurisdiction=us", headers=h).json()
    assert any(v["id"] == "us-2025-01-aid" for v in books["versions"])
    assert client.get("/v1/rulebooks/us-2025-01-aid", headers=h).status_code == 200
    assert any(s["id"] == "us-lpp-500" for s in client.get("/v1/scenarios", headers=h).json())
    classes = client.post("/v1/classifications", json=ORDER, headers=h).json()
    assert classes[0]["classification"]["control_code"] == "3A090.a"


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "Transaction" in spec["components"]["schemas"]
    assert "/v1/determinations" in spec["paths"]


@pytest.mark.parametrize("chunked", [False, True], ids=["declared-length", "chunked"])
def test_oversized_bodies_are_refused(
    client: TestClient, keys: dict[str, str], chunked: bool
) -> None:
    # A declared Content-Length over the limit is refused before reading; a chunked body
    # (no length) is counted as it arrives and refused once it passes the limit.
    big = b"[" + b" " * (MAX_BODY_BYTES + 10) + b"]"
    content: bytes | Iterator[bytes] = big
    if chunked:
        content = iter([big[i : i + 65536] for i in range(0, len(big), 65536)])
    r = client.post(
        "/v1/determinations",
        content=content,
        headers={**auth(keys["viewer"]), "content-type": "application/json"},
    )
    if chunked:
        assert "content-length" not in r.request.headers
    is_problem(r, 413)


def test_open_mode_is_an_officer_but_not_an_admin(store: LedgerStore) -> None:
    with TestClient(create_app(store, open_mode=True)) as c:
        assert c.post("/v1/determinations?commit=true", json=ORDER).status_code == 200
        is_problem(c.get("/v1/keys"), 403)


def test_one_transaction_endpoints_refuse_a_list(client: TestClient, keys: dict[str, str]) -> None:
    h = auth(keys["viewer"])
    body = is_problem(client.post("/v1/classifications", json=[ORDER, ORDER], headers=h), 422)
    assert body["errors"][0]["field"] == "body"
    body = is_problem(client.post("/v1/compare", json={"transaction": [ORDER]}, headers=h), 422)
    assert body["errors"][0]["field"] == "transaction"


def test_pages_ask_for_a_key_and_respect_roles(client: TestClient, keys: dict[str, str]) -> None:
    asked = client.get("/ledger")
    assert asked.status_code == 401 and 'name="key"' in asked.text
    client.cookies.set("dualuse_key", keys["viewer"])
    assert client.get("/ledger").status_code == 200
    order = {"item": "nvidia/h100-sxm", "destination": "IN", "quantity": "1"}
    is_problem(client.post("/commit", data=order), 403)
    client.cookies.set("dualuse_key", keys["officer"])
    assert 'id="journal"' in client.post("/commit", data=order).text


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/v1/catalog/nvidia/h100-sx", "ID", "nvidia/h100-sx"),
        ("/v1/rulebooks/us-2025-01-ai", "rulebook", "us-2025-01-ai"),
        ("/v1/countries/XX", "CODE", "XX"),
        ("/v1/ledger/accounts/us:lpp:nowhere", "ACCOUNT", "us:lpp:nowhere"),
        ("/v1/licences/D9999999", "NUMBER", "D9999999"),
    ],
)
def test_an_unknown_id_in_the_path_is_404_naming_it(
    client: TestClient, keys: dict[str, str], path: str, field: str, value: str
) -> None:
    found = is_problem(client.get(path, headers=auth(keys["viewer"])), 404)
    assert found["errors"][0]["field"] == field
    assert found["errors"][0]["value"] == value


def test_an_unknown_id_in_a_body_stays_422(client: TestClient, keys: dict[str, str]) -> None:
    # The same lookups serve body fields; a wrong scenario or item there is refused input.
    h = auth(keys["viewer"])
    body = {"transaction": ORDER, "scenarios": ["us-lpp-50"]}
    assert is_problem(client.post("/v1/compare", json=body, headers=h), 422)
    bad_item = {**ORDER, "items": [{"catalog": "nvidia/h100-sx", "quantity": 1}]}
    assert is_problem(client.post("/v1/determinations", json=bad_item, headers=h), 422)
    revoked = client.delete("/v1/keys/nosuchkey", headers=auth(keys["admin"]))
    assert is_problem(revoked, 404)["errors"][0]["field"] == "id"
