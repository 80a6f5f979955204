"""The Screen page in a real browser: an officer screens one name, in Latin letters or in
Han characters, reads the hits with their citations and explanations, switches to Korean,
is told which field is wrong, and screens a customer master file.

Expected answers come from the law: Huawei Technologies Co., Ltd. has been on the Entity
List (Supp. No. 4 to 15 CFR part 744) since 84 FR 22961 (May 2019), so on 2025-03-01 it is
a match whose entry cites the Federal Register; a bakery in Germany is on no list.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

HUAWEI = {"name": "Huawei Technologies Co., Ltd.", "country": "CN", "date": "2025-03-01"}
# "84 FR 22961": volume, FR, first page, as the Federal Register is cited.
FR_CITATION = re.compile(r"\b\d{2} FR \d{3,6}\b")


def _screen(page: Any, base: str, fields: dict[str, str], lang: str = "en") -> None:
    """Fill the screening form field by field (ids as on the page) and wait for the answer."""
    page.goto(f"{base}/screen?lang={lang}")
    page.fill("#name", fields["name"])
    if fields.get("country"):
        page.select_option("#country", fields["country"])
    page.fill("#date", fields["date"])
    page.click("#screen")
    page.wait_for_selector("#screen-answer")


def _journal_entries(page: Any, base: str) -> int:
    entries: int = page.request.get(f"{base}/v1/audit/verify").json()["entries"]
    return entries


def _entity_list_hits(page: Any) -> Any:
    return page.locator('#hits tbody.hit[data-list="entity_list"]')


def test_huawei_is_an_entity_list_match_citing_the_federal_register(
    page: Any, live_server: str, screenshots: Path
) -> None:
    _screen(page, live_server, HUAWEI)
    assert page.inner_text("#screen-verdict") == "match"
    hits = _entity_list_hits(page)
    assert hits.count() >= 1
    first = hits.first
    assert first.locator("td.list").inner_text() == "Entity List"
    assert "huawei" in first.locator("td").nth(1).inner_text().casefold()
    assert FR_CITATION.search(first.locator("td.citation cite").inner_text())
    assert first.locator("td.effect").inner_text().startswith("legal effect")
    snapshots = page.inner_text("#snapshots")
    assert snapshots.strip() and first.locator("td.citation code").inner_text() in snapshots
    assert "≥" in page.inner_text("#thresholds")
    # The explanation is folded away until asked for; opened, it shows the features.
    explanation = first.locator("details.explanation")
    expect(explanation.locator("ul")).to_be_hidden()
    explanation.locator("summary").click()
    expect(explanation.locator("ul")).to_be_visible()
    assert "country CN" in explanation.inner_text()
    page.locator("details.explanation:not([open]) summary").evaluate_all(
        "summaries => summaries.forEach(s => s.click())"
    )
    page.screenshot(path=str(screenshots / "screen.png"), full_page=True)


def test_han_script_name_matches_across_scripts(page: Any, live_server: str) -> None:
    _screen(page, live_server, {**HUAWEI, "name": "华为技术有限公司"})
    assert page.inner_text("#screen-verdict") == "match"
    hits = _entity_list_hits(page)
    assert hits.count() >= 1
    assert "huawei" in hits.first.locator("td").nth(1).inner_text().casefold()


def test_a_bakery_in_germany_is_clear(page: Any, live_server: str) -> None:
    _screen(
        page, live_server, {"name": "Example Bakery GmbH", "country": "DE", "date": "2025-03-01"}
    )
    assert page.inner_text("#screen-verdict") == "clear"
    assert page.locator("#hits tbody.hit").count() == 0


def test_korean(page: Any, live_server: str, screenshots: Path) -> None:
    _screen(page, live_server, HUAWEI)
    page.click("#switch-language")
    page.wait_for_selector("#screen-answer")
    assert page.inner_text("#screen-verdict") == "일치"
    assert page.inner_text("h1").startswith("우려거래자 심사")
    assert page.inner_text("header nav a[aria-current]") == "우려거래자 심사"
    assert "엔티티 리스트" in _entity_list_hits(page).first.locator("td.list").inner_text()
    assert "법적 효력 있음" in page.inner_text("#hits")
    page.locator("details.explanation").first.locator("summary").click()
    page.screenshot(path=str(screenshots / "screen-ko.png"), full_page=True)


def test_an_empty_name_is_named_and_nothing_is_stored(page: Any, live_server: str) -> None:
    before = _journal_entries(page, live_server)
    response = page.goto(f"{live_server}/screen?lang=en&name=&country=CN&date=2025-03-01")
    assert response.status == 422
    problems = page.locator(".problems li")
    assert problems.count() == 1
    assert problems.first.locator("code").first.inner_text() == "name"
    assert page.locator("#screen-answer").count() == 0
    assert _journal_entries(page, live_server) == before


def test_a_customer_master_gives_one_row_per_customer(page: Any, live_server: str) -> None:
    master = (
        "reference,name,country\n"
        "C-1,Huawei Technologies Co. Ltd,CN\n"
        "C-2,Example Bakery GmbH,DE\n"
        "C-3,华为技术有限公司,CN\n"
    )
    before = _journal_entries(page, live_server)
    page.goto(f"{live_server}/screen?lang=en")
    page.set_input_files(
        "#master-file",
        files=[{"name": "customers.csv", "mimeType": "text/csv", "buffer": master.encode()}],
    )
    page.fill("#master-date", "2025-03-01")
    with page.expect_navigation() as sent:
        page.click("#screen-file")
    assert sent.value.status == 200
    rows = page.locator("#master-table tbody tr")
    assert rows.count() == 3
    verdicts = rows.evaluate_all("rows => rows.map(r => r.dataset.verdict)")
    assert verdicts == ["match", "clear", "match"]
    assert rows.nth(0).locator("td").first.inner_text() == "C-1"
    assert "Entity List" in rows.nth(0).inner_text()
    assert _journal_entries(page, live_server) == before


def test_a_bad_customer_master_names_its_rows(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/screen?lang=en")
    page.set_input_files(
        "#master-file",
        files=[
            {
                "name": "customers.csv",
                "mimeType": "text/csv",
                "buffer": b"name,country\n,CN\nExample Bakery GmbH,Germany\n",
            }
        ],
    )
    with page.expect_navigation() as sent:
        page.click("#screen-file")
    assert sent.value.status == 422
    fields = page.locator(".problems li > code:first-child").all_inner_texts()
    assert fields == ["customers.csv: row 2.name", "customers.csv: row 3.country"]
    assert page.locator("#master-table").count() == 0
