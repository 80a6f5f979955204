"""China's party lists in the list model: curated with their announcements, read per
authority, screened across scripts, applied by China's jurisdiction only.

Sources of the expected answers:
- MOFCOM Announcement No. 11 of 2026 (2026-02-24; https://news.cnyes.com/news/id/6350322):
  Mitsubishi Heavy Industries Shipbuilding Co. (三菱造船株式會社) on the export-control
  control list; exporting dual-use items to it prohibited (Decree No. 792 Arts. 28-29).
- UEL working mechanism [2025] No. 7 (2025-04-04) listed Skydio; its measures were
  suspended for 90 days from 2025-05-14 (https://www.shine.cn/news/nation/2505153828/).
- The US lists carry their effect in US determinations (15 CFR 744.11); China's lists are
  China's measures, with no effect on the US answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dualuse.contract import Transaction, parse_transaction
from dualuse.engine import determine
from dualuse.ledger import InMemoryLedger
from dualuse.lists.models import ListId
from dualuse.lists.store import REGISTRY, view_for
from dualuse.screening.review import Review, ReviewKey, party_key
from dualuse.screening.screen import screen_name

CN_LISTS = {ListId.cn_uel, ListId.cn_control_list}
SHIPBUILDING = "Mitsubishi Heavy Industries Shipbuilding Co."


def gallium_to(name: str, day: str, jurisdictions: list[str] | None = None) -> Transaction:
    return parse_transaction(
        {
            "date": day,
            "ship_from": "CN",
            "destination": "JP",
            "end_use": "general",
            **({"jurisdictions": jurisdictions} if jurisdictions else {}),
            "parties": {
                "exporter": {"name": "Example Gallium Materials Co Ltd", "country": "CN"},
                "consignee": {"name": name, "country": "JP"},
            },
            "items": [{"catalog": "material/gallium-metal", "quantity": 100, "unit": "kg"}],
        }
    )


def test_every_curated_entry_cites_its_announcement_with_a_url() -> None:
    (cn,) = [s for s in REGISTRY.snapshots() if s.manifest.authority == "cn"]
    assert cn.manifest.provenance and cn.manifest.limits
    assert {e.list for e in cn.entries} == CN_LISTS
    for entry in cn.entries:
        assert entry.listed is not None, entry.name
        assert entry.citations and entry.urls, entry.name
        assert all(u.startswith("http") for u in entry.urls)


def test_views_are_per_authority() -> None:
    for day in (dt.date(2024, 1, 2), dt.date(2026, 3, 1), dt.date(2026, 8, 1)):
        both = view_for(day)
        us = view_for(day, authority="us")
        cn = view_for(day, authority="cn")
        assert not any(e.list in CN_LISTS for e in us.entries)
        assert all(e.list in CN_LISTS for e in cn.entries)
        # The curated Chinese snapshot does not change which US entries are read.
        assert [e for e in both.entries if e.list not in CN_LISTS] == list(us.entries)
    names = {e.name for e in view_for(dt.date(2026, 3, 1), authority="cn").entries}
    assert SHIPBUILDING in names
    assert SHIPBUILDING not in {
        e.name for e in view_for(dt.date(2026, 2, 23), authority="cn").entries
    }


def test_screening_finds_the_listing_across_scripts_from_its_date() -> None:
    for query in (
        "三菱造船株式会社",
        "三菱造船株式會社",
        "Mitsubishi Heavy Industries Shipbuilding Co Ltd",
    ):
        hits, view = screen_name(query, dt.date(2026, 3, 1), "JP")
        top = hits[0]
        assert (top.list_id, top.entry_name, top.status) == (
            "cn_control_list",
            SHIPBUILDING,
            "match",
        ), query
        assert "MOFCOM Announcement No. 11 of 2026" in top.citation
        assert "cn-mofcom-2026-02-24" in view.snapshots
    hits, _ = screen_name("三菱造船株式会社", dt.date(2026, 2, 23), "JP")
    assert not [h for h in hits if h.list_id == "cn_control_list"]


def test_a_suspended_listing_is_shown_without_effect() -> None:
    hits, _ = screen_name("Skydio Inc.", dt.date(2025, 6, 1), "US")
    (hit,) = [h for h in hits if h.list_id == "cn_uel"]
    assert hit.status == "match" and hit.effect is False
    assert any("suspended" in line for line in hit.explanation)
    hits, _ = screen_name("Skydio Inc.", dt.date(2025, 9, 1), "US")
    (hit,) = [h for h in hits if h.list_id == "cn_uel"]
    assert hit.effect is True


def test_chinas_list_is_applied_by_china_and_shown_once_in_the_screening() -> None:
    det = determine(gallium_to("三菱造船株式会社", "2026-03-01", ["us", "cn"]))
    by = {j.jurisdiction: j for j in det.jurisdictions}
    assert by["cn"].verdict is not None and by["cn"].verdict.value == "prohibited"
    us_codes = [r.code for r in by["us"].reasons] + [
        r.code for i in by["us"].items for r in i.reasons
    ]
    assert not [c for c in us_codes if c.startswith("us.list.")]
    assert det.screening is not None
    consignees = [p for p in det.screening.parties if p.role == "consignee"]
    assert len(consignees) == 1
    assert [h.list_id for h in consignees[0].hits if h.effect] == ["cn_control_list"]
    assert "cn-mofcom-2026-02-24" in det.screening.snapshots
    assert any(s.startswith("us-bis") or s.startswith("csl") for s in det.screening.snapshots)


class _Reviewed(InMemoryLedger):
    """An in-memory book holding one officer's decision (the durable ledger's reviews are
    tested against SQLite and PostgreSQL in tests/api and tests/ledger)."""

    def __init__(self, reviews: Mapping[ReviewKey, Review]) -> None:
        super().__init__()
        self._reviews = reviews

    def screening_reviews(self) -> Mapping[ReviewKey, Review]:
        return self._reviews


def test_an_officers_false_positive_clears_a_china_list_hit_for_that_entry_version() -> None:
    tx = gallium_to("三菱造船株式会社", "2026-03-01", ["cn"])
    hits, _ = screen_name("三菱造船株式会社", tx.date, "JP")
    hit = next(h for h in hits if h.list_id == "cn_control_list")
    key = (party_key("三菱造船株式会社", "JP"), hit.entry_id)
    cleared = _Reviewed(
        {key: Review("false_positive", "other firm", "officer", 7, hit.entry_version)}
    )
    by = {j.jurisdiction: j for j in determine(tx, cleared).jurisdictions}
    assert by["cn"].verdict is not None and by["cn"].verdict.value == "license_required"
    stale = _Reviewed({key: Review("false_positive", "other firm", "officer", 7, "older")})
    again = determine(tx, stale)
    by = {j.jurisdiction: j for j in again.jurisdictions}
    assert by["cn"].verdict is not None and by["cn"].verdict.value == "prohibited"
    assert "screen.review_stale" in [w.code for w in again.warnings]
