"""AI Diffusion tiers of a destination, read from the rulebook's ``tiers`` provision.

Tier 1 is a list of destinations; Tier 3 is Country Group D:5 plus Macau on the date (so
Cambodia leaves Tier 3 when it leaves D:5); Tier 2 is every other destination.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dualuse.explain.notice import Notice
from dualuse.geo.groups import load_country_groups
from dualuse.memo import BoundedMemo
from dualuse.rulebooks import ActiveProvision


@dataclass(frozen=True, slots=True)
class Tier:
    tier: int
    reason: Notice
    warnings: tuple[Notice, ...] = ()


_TIERS: BoundedMemo[tuple[str, str, str, dt.date], Tier] = BoundedMemo(50_000)
"""Tiers by provision (its act and key name it: rulebooks are immutable), country and day."""


def ai_diffusion_tier(country: str, day: dt.date, tiers: ActiveProvision) -> Tier:
    """The destination's tier on ``day``, with the reason and any doubt about its groups."""
    key = (tiers.origin_id, tiers.key, country, day)
    return _TIERS.get(key, lambda: _tier(country, day, tiers))


def _tier(country: str, day: dt.date, tiers: ActiveProvision) -> Tier:
    groups = load_country_groups()
    listed = groups.listed_as(country, day)
    cite = tiers.citation
    if listed in tiers.get("tier1") or country in tiers.get("tier1"):
        return Tier(1, Notice("geo.tier1", {"country": country}, cite))
    tier3_groups: list[str] = tiers.get("tier3_country_groups")
    hits = groups.in_any(tier3_groups, country, day)
    if hits or country in tiers.get("tier3_countries") or listed in tiers.get("tier3_countries"):
        warnings = tuple(groups.notices(hits, country, day))
        return Tier(
            3,
            Notice("geo.tier3", {"country": country, "groups": hits or [country]}, cite),
            warnings,
        )
    return Tier(2, Notice("geo.tier2", {"country": country}, cite))
