"""Invariants of China's measures (hypothesis), over listed materials, destinations and dates.

A listed party or a military buyer never loosens China's verdict; a suspension never makes
a verdict stricter than the same shipment once the window has run out; Hong Kong as the
place of export never reaches China's dual-use rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.contract import Verdict, parse_transaction
from dualuse.engine import determine

MATERIALS = [
    "material/gallium-metal",
    "material/germanium-dioxide",
    "material/natural-flake-graphite",
    "material/antimony-metal",
    "material/ammonium-paratungstate",
    "material/dysprosium-oxide",
    "material/holmium-oxide",
    "material/li-ion-cell-300whkg",
    "material/cubic-press",
]
DESTINATIONS = ["US", "KR", "DE", "JP", "IN", "HK", "MO", "VN"]
DAYS = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2027, 6, 30))
REVIEW = {None: 0, "presumption_of_approval": 1, "case_by_case": 2, "presumption_of_denial": 3}


def _cn(tx: dict[str, Any]) -> tuple[int, int]:
    det = determine(parse_transaction({**tx, "jurisdictions": ["cn"]}))
    entry = det.jurisdictions[0]
    verdict = entry.verdict or Verdict.no_license_required
    review = entry.review_policy.value if entry.review_policy else None
    return verdict.severity, REVIEW[review]


def _tx(material: str, destination: str, day: dt.date, consignee: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "ship_from": "CN",
        "destination": destination,
        "parties": {"consignee": consignee},
        "items": [{"catalog": material, "quantity": 100, "unit": "kg"}],
    }


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MATERIALS), st.sampled_from(DESTINATIONS), DAYS)
def test_military_or_listed_buyer_never_loosens(
    material: str, destination: str, day: dt.date
) -> None:
    plain = _cn(
        _tx(material, destination, day, {"name": "Example Trading Co.", "country": destination})
    )
    military = _cn(
        _tx(
            material,
            destination,
            day,
            {"name": "Example Trading Co.", "country": destination, "type": "military"},
        )
    )
    listed = _cn(
        _tx(material, destination, day, {"name": "General Dynamics", "country": destination})
    )
    assert military >= plain
    assert listed >= plain


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MATERIALS), st.sampled_from(DESTINATIONS))
def test_a_suspension_never_tightens(material: str, destination: str) -> None:
    party = {"name": "Example Trading Co.", "country": destination}
    # Inside both windows (Oct-2025 package; Ann. 46 clause 2) vs after both have run out.
    inside = _cn(_tx(material, destination, dt.date(2026, 6, 1), party))
    after = _cn(_tx(material, destination, dt.date(2026, 12, 1), party))
    assert inside <= after


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MATERIALS), st.sampled_from(DESTINATIONS), DAYS)
def test_exports_from_hong_kong_are_not_reached(
    material: str, destination: str, day: dt.date
) -> None:
    tx = _tx(material, destination, day, {"name": "Example Trading Co.", "country": destination})
    det = determine(parse_transaction({**tx, "ship_from": "HK", "jurisdictions": ["cn"]}))
    assert det.jurisdictions[0].applies is False
