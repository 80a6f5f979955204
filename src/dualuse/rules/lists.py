"""Dated lists of named parties in rulebook provisions (US validated end users), and the
state of a listing on a day, which China's lists (:mod:`dualuse.rules.cn.parties`) share.

A listing has a start date and may be suspended for a window; what happens when a
suspension runs out is either known (the listing resumes) or not, in which case the
listing is applied again with a warning. Names match after the same folding that joins
consignee accounts ("Ltd." = "Limited"), on the name or any listed alias.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from dualuse.contract import Party, Transaction
from dualuse.explain.notice import Notice
from dualuse.ledger.identity import normalise_name
from dualuse.rulebooks import ActiveProvision
from dualuse.rulebooks.models import StatusEvent, blocking_event
from dualuse.rulebooks.resolver import last_day


class ListedParty(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    site: str | None = None
    listed: dt.date = Field(description="First day the listing applies.")
    by: str = Field(description="The act that listed the party.")
    status: list[StatusEvent] = Field(default_factory=list)
    uncertain: str | None = None

    def keys(self) -> frozenset[str]:
        return frozenset(normalise_name(n) for n in (self.name, *self.aliases))


_PARTIES = TypeAdapter(list[ListedParty])


_PARSED: dict[tuple[str, str, str], tuple[tuple[ListedParty, frozenset[str]], ...]] = {}


def listed_parties(
    provision: ActiveProvision, name: str = "parties"
) -> tuple[tuple[ListedParty, frozenset[str]], ...]:
    """The provision's party list with each listing's folded names, built once per act and
    provision (acts are immutable).

    Keyed by names, not object identity: resolved rules are evicted from their cache and a
    reused ``id`` must never hand one act's list to another.
    """
    key = (provision.origin_id, provision.key, name)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = tuple((p, p.keys()) for p in _PARTIES.validate_python(provision.get(name, [])))
        _PARSED[key] = parsed
    return parsed


@dataclass(frozen=True, slots=True)
class ListHit:
    role: str
    party: Party
    listing: ListedParty
    active: bool
    notices: tuple[Notice, ...]


def screen(tx: Transaction, provision: ActiveProvision, name: str = "parties") -> list[ListHit]:
    """Parties of ``tx`` named on the provision's list, with their listing's state that day."""
    hits: list[ListHit] = []
    named = [(role, party, normalise_name(party.name)) for role, party in tx.parties.named()]
    for listing, keys in listed_parties(provision, name):
        for role, party, key in named:
            if key not in keys or tx.date < listing.listed:
                continue
            hits.append(_state(role, party, listing, tx.date, provision.citation))
    return hits


def _state(role: str, party: Party, listing: ListedParty, day: dt.date, cite: str) -> ListHit:
    notices, active = listing_notices(
        listing.name, listing.by, listing.uncertain, list(listing.status), day, cite
    )
    if not active:
        return ListHit(role, party, listing, False, tuple(notices))
    return ListHit(role, party, listing, True, tuple(notices))


def listing_notices(
    name: str,
    by: str,
    uncertain: str | None,
    status: list[StatusEvent],
    day: dt.date,
    cite: str,
) -> tuple[list[Notice], bool]:
    """What a listing's state on ``day`` tells the user, and whether it applies: not while
    suspended; again, with a warning, after a suspension no source says how it ended."""
    notices: list[Notice] = []
    if uncertain:
        notices.append(Notice("list.uncertain", {"party": name, "note": uncertain}, cite))
    blocked = blocking_event(status, day)
    if blocked is not None:
        values = {"party": name, "since": blocked.from_, "until": last_day(blocked.to)}
        notices.append(Notice("list.suspended", values, cite))
        return notices, False
    for event in status:
        if event.lapsed_unknown(day):
            values = {
                "rulebook": by,
                "title": name,
                "status": event.status.value,
                "until": last_day(event.to),
                "note": event.note or "",
            }
            notices.append(Notice("rulebook.status_unknown", values, cite))
    return notices, True
