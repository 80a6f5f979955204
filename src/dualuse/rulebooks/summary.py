"""Plain-data views of the registry for listings (CLI, API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.contract import Mode
from dualuse.rulebooks.models import RulebookVersion
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
    return label


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
