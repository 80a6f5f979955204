"""As-of resolution: which versions and provisions apply on a date, in a mode, under a scenario.

``enforced`` reads the rules as the authority applies them on that date (a version the
authority has announced it will not enforce does not apply, and the caller is warned);
``codified`` reads them as written (announced non-enforcement is ignored, and the caller
is warned of it). Suspensions, supersessions and rescissions are legal acts and count in
both modes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dualuse.contract import Mode
from dualuse.explain.notice import Notice
from dualuse.rulebooks.models import (
    Parameter,
    Provision,
    RulebookVersion,
    Scenario,
    Source,
    Status,
    StatusEvent,
    blocking_event,
)
from dualuse.rulebooks.registry import load_registry


@dataclass(frozen=True, slots=True)
class VersionState:
    """How one version stands on one day in one mode."""

    applies: bool
    status: Status | str
    since: dt.date | None = None
    until: dt.date | None = None
    note: str | None = None


def version_state(version: RulebookVersion, day: dt.date, mode: Mode) -> VersionState:
    if day < version.effective:
        return VersionState(False, "not_yet_effective", until=version.effective)
    blocked = blocking_event(version.status, day)
    if blocked is not None:
        return VersionState(False, blocked.status, blocked.from_, blocked.to, blocked.note)
    for event in version.status:
        if event.covers(day) and event.status is Status.not_enforced and mode is Mode.enforced:
            return VersionState(False, event.status, event.from_, event.to, event.note)
    return VersionState(True, Status.in_force, version.effective)


@dataclass(frozen=True, slots=True)
class ActiveProvision:
    """A provision in force, with the act it comes from (for citations and sources)."""

    key: str
    provision: Provision
    origin: RulebookVersion | Scenario
    # Warnings built once: resolved rules are cached, and the same notices then carry
    # their rendering key from one determination to the next.
    # Keyed by the parameters asked about; None for the act's own doubts.
    _doubts: dict[tuple[str, ...] | None, tuple[Notice, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def citation(self) -> str:
        return self.provision.citation

    @property
    def origin_id(self) -> str:
        return self.origin.id

    def has(self, name: str) -> bool:
        return name in self.provision.parameters

    def parameter(self, name: str) -> Parameter:
        try:
            return self.provision.parameters[name]
        except KeyError:
            raise KeyError(
                f"{self.origin.id}: provision {self.key} has no parameter {name}"
            ) from None

    def get(self, name: str, default: Any = None) -> Any:
        param = self.provision.parameters.get(name)
        return default if param is None else param.value

    def source(self, name: str) -> Source:
        return self.origin.source(self.parameter(name).source)

    def act_uncertainty(self) -> tuple[Notice, ...]:
        """Doubts the reference records about the act this provision comes from."""
        return self._remembered(None, self._act_doubts)

    def _act_doubts(self) -> list[Notice]:
        if not isinstance(self.origin, RulebookVersion):
            return []
        return [
            Notice(
                "rulebook.uncertain",
                {"rulebook": self.origin.id, "note": item.note},
                self.origin.primary_citation,
            )
            for item in self.origin.uncertain
            if not item.provisions or self.key in item.provisions
        ]

    def uncertainty(self, *names: str) -> tuple[Notice, ...]:
        """Warnings for the named parameters the reference marks uncertain."""
        return self._remembered(names, lambda: self._parameter_doubts(names))

    def _remembered(
        self, key: tuple[str, ...] | None, build: Callable[[], list[Notice]]
    ) -> tuple[Notice, ...]:
        found = self._doubts.get(key)
        if found is None:
            found = self._doubts[key] = tuple(build())
        return found

    def _parameter_doubts(self, names: tuple[str, ...]) -> list[Notice]:
        notices = []
        for name in names:
            param = self.provision.parameters.get(name)
            if param is not None and param.uncertain:
                notices.append(
                    Notice(
                        "parameter.uncertain",
                        {
                            "parameter": f"{self.key}.{name}",
                            # A parameter the sources left open has no value to show.
                            "value": _shown(param.value),
                            "note": param.uncertain,
                        },
                        self.citation,
                    )
                )
        return notices


def _shown(value: Any) -> Any:
    """A parameter's value as a warning shows it: a table by its rows' first column (the
    footnote numbers, not every row's dict)."""
    if value is None:
        return "value_unknown"
    if isinstance(value, list) and value and all(isinstance(r, dict) and r for r in value):
        return ", ".join(str(next(iter(r.values()))) for r in value)
    return value


@dataclass(frozen=True)
class ResolvedRules:
    jurisdiction: str
    date: dt.date
    mode: Mode
    scenario: Scenario | None
    versions: tuple[RulebookVersion, ...]
    provisions: Mapping[str, ActiveProvision]
    notices: tuple[Notice, ...]

    def provision(self, key: str) -> ActiveProvision | None:
        return self.provisions.get(key)

    def with_algorithm(self, algorithm: str) -> list[ActiveProvision]:
        """Every provision in force that the rule function ``algorithm`` reads."""
        return [p for p in self.provisions.values() if p.provision.algorithm == algorithm]

    @property
    def rulebook_ids(self) -> list[str]:
        ids = [v.id for v in self.versions]
        if self.scenario is not None:
            ids.append(self.scenario.id)
        return ids

    @property
    def hypothetical(self) -> bool:
        return self.scenario is not None and self.scenario.hypothetical


def resolve(
    jurisdiction: str, day: dt.date, mode: Mode = Mode.enforced, scenario: str | None = None
) -> ResolvedRules:
    """The rules of ``jurisdiction`` that apply on ``day`` (cached: rulebooks are immutable)."""
    return _resolve(jurisdiction, day, mode, scenario)


@lru_cache(maxsize=4096)
def _resolve(jurisdiction: str, day: dt.date, mode: Mode, scenario_id: str | None) -> ResolvedRules:
    registry = load_registry()
    scenario = registry.scenario(scenario_id) if scenario_id else None
    if scenario is not None and scenario.jurisdiction != jurisdiction:
        scenario = None
    overlay = scenario is not None and day >= scenario.effective
    activated = set(scenario.activates) if scenario is not None and overlay else set()

    notices: list[Notice] = []
    applicable: list[RulebookVersion] = []
    for version in registry.versions(jurisdiction):
        state = version_state(version, day, mode)
        forced = version.id in activated and day >= version.effective and not state.applies
        if state.applies or forced:
            applicable.append(version)
            notices.extend(_version_notices(version, day, mode, forced))
            notices.extend(_lapsed_unknown(version.status, version, version.short_title, day))
        elif state.status is Status.not_enforced:
            notices.append(
                Notice(
                    "rulebook.not_enforced",
                    {
                        "rulebook": version.id,
                        "title": version.short_title,
                        "since": state.since,
                        "note": version_note(version, Status.not_enforced),
                    },
                    version.primary_citation,
                )
            )

    provisions: dict[str, ActiveProvision] = {}
    for version in applicable:
        for key, provision in version.provisions.items():
            if provision.applies_from is not None and day < provision.applies_from:
                continue
            blocked = blocking_event(provision.status, day)
            if blocked is not None:
                provisions.pop(key, None)
                notices.append(
                    Notice(
                        "provision.suspended",
                        {
                            "provision": provision.title,
                            "status": blocked.status.value,
                            "since": blocked.from_,
                            "until": last_day(blocked.to),
                            "note": blocked.note or "",
                        },
                        provision.citation,
                    )
                )
                continue
            notices.extend(_lapsed_unknown(provision.status, version, provision.title, day))
            provisions[key] = ActiveProvision(key, provision, version)
            if provision.compliance is not None and day < provision.compliance:
                notices.append(
                    Notice(
                        "provision.before_compliance",
                        {"provision": provision.title, "compliance": provision.compliance},
                        provision.citation,
                    )
                )

    if scenario is not None:
        if overlay:
            _apply_overlay(scenario, provisions)
            notices.append(
                Notice(
                    "scenario.hypothetical" if scenario.hypothetical else "scenario.applied",
                    {"scenario": scenario.id, "title": scenario.title},
                    scenario.sources[0].label(),
                )
            )
        else:
            notices.append(
                Notice(
                    "scenario.not_yet",
                    {"scenario": scenario.id, "effective": scenario.effective},
                    scenario.sources[0].label(),
                )
            )
    return ResolvedRules(
        jurisdiction,
        day,
        mode,
        scenario if overlay else None,
        tuple(applicable),
        provisions,
        tuple(notices),
    )


def _version_notices(
    version: RulebookVersion, day: dt.date, mode: Mode, forced: bool
) -> list[Notice]:
    notices: list[Notice] = []
    cite = version.primary_citation
    if forced:
        notices.append(Notice("rulebook.activated_by_scenario", {"rulebook": version.id}, cite))
    elif mode is Mode.codified and any(
        e.status is Status.not_enforced and e.covers(day) for e in version.status
    ):
        notices.append(
            Notice(
                "rulebook.codified_not_enforced",
                {
                    "rulebook": version.id,
                    "title": version.short_title,
                    "note": version_note(version, Status.not_enforced),
                },
                cite,
            )
        )
    return notices


def last_day(end: dt.date | None) -> dt.date | None:
    """Status ends are stored exclusive; messages name the last day covered."""
    return None if end is None else end - dt.timedelta(days=1)


def _lapsed_unknown(
    events: list[StatusEvent], version: RulebookVersion, title: str, day: dt.date
) -> list[Notice]:
    """A suspension has run out and no source says whether the measure revived."""
    return [
        Notice(
            "rulebook.status_unknown",
            {
                "rulebook": version.id,
                "title": title,
                "status": e.status.value,
                "until": last_day(e.to),
                "note": e.note or "",
            },
            version.primary_citation,
        )
        for e in events
        if e.lapsed_unknown(day)
    ]


def version_note(version: RulebookVersion, status: Status) -> str:
    return " ".join(e.note for e in version.status if e.status is status and e.note)


def _apply_overlay(scenario: Scenario, provisions: dict[str, ActiveProvision]) -> None:
    for key in scenario.removes:
        provisions.pop(key, None)
    for key, provision in scenario.provisions.items():
        provisions[key] = ActiveProvision(key, provision, scenario)
    for path, parameter in scenario.patch.items():
        key, name = path.split(".")
        current = provisions.get(key)
        if current is None:
            continue  # the registry checks that patched provisions exist in the base
        # Sources are made inline so that unpatched parameters still cite their own act.
        parameters = {
            n: p.model_copy(update={"source": current.origin.source(p.source)})
            for n, p in current.provision.parameters.items()
        }
        parameters[name] = parameter.model_copy(
            update={"source": scenario.source(parameter.source)}
        )
        patched = current.provision.model_copy(update={"parameters": parameters})
        provisions[key] = ActiveProvision(key, patched, scenario)
