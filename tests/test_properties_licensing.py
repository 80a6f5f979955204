"""Invariants of licence determinations (hypothesis), over chips, destinations and dates.

A D:5 or Macau headquarters never loosens a verdict; moving a destination from Tier 1 to
Tier 3 never loosens it; more units never loosen it; LPP usage never exceeds its ceiling.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.contract import Verdict, parse_transaction
from dualuse.engine import determine, determine_many
from dualuse.ledger import InMemoryLedger

CHIPS = [
    "nvidia/h100-sxm",
    "nvidia/h20",
    "nvidia/l40",
    "nvidia/rtx-4090",
    "nvidia/a10",
    "nvidia/b200",
    "nvidia/h200",
    "amd/mi300x",
    "nvidia/dgx-h100",
]
DESTINATIONS = ["IN", "KR", "DE", "SA", "AE", "VN", "MY", "SG", "CN", "MO", "HK", "IL", "BR"]
DAYS = [dt.date(2023, 6, 1), dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2026, 3, 1)]


def _severity(det: Any) -> tuple[int, int]:
    review_rank = {
        None: 0,
        "presumption_of_approval": 1,
        "case_by_case": 2,
        "presumption_of_denial": 3,
    }
    us = det.jurisdictions[0]
    review = us.review_policy.value if us.review_policy else None
    return det.verdict.severity, review_rank[
        review
    ] if det.verdict is Verdict.license_required else 0


def _tx(
    chip: str, dest: str, day: dt.date, mode: str, hq: str | None = None, quantity: int = 10
) -> Any:
    consignee: dict[str, Any] = {"name": "Example Buyer", "country": dest}
    if hq:
        consignee["headquarters"] = hq
    return parse_transaction(
        {
            "date": day.isoformat(),
            "mode": mode,
            "ship_from": "US",
            "destination": dest,
            "parties": {"consignee": consignee},
            "items": [{"catalog": chip, "quantity": quantity}],
        }
    )


@settings(max_examples=250, deadline=None)
@given(
    chip=st.sampled_from(CHIPS),
    dest=st.sampled_from(DESTINATIONS),
    day=st.sampled_from(DAYS),
    mode=st.sampled_from(["enforced", "codified"]),
    hq=st.sampled_from(["CN", "MO", "RU", "IR"]),
)
def test_d5_headquarters_never_loosens(
    chip: str, dest: str, day: dt.date, mode: str, hq: str
) -> None:
    plain = determine(_tx(chip, dest, day, mode))
    headquartered = determine(_tx(chip, dest, day, mode, hq=hq))
    assert _severity(headquartered) >= _severity(plain)


@settings(max_examples=200, deadline=None)
@given(
    chip=st.sampled_from(CHIPS),
    tier1=st.sampled_from(["KR", "JP", "DE", "GB", "TW"]),
    tier3=st.sampled_from(["CN", "MO", "RU", "IR", "VE"]),
    quantity=st.integers(min_value=1, max_value=5000),
)
def test_tier1_to_tier3_never_loosens(chip: str, tier1: str, tier3: str, quantity: int) -> None:
    day = dt.date(2025, 6, 1)
    for mode in ("codified", "enforced"):
        a = determine(_tx(chip, tier1, day, mode, quantity=quantity))
        b = determine(_tx(chip, tier3, day, mode, quantity=quantity))
        assert _severity(b) >= _severity(a)


@settings(max_examples=150, deadline=None)
@given(
    chip=st.sampled_from(CHIPS),
    dest=st.sampled_from(DESTINATIONS),
    day=st.sampled_from(DAYS),
    mode=st.sampled_from(["enforced", "codified"]),
    small=st.integers(min_value=1, max_value=500),
    factor=st.integers(min_value=1, max_value=20),
)
def test_more_units_never_loosens(
    chip: str, dest: str, day: dt.date, mode: str, small: int, factor: int
) -> None:
    a = determine(_tx(chip, dest, day, mode, quantity=small))
    b = determine(_tx(chip, dest, day, mode, quantity=small * factor))
    assert _severity(b) >= _severity(a)


@settings(max_examples=60, deadline=None)
@given(
    quantities=st.lists(st.integers(min_value=1, max_value=1200), min_size=1, max_size=12),
    chip=st.sampled_from(["nvidia/h100-sxm", "nvidia/b200", "nvidia/dgx-h100"]),
)
def test_lpp_usage_never_exceeds_its_ceiling(quantities: list[int], chip: str) -> None:
    ledger = InMemoryLedger()
    txs = [
        _tx(chip, "IN", dt.date(2025, 6, 1) + dt.timedelta(days=i), "codified", quantity=q)
        for i, q in enumerate(quantities)
    ]
    determine_many(txs, ledger)
    totals: dict[str, float] = {}
    for draw in ledger.journal:
        totals[draw.account] = totals.get(draw.account, 0.0) + draw.amount
        assert totals[draw.account] <= draw.limit
    for account, total in totals.items():
        assert total >= 0 and ledger.usage(account) == total
