"""Rulebook versions on a time axis: one row each, one segment per status period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.rulebooks import load_registry
from dualuse.rulebooks.models import Status

START = dt.date(2022, 7, 1)
_WINDOWS = {Status.suspended, Status.not_enforced, Status.rescinded}
AXIS_WIDTH = 900.0


def _x(day: dt.date, end: dt.date) -> float:
    span = (end - START).days
    return round(max(0, min(span, (day - START).days)) / span * AXIS_WIDTH, 1)


def rows(jurisdiction: str | None = None) -> dict[str, Any]:
    """Every version (or one jurisdiction's), with status segments and year ticks."""
    today = dt.date.today()
    end = dt.date(today.year + 1, 7, 1)
    versions = sorted(load_registry().versions(jurisdiction), key=lambda v: (v.effective, v.id))
    out = []
    for version in versions:
        # Each event runs to its own end or to the end of the axis; later events are drawn
        # over earlier ones, and windows (a suspension, non-enforcement) over everything,
        # as the resolver lets them override the act's ordinary status.
        events = sorted(version.status, key=lambda e: (e.status in _WINDOWS, e.from_))
        segments = []
        for event in events:
            stop = event.to or end
            segments.append(
                {
                    "status": event.status.value,
                    "from": event.from_.isoformat(),
                    "to": event.to.isoformat() if event.to else None,
                    "x": _x(event.from_, end),
                    "w": max(1.5, _x(stop, end) - _x(event.from_, end)),
                    "after": event.after,
                    "note": event.note or "",
                }
            )
        out.append(
            {
                "id": version.id,
                "jurisdiction": version.jurisdiction,
                "title": version.short_title,
                "effective": version.effective.isoformat(),
                "citation": version.primary_citation,
                "segments": segments,
            }
        )
    ticks = [
        {"year": year, "x": _x(dt.date(year, 1, 1), end)}
        for year in range(START.year + 1, end.year + 1)
    ]
    return {"rows": out, "ticks": ticks, "today": _x(today, end), "width": AXIS_WIDTH}
