"""The verdict for one item to every country on a date, under one rule set, for the map."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dualuse.contract import parse_transaction
from dualuse.engine import determine
from dualuse.geo.countries import country_name
from dualuse.web.worldmap import outlines

ORIGIN = "US"
"""The map shows exports from the United States (the rules dualuse carries most fully)."""


@lru_cache(maxsize=64)
def _verdicts(item: str, day: str, mode: str, scenario: str | None) -> tuple[tuple[str, str], ...]:
    found = []
    for outline in outlines():
        if outline.code == ORIGIN:
            found.append((outline.code, "not_applicable"))
            continue
        tx = parse_transaction(
            {
                "date": day,
                "mode": mode,
                "scenario": scenario,
                "ship_from": ORIGIN,
                "destination": outline.code,
                "items": [{"catalog": item, "quantity": 1}],
            }
        )
        found.append((outline.code, determine(tx).verdict.value))
    return tuple(found)


def verdict_map(
    item: str, day: str, mode: str, scenario: str | None, lang: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Shapes with their verdict and name, and how many countries have each verdict.

    A bad item, date, mode or scenario is refused by the first transaction parsed, naming
    the field, before any verdict is computed.
    """
    verdicts = dict(_verdicts(item, day, mode, scenario))
    shapes = [
        {
            "code": o.code,
            "name": country_name(o.code, lang),
            "path": o.path,
            "verdict": verdicts[o.code],
        }
        for o in outlines()
    ]
    counts: dict[str, int] = {}
    for verdict in verdicts.values():
        counts[verdict] = counts.get(verdict, 0) + 1
    return shapes, counts
