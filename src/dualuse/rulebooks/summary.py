"""Plain-data views of the registry for listings (CLI, API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.contract import Mode
from dualuse.rulebooks.models import RulebookVersion, StatusEvent
from dualuse.rulebooks.registry import Registry
from dualuse.rulebooks.resolver import version_state


def status_label(version: RulebookVersion, day: dt.date, mode: Mode) -> str:
    state = version_state(version, day, mode)
    label = str(state.status.value if hasattr(state.status, "value") else state.status)
    if state.status == "not_yet_effective":
        return f"{label} (from {version.effective.isoformat()})"
    if state.since and label != "in_force":
        label += f" since {state.since.isoformat()}"
    if state.until and label != "in_force":
        label += f" until {state.until.isoformat()}"
    if state.applies:
        lapsed = _lapsed_unknown(version.status, day)
        if lapsed is not None:
            label += (
                f" again? ({lapsed.status.value} through {_last_day(lapsed)}; revival unconfirmed)"
            )
    return label


def _lapsed_unknown(events: list[StatusEvent], day: dt.date) -> StatusEvent | None:
    return next((e for e in events if e.lapsed_unknown(day)), None)


def _last_day(event: StatusEvent) -> dt.date:
    """Status ends are stored exclusive; people read them as the last day covered."""
    assert event.to is not None
    return event.to - dt.timedelta(days=1)


def clause_status(version: RulebookVersion, day: dt.date) -> list[str]:
    """Provisions with a status of their own (e.g. one clause suspended) on ``day``."""
    out = []
    for key, provision in version.provisions.items():
        for event in provision.status:
            if event.covers(day):
                until = f" through {_last_day(event)}" if event.to else ""
                out.append(f"{key}: {event.status.value} since {event.from_}{until}")
        lapsed = _lapsed_unknown(provision.status, day)
        if lapsed is not None:
            out.append(
                f"{key}: {lapsed.status.value} through {_last_day(lapsed)}; revival unconfirmed"
            )
    return out


def summarize_version(version: RulebookVersion, day: dt.date) -> dict[str, Any]:
    return {
        "id": version.id,
        "jurisdiction": version.jurisdiction,
        "title": version.short_title,
        "kind": version.kind,
        "issued": version.issued,
        "effective": version.effective,
        "compliance": version.compliance,
        "status_enforced": status_label(version, day, Mode.enforced),
        "status_codified": status_label(version, day, Mode.codified),
        "citation": version.primary_citation,
        "clauses": clause_status(version, day),
        "provisions": sorted(version.provisions),
    }


def summarize_registry(
    registry: Registry, day: dt.date, jurisdiction: str | None = None
) -> dict[str, Any]:
    return {
        "date": day,
        "versions": [summarize_version(v, day) for v in registry.versions(jurisdiction)],
        "scenarios": [
            {
                "id": s.id,
                "jurisdiction": s.jurisdiction,
                "title": s.title,
                "hypothetical": s.hypothetical,
                "reported": s.reported,
                "effective": s.effective,
                "citation": s.sources[0].label(),
            }
            for s in registry.scenarios(jurisdiction)
        ],
    }
