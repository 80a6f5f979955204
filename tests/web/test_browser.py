"""The web page in a real browser: an officer fills the order form and reads the verdict
and its citations, switches to Korean, commits, and opens the map, the comparison, the
timeline and the ledger.

Expected answers come from the law: 100 H100s (TPP 15,831.2 each) to an Indian consignee
on 2025-06-02, as codified, ride on License Exception LPP (15 CFR 740.29, 90 FR 4544);
H100s to China are presumed denied (15 CFR 742.6(b)(10)), and on the map China is a
licence-required destination while Canada needs no licence (15 CFR 742.6(a)(6)).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

LPP_ORDER = {
    "item": "nvidia/h100-sxm",
    "quantity": "100",
    "destination": "IN",
    "consignee": "Example Cloud Pvt. Ltd.",
    "date": "2025-06-02",
}


def _order(
    page: Any, base: str, fields: dict[str, str] = LPP_ORDER, mode: str = "codified"
) -> None:
    """Fill the order form field by field (ids as on the page) and wait for the verdict."""
    page.goto(f"{base}/?lang=en")
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.select_option("#mode", mode)
    page.click("#determine")
    page.wait_for_selector("#verdict-card")


def test_order_form_gives_verdict_and_citations(
    page: Any, live_server: str, screenshots: Path
) -> None:
    _order(page, live_server)
    assert page.inner_text("#verdict") == "authorized"
    assert page.inner_text("#jurisdiction-us .authorization") == "LPP"
    reasons = page.inner_text("#jurisdiction-us .reasons")
    assert "License Exception LPP" in reasons and "15 CFR 740.29" in reasons
    assert page.locator("#jurisdiction-us .quota .bar").count() >= 1
    page.screenshot(path=str(screenshots / "order.png"), full_page=True)


def test_korean(page: Any, live_server: str, screenshots: Path) -> None:
    _order(page, live_server)
    page.click("#switch-language")
    page.wait_for_selector("#verdict-card")
    assert page.inner_text("#verdict") == "허가 근거 있음"
    assert "허가예외 LPP" in page.inner_text("#jurisdiction-us .reasons")
    page.screenshot(path=str(screenshots / "order-ko.png"), full_page=True)


def test_bad_input_names_the_field(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/?item=nvidia/h100-sx&quantity=-1&destination=XX")
    text = page.inner_text(".problems")
    assert "items[0].quantity" in text and "destination" in text


def test_commit_then_ledger(page: Any, live_server: str, screenshots: Path) -> None:
    _order(page, live_server)
    page.fill("#idempotency_key", "WEB-1")
    page.click("#commit")
    page.wait_for_selector("#journal")
    assert "journal entry" in page.inner_text("#journal")
    page.goto(f"{live_server}/ledger?lang=en")
    assert "Chain intact" in page.inner_text("#audit")
    assert "IN/example-cloud-pvt-ltd" in page.inner_text("#accounts")
    page.screenshot(path=str(screenshots / "ledger.png"), full_page=True)


def test_compare(page: Any, live_server: str, screenshots: Path) -> None:
    _order(page, live_server)
    page.click("#compare-link")
    page.wait_for_selector("#compare-table")
    rows = page.locator("#compare-table tbody tr").count()
    assert rows >= 2 * 2  # rules in force and at least one scenario, both modes
    page.screenshot(path=str(screenshots / "compare.png"), full_page=True)


def test_map(page: Any, live_server: str, screenshots: Path) -> None:
    page.goto(f"{live_server}/map?item=nvidia/h100-sxm&date=2025-06-02&mode=enforced&lang=en")
    page.wait_for_selector("#world-map")
    assert page.locator("#world-map path").count() > 200
    assert page.get_attribute('#world-map path[data-code="CN"]', "class") == "license_required"
    assert page.get_attribute('#world-map path[data-code="CA"]', "class") == "no_license_required"
    page.screenshot(path=str(screenshots / "map.png"), full_page=True)


def test_timeline(page: Any, live_server: str, screenshots: Path) -> None:
    page.goto(f"{live_server}/timeline?lang=en")
    page.wait_for_selector("#timeline")
    assert page.locator("#rulebook-us-2025-01-aid").count() == 1
    # The AI Diffusion rule: in force, then not enforced from 2025-05-13.
    statuses = page.locator("#rulebook-us-2025-01-aid rect").evaluate_all(
        "rects => rects.map(r => r.getAttribute('class'))"
    )
    assert "status-in_force" in statuses and "status-not_enforced" in statuses
    page.screenshot(path=str(screenshots / "timeline.png"), full_page=True)


def test_a_licence_on_file_authorises_the_order(page: Any, live_server: str) -> None:
    # H100s to the UAE in March 2025 need a licence (15 CFR 742.6(a)(6)); a BIS licence
    # naming the item, destination and consignee, with value left, covers the order
    # (15 CFR 750.7). Its value limit means the order must state its value.
    licence = {
        "jurisdiction": "us",
        "authority": "BIS",
        "number": "D1000001",
        "control_codes": ["3A090"],
        "destinations": ["AE"],
        "parties": [{"name": "Example AI FZ-LLC", "country": "AE"}],
        "quantity": 1000,
        "value_usd": 30000000,
        "valid_from": "2025-01-01",
        "valid_until": "2028-12-31",
    }
    assert page.request.post(f"{live_server}/v1/licences", data=licence).status == 201
    uae_order = {
        "item": "nvidia/h100-sxm",
        "quantity": "300",
        "value_usd": "9000000",
        "destination": "AE",
        "consignee": "EXAMPLE AI FZ LLC",
        "date": "2025-03-03",
    }
    _order(page, live_server, uae_order, mode="enforced")
    assert page.inner_text("#jurisdiction-us .authorization") == "LICENCE:D1000001"
    assert "700 of 1,000 units" in page.inner_text("#jurisdiction-us .reasons")
