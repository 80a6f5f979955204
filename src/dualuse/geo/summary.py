"""A country as the rules see it on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.errors import UnknownId
from dualuse.geo.countries import country_name, is_country, suggest_codes
from dualuse.geo.groups import load_country_groups


def country_summary(code: str, day: dt.date) -> dict[str, Any]:
    if not is_country(code):
        raise UnknownId.single(
            "CODE", code, "unknown ISO 3166-1 alpha-2 country code", suggest_codes(code)
        )
    groups = load_country_groups()
    listed = groups.listed_as(code, day)
    memberships = []
    for name in groups.names:
        member = groups.membership(name, code, day)
        if member is not None:
            memberships.append(
                {"group": name, "title": groups.group(name).title, "uncertain": member.uncertain}
            )
    from dualuse.contract import Mode
    from dualuse.geo.tiers import ai_diffusion_tier
    from dualuse.rulebooks import resolve

    tiers = resolve("us", day, Mode.codified).provision("tiers")
    tier = None if tiers is None else ai_diffusion_tier(code, day, tiers).tier
    return {
        "code": code,
        "name_en": country_name(code, "en"),
        "name_ko": country_name(code, "ko"),
        "date": day,
        "listed_as": listed,
        "country_groups": memberships,
        "ai_diffusion_tier_codified": tier,
    }
