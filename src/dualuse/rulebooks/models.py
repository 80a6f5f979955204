"""The rulebook data format: dated versions of a jurisdiction's rules, and scenarios.

A *version* is one legal act (an interim final rule, an announcement, a letter) with its
dates, status history and sources. Its rules are grouped into *provisions* (ECCN 3A090, the
destination scope, License Exception LPP, ...). On a given date the provision in force is
the one from the latest applicable version that defines it, so an amending act replaces
exactly the provisions it rewrites. A *scenario* is a base plus a patch, flagged
hypothetical.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(_Strict):
    """Where a fact comes from: a legal citation, a URL, or both."""

    key: str | None = Field(default=None, description="Short handle other entries can cite.")
    citation: str | None = None
    document: str | None = Field(default=None, description="e.g. FR Doc 2023-23055")
    cfr: list[str] = Field(default_factory=list)
    url: HttpUrl | None = None
    urls: list[HttpUrl] = Field(default_factory=list)
    grade: Literal["P", "S", "D", "?"] | None = Field(
        default=None, description="P primary text, S secondary, D derived, ? unconfirmed."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _cites_something(self) -> Source:
        if not (self.citation or self.url or self.urls):
            raise ValueError("a source needs a citation or a URL")
        return self

    def label(self) -> str:
        if self.citation:
            return self.citation
        first = self.url or self.urls[0]
        return str(first)


SourceRef = str | Source
"""Either the ``key`` of a source listed on the version, or a source written inline."""


class Parameter(_Strict):
    value: Any
    unit: str | None = Field(
        default=None, description="tpp, h100e, gb300e, gbs, gbs_per_mm2, days, share, ..."
    )
    source: SourceRef
    uncertain: str | None = Field(default=None, description="Shown to users as a warning.")
    note: str | None = None


class Status(StrEnum):
    in_force = "in_force"
    not_enforced = "not_enforced"
    suspended = "suspended"
    superseded = "superseded"
    rescinded = "rescinded"
    amended = "amended"  # informational: parts replaced by a later version's provisions


_BLOCKING = frozenset({Status.suspended, Status.superseded, Status.rescinded})


class StatusEvent(_Strict):
    status: Status
    from_: dt.date = Field(alias="from")
    to: dt.date | None = Field(default=None, description="Exclusive end, if known.")
    by: str | None = Field(default=None, description="Id of the version that caused it.")
    source: SourceRef | None = None
    note: str | None = None
    after: Literal["resumes", "unknown"] = Field(
        default="resumes",
        description="What the sources say happens when `to` passes: the act resumes, or "
        "nothing is known (the engine applies the act again and warns).",
    )

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day < self.to)

    @property
    def blocking(self) -> bool:
        """Suspensions, supersessions and rescissions stop an act applying (in every mode)."""
        return self.status in _BLOCKING

    def lapsed_unknown(self, day: dt.date) -> bool:
        """A blocking window has run out by ``day`` and no source says what followed."""
        return self.blocking and self.after == "unknown" and self.to is not None and self.to <= day


def blocking_event(events: list[StatusEvent], day: dt.date) -> StatusEvent | None:
    """The latest-starting blocking event covering ``day``, if any."""
    return max(
        (e for e in events if e.blocking and e.covers(day)), key=lambda e: e.from_, default=None
    )


class Provision(_Strict):
    title: str
    citation: str = Field(description="What a reason produced by this provision cites.")
    algorithm: str | None = Field(
        default=None, description="Name of the rule function that reads these parameters."
    )
    applies_from: dt.date | None = Field(
        default=None, description="Later start than the version's effective date, if any."
    )
    compliance: dt.date | None = Field(
        default=None, description="Effective but compliance not required before this date."
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    status: list[StatusEvent] = Field(
        default_factory=list,
        description="Events that touch this provision alone (e.g. one clause suspended).",
    )
    note: str | None = None


class Uncertain(_Strict):
    note: str
    source: SourceRef | None = None
    provisions: list[str] = Field(
        default_factory=list,
        description="Provisions the doubt concerns; empty means the act as a whole.",
    )


class RulebookVersion(_Strict):
    id: str = Field(pattern=r"^[a-z]{2}-[a-z0-9-]+$")
    jurisdiction: str
    title: str
    short_title: str
    kind: Literal["regulation", "announcement", "letter", "guidance", "statute"] = "regulation"
    issued: dt.date | None = None
    published: dt.date | None = None
    effective: dt.date
    compliance: dt.date | None = None
    sources: list[Source] = Field(min_length=1)
    status: list[StatusEvent] = Field(min_length=1)
    uncertain: list[Uncertain] = Field(default_factory=list)
    provisions: dict[str, Provision] = Field(default_factory=dict)
    summary: str | None = None

    @model_validator(mode="after")
    def _source_keys_resolve(self) -> RulebookVersion:
        keys = {s.key for s in self.sources if s.key}
        for ref in _source_refs(self):
            if isinstance(ref, str) and ref not in keys:
                raise ValueError(f"{self.id}: source key {ref!r} is not in `sources`")
        return self

    def source(self, ref: SourceRef) -> Source:
        if isinstance(ref, Source):
            return ref
        return next(s for s in self.sources if s.key == ref)

    @property
    def primary_citation(self) -> str:
        return self.sources[0].label()


def _source_refs(version: RulebookVersion) -> list[SourceRef]:
    refs: list[SourceRef] = []
    for provision in version.provisions.values():
        refs.extend(p.source for p in provision.parameters.values())
        refs.extend(e.source for e in provision.status if e.source is not None)
    refs.extend(e.source for e in version.status if e.source is not None)
    refs.extend(u.source for u in version.uncertain if u.source is not None)
    return refs


class Scenario(_Strict):
    """A hypothetical or proposed rule set: base versions plus a patch."""

    id: str = Field(pattern=r"^[a-z]{2}-[a-z0-9-]+$")
    jurisdiction: str
    title: str
    description: str
    hypothetical: bool = True
    reported: dt.date | None = None
    effective: dt.date = Field(description="Date from which the overlay is assumed to apply.")
    activates: list[str] = Field(
        default_factory=list,
        description="Versions treated as in force under the scenario whatever their status.",
    )
    sources: list[Source] = Field(min_length=1)
    provisions: dict[str, Provision] = Field(
        default_factory=dict, description="Provisions the scenario adds or replaces whole."
    )
    removes: list[str] = Field(default_factory=list, description="Provisions it drops.")
    patch: dict[str, Parameter] = Field(
        default_factory=dict, description="'provision.parameter' -> replacement value."
    )
    assumptions: list[str] = Field(
        default_factory=list, description="Where the reports are silent and the model chose."
    )

    @model_validator(mode="after")
    def _patch_paths(self) -> Scenario:
        for path in self.patch:
            if path.count(".") != 1:
                raise ValueError(f"{self.id}: patch key {path!r} must be 'provision.parameter'")
        keys = {s.key for s in self.sources if s.key}
        refs: list[SourceRef] = [p.source for p in self.patch.values()]
        for provision in self.provisions.values():
            refs.extend(p.source for p in provision.parameters.values())
        for ref in refs:
            if isinstance(ref, str) and ref not in keys:
                raise ValueError(f"{self.id}: source key {ref!r} is not in `sources`")
        return self

    def source(self, ref: SourceRef) -> Source:
        if isinstance(ref, Source):
            return ref
        return next(s for s in self.sources if s.key == ref)
