"""Engine behaviour across orders: quotas accumulate in date order; scenarios are flagged.

Expected values: 15 CFR 740.29 (90 FR 4544) -- LPP 26,900,000 TPP per ultimate consignee
per calendar year; H100 SXM TPP 15,831.2 (chips.md 4, example 1).
"""

from __future__ import annotations

from typing import Any

from dualuse.contract import parse_transaction
from dualuse.engine import determine, determine_many
from dualuse.explain.messages import catalogue
from dualuse.ledger import InMemoryLedger

from .conftest import ROOT


def order(day: str, quantity: int, name: str = "Example Cloud Pvt Ltd", **extra: Any) -> Any:
    return parse_transaction(
        {
            "date": day,
            "mode": "codified",
            "ship_from": "US",
            "destination": "IN",
            "parties": {"consignee": {"name": name, "country": "IN"}},
            "items": [{"catalog": "nvidia/h100-sxm", "quantity": quantity}],
            **extra,
        }
    )


def test_third_big_order_exhausts_lpp() -> None:
    # 700 H100 = 11,081,840 TPP; two fit in 26.9 M, the third (33.2 M total) does not.
    dets = determine_many(
        [
            order("2025-10-01", 700, "Example Cloud Pvt Ltd"),
            order("2025-06-01", 700, "Example Cloud Pvt. Ltd."),
            order("2025-08-01", 700, "EXAMPLE CLOUD PRIVATE LIMITED"),
        ]
    )
    by_date = sorted(dets, key=lambda d: d.date)
    assert [d.jurisdictions[0].authorization for d in by_date[:2]] == ["LPP", "LPP"]
    third = by_date[2].jurisdictions[0]
    assert third.verdict is not None and third.verdict.value == "license_required"
    lpp = third.quota[0]
    assert lpp.status == "exceeded"
    assert abs(lpp.used_before - 2 * 700 * 15831.2) < 1
    # Results come back in input order.
    assert dets[0].date.isoformat() == "2025-10-01"


def test_new_year_resets_lpp() -> None:
    ledger = InMemoryLedger()
    dets = determine_many([order("2025-06-01", 1600), order("2026-01-05", 1600)], ledger)
    assert [d.jurisdictions[0].authorization for d in dets] == ["LPP", "LPP"]


def test_determine_does_not_draw() -> None:
    ledger = InMemoryLedger()
    determine(order("2025-06-01", 1000), ledger)
    assert ledger.journal == ()


def test_lpp_boundary_1699_vs_1700() -> None:
    # 1,699 x 15,831.2 = 26,897,208.8 <= 26,900,000 < 1,700 x 15,831.2 = 26,913,040.
    assert determine(order("2025-06-01", 1699)).jurisdictions[0].authorization == "LPP"
    over = determine(order("2025-06-01", 1700)).jurisdictions[0]
    assert over.authorization is None and over.review_policy is not None
    assert over.review_policy.value == "presumption_of_approval"


def test_scenario_is_marked_hypothetical() -> None:
    det = determine(order("2025-06-01", 600, scenario="us-lpp-500"))
    assert det.hypothetical
    # 600 H100 > 500 H100-equivalents (Reuters 2025-04-30 as modelled by us-lpp-500).
    assert det.jurisdictions[0].verdict is not None
    assert det.jurisdictions[0].verdict.value == "license_required"
    assert any(w.code == "scenario.hypothetical" for w in det.warnings)


def test_enforced_mode_warns_with_the_gao_decision() -> None:
    det = determine(order("2025-06-01", 1000, mode="enforced"))
    warning = next(w for w in det.warnings if w.code == "rulebook.not_enforced")
    assert "B-337935" in warning.message


def test_korean_messages() -> None:
    det = determine(order("2025-06-01", 1000, language="ko"))
    assert any("허가예외 LPP" in r.message for r in det.jurisdictions[0].reasons)


def test_every_reason_code_has_english_and_korean() -> None:
    import re

    codes: set[str] = set()
    for path in (ROOT / "src" / "dualuse").rglob("*.py"):
        codes |= set(re.findall(r'Notice\(\s*"([a-z0-9_.]+)"', path.read_text()))
        codes |= set(re.findall(r'"(us\.review\.)" \+', path.read_text()))
    messages = catalogue()
    missing = {c for c in codes if c not in messages and not c.endswith(".")}
    assert not missing, missing
    for key in (
        "d5_or_macau",
        "d1_d4_not_headquartered",
        "headquartered_in_d1_d4",
        "headquartered_elsewhere",
    ):
        assert f"us.review.{key}" in messages


def test_country_allocation_runs_out() -> None:
    # 90 FR 4544 (us-rules.md 7.3): above LPP a Tier 2 licence is presumed approved until the
    # country's 790,000,000 TPP allocation is used up, then presumed denied.
    from dualuse.ledger import Draw

    ledger = InMemoryLedger()
    big = order("2025-06-01", 2000)  # 31.7 M TPP: above LPP, so it needs a licence
    first = determine(big, ledger).jurisdictions[0]
    assert first.review_policy is not None
    assert first.review_policy.value == "presumption_of_approval"
    allocation = next(q for q in first.quota if ":allocation:" in q.account)
    assert allocation.limit == 790_000_000
    ledger.commit([Draw(allocation.account, 780_000_000, allocation.limit)])
    later = determine(big, ledger).jurisdictions[0]
    assert later.review_policy is not None
    assert later.review_policy.value == "presumption_of_denial"
    assert [q.status for q in later.quota] == ["exceeded", "exceeded"]


def test_ledger_refuses_overdraw() -> None:
    import pytest

    from dualuse.ledger import Draw, QuotaExceeded

    ledger = InMemoryLedger()
    ledger.commit([Draw("a", 60, 100)])
    with pytest.raises(QuotaExceeded):
        ledger.commit([Draw("b", 10, 100), Draw("a", 50, 100)])
    assert ledger.usage("a") == 60 and ledger.usage("b") == 0  # all or nothing
