"""Restricted-party list entries and the snapshots that carry them.

An entry is one row of a list as a snapshot printed it, with the dates the history of
Federal Register rules gives it: listed, modified, removed. Its ``version`` is a hash of
what the law reads from it (names, requirement, policy, footnotes, citations), so that a
review decision taken on one version is asked again when the entry changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from enum import StrEnum
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, Field

from dualuse.contract import ReviewPolicy
from dualuse.rulebooks.models import StatusEvent, blocking_event


class ListId(StrEnum):
    """The lists dualuse gives legal effect to, by their place in the regulations."""

    entity_list = "entity_list"  # Supp. No. 4 to 15 CFR part 744
    meu = "meu"  # Supp. No. 7 to part 744 (military end users)
    uvl = "uvl"  # Supp. No. 6 to part 744 (unverified list)
    dpl = "dpl"  # Denied Persons List (denial orders under part 766)
    cn_uel = "cn_uel"  # China's Unreliable Entity List (MOFCOM Order No. 4 of 2020)
    cn_control_list = "cn_control_list"  # MOFCOM's export-control control list (管控名单)
    other = "other"  # screened and reported, no legal effect in dualuse

    @property
    def authority(self) -> str:
        """Whose list it is: a US determination reads the US lists, China's reads China's."""
        return "cn" if self.value.startswith("cn_") else "us"


class RequirementScope(StrEnum):
    """What the entry's licence requirement reaches."""

    all_items = "all_items"  # "For all items subject to the EAR"
    ccl_items = "ccl_items"  # "For items on the CCL" (EAR99 not reached)
    supp2_items = "supp2_items"  # MEU: items of Supp. No. 2 to part 744
    partial = "partial"  # a narrower text: read the entry (e.g. "when used in projects...")
    none = "none"


_ALL = re.compile(r"^\s*(for\s+)?all\s+items\s+subject\s+to\s+the\s+ear", re.I)
_NARROWER = re.compile(r"when used|except|excluding|other than|limited to", re.I)


@lru_cache(maxsize=1024)
def requirement_scope(text: str | None, list_id: ListId) -> RequirementScope:
    if list_id is ListId.meu:
        return RequirementScope.supp2_items
    if list_id is not ListId.entity_list:
        return RequirementScope.none
    if not text:
        return RequirementScope.partial
    first = text.split(". This license requirement")[0]
    if _ALL.match(first) and not _NARROWER.search(first):
        return RequirementScope.all_items
    if re.match(r"^\s*for\s+(all\s+)?items\s+on\s+the\s+ccl", first, re.I):
        return RequirementScope.ccl_items
    return RequirementScope.partial


class ListEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    list: ListId
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    native_names: tuple[str, ...] = Field(
        default=(),
        description="Names in Han characters or Hangul from sourced material (the US lists "
        "print none), for cross-script screening only.",
    )
    country: str | None = None
    country_name: str | None = None
    region: str | None = None
    addresses: tuple[str, ...] = ()
    license_requirement: str | None = None
    review_policy: ReviewPolicy | None = None
    review_policy_text: str | None = Field(
        default=None, description="The policy as the rule states it, when it is split."
    )
    review_policy_source: str | None = None
    footnotes: tuple[int, ...] = ()
    citations: tuple[str, ...] = ()
    citation_text: str | None = None
    listed: dt.date | None = None
    removed: dt.date | None = Field(default=None, description="First day no longer listed.")
    expires: dt.date | None = None
    modified: tuple[dt.date, ...] = ()
    notes: str | None = None
    snapshot: str = Field(description="Id of the snapshot (or history rule) that carried it.")
    uncertain: str | None = None
    status: tuple[StatusEvent, ...] = Field(
        default=(),
        description="Windows in which the listing was suspended (China's lists), with what "
        "the sources say followed them.",
    )
    urls: tuple[str, ...] = Field(default=(), description="Where the listing was read.")

    @cached_property
    def entry_id(self) -> str:
        """Stable across snapshots: the list, the name and the country."""
        key = f"{self.list.value}|{self.name.casefold()}|{self.country or ''}"
        return f"{self.list.value}:{hashlib.sha256(key.encode()).hexdigest()[:12]}"

    @cached_property
    def version(self) -> str:
        status = [e.model_dump(mode="json", by_alias=True) for e in self.status]
        body = json.dumps(
            [
                self.name,
                sorted(self.aliases),
                self.license_requirement,
                self.review_policy,
                list(self.footnotes),
                list(self.citations),
                self.removed,
                # Only where a listing has them, so that the versions of entries without
                # (every US entry) stay what reviews were taken on.
                *([status] if status else []),
            ],
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    @property
    def citation(self) -> str:
        """The entry's FR citation(s), as the reasons cite it."""
        return ", ".join(self.citations) or (self.citation_text or "")

    def in_force(self, day: dt.date) -> bool:
        if self.listed is not None and day < self.listed:
            return False
        if self.removed is not None and day >= self.removed:
            return False
        return not (self.expires is not None and day >= self.expires)

    def suspension(self, day: dt.date) -> StatusEvent | None:
        """The suspension covering ``day``, if any: the listing stands but has no effect."""
        return blocking_event(list(self.status), day) if self.status else None

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.native_names)


class SnapshotManifest(BaseModel):
    """Where a snapshot came from: enough to find and check the original again."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    as_of: dt.date
    title: str
    publisher: str | None = None
    provenance: str
    licence: str | None = None
    limits: list[str] = Field(default_factory=list)
    authority: str = Field(
        default="us",
        description="Whose lists the snapshot carries (us, cn): views are per authority.",
    )
    sha256: str | None = Field(default=None, description="Of the file as imported.")
    imported_at: str | None = None
