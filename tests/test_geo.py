"""Countries, dated country groups and AI Diffusion tiers.

Expected memberships: docs/sources/country-groups.md (Supp. No. 1 to part 740 and the FR
rules that changed it); tiers: us-rules.md 7.2 (Tier 1 list; Tier 3 = D:5 + Macau).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dualuse.contract import Mode
from dualuse.geo import country_name, load_country_groups
from dualuse.geo.tiers import ai_diffusion_tier
from dualuse.rulebooks import resolve

D = dt.date


def test_names_from_cldr() -> None:
    assert country_name("KR", "ko") == "대한민국"
    assert country_name("KR", "en") == "South Korea"
    assert country_name("MO", "ko").startswith("마카오")


@pytest.mark.parametrize(
    ("group", "country", "day", "member"),
    [
        ("D:5", "CN", D(2024, 1, 1), True),
        ("D:5", "KH", D(2026, 2, 2), True),  # removed effective 2026-02-03 (RIN 0694-AK41)
        ("D:5", "KH", D(2026, 2, 3), False),
        ("D:5", "NI", D(2024, 3, 14), False),  # added 2024-03-15 (89 FR 18780)
        ("D:5", "NI", D(2024, 3, 15), True),
        ("D:5", "CY", D(2024, 5, 30), False),  # removed 2024-05-30 (89 FR 40369)
        ("A:6", "IL", D(2024, 1, 1), True),  # Israel: D:4 and A:6 (us-rules.md 4.3)
        ("D:4", "IL", D(2024, 1, 1), True),
        ("D:5", "HK", D(2024, 1, 1), True),  # Hong Kong reads as China (FR Doc 2020-28101)
        ("D:5", "MO", D(2024, 1, 1), False),  # Macau is named separately by the rules
        ("E:1", "IR", D(2024, 1, 1), True),
        ("E:2", "CU", D(2024, 1, 1), True),
        ("A:5", "AE", D(2026, 7, 10), True),  # FR Doc 2026-14132
        ("A:5", "AE", D(2026, 7, 9), False),
    ],
)
def test_dated_membership(group: str, country: str, day: dt.date, member: bool) -> None:
    assert load_country_groups().is_member(group, country, day) is member


def test_every_group_is_sourced() -> None:
    groups = load_country_groups()
    for name in ("A:5", "A:6", "D:1", "D:4", "D:5", "E:1", "E:2"):
        assert groups.group(name).sources


def test_uncertain_membership_becomes_a_warning() -> None:
    groups = load_country_groups()
    notices = groups.notices(["D:5"], "CY", D(2023, 6, 1))
    assert any(n.code == "country_group.uncertain" for n in notices)


@pytest.mark.parametrize(
    ("country", "day", "tier"),
    [
        ("KR", D(2025, 6, 1), 1),
        ("TW", D(2025, 6, 1), 1),
        ("US", D(2025, 6, 1), 1),
        ("IN", D(2025, 6, 1), 2),
        ("IL", D(2025, 6, 1), 2),
        ("AE", D(2025, 6, 1), 2),
        ("CN", D(2025, 6, 1), 3),
        ("HK", D(2025, 6, 1), 3),
        ("MO", D(2025, 6, 1), 3),
        ("KH", D(2026, 2, 2), 3),
        ("KH", D(2026, 2, 3), 2),  # leaves Tier 3 with D:5
    ],
)
def test_ai_diffusion_tiers(country: str, day: dt.date, tier: int) -> None:
    tiers = resolve("us", day, Mode.codified).provision("tiers")
    assert tiers is not None
    assert ai_diffusion_tier(country, day, tiers).tier == tier
