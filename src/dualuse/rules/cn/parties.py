"""China's party lists in a determination: the Unreliable Entity List and the control list.

Every named party is screened against China's lists as they stood on the day (the
curated snapshot of :mod:`dualuse.lists.store`), with the same cross-script matching the
US lists get: a Chinese exporter's papers name "洛克希德·马丁公司", the list entry
"Lockheed Martin". A match not cleared by an officer's review, or a possible match an
officer confirmed, carries the list's effect unless the listing is suspended that day; a
possible match is a warning to review. Which list a provision applies is one of its
parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dualuse.contract import PartyScreening, Screening, ScreeningHit, Transaction
from dualuse.explain.notice import Notice
from dualuse.lists.models import ListEntry
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.lists import listing_notices
from dualuse.screening.review import Review, ReviewKey
from dualuse.screening.screen import entry_of, screen_name, thresholds, with_reviews

AUTHORITY = "cn"

ReviewSource = Callable[[], Mapping[ReviewKey, Review]]


@dataclass(frozen=True, slots=True)
class ListHit:
    """A party matched to an entry of one of China's lists, and whether it applies."""

    role: str
    party: str
    hit: ScreeningHit
    entry: ListEntry
    active: bool
    notices: tuple[Notice, ...]


@dataclass
class CnParties:
    screening: Screening
    hits: list[ListHit] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    def on(self, provision: ActiveProvision | None) -> list[ListHit]:
        """The hits on the list ``provision`` gives effect to."""
        if provision is None:
            return []
        list_id = provision.get("list")
        return [h for h in self.hits if h.hit.list_id == list_id]


def screen_parties(tx: Transaction, reviews: ReviewSource) -> CnParties:
    """Screen every named party of ``tx`` against China's lists on its date."""
    t = thresholds()
    screened: list[PartyScreening] = []
    snapshots: dict[str, None] = {}
    found: list[ListHit] = []
    warnings: list[Notice] = []
    loaded: list[Mapping[ReviewKey, Review]] = []
    for role, party in tx.parties.named():
        hits, view = screen_name(
            party.name, tx.date, party.country, party.address, authority=AUTHORITY
        )
        snapshots.update(dict.fromkeys(view.snapshots))
        if hits:
            if not loaded:
                loaded.append(reviews())
            hits = with_reviews(hits, party.name, party.country, loaded[0])
        screened.append(
            PartyScreening(role=role, name=party.name, country=party.country, hits=hits)
        )
        for hit in hits:
            review = hit.review if hit.review is not None and hit.review.current else None
            if review is not None and review.decision != "true_match":
                continue  # cleared by an officer, for this version of the entry
            stale = hit.review is not None and review is None
            values = {
                "party": party.name,
                "role": role,
                "entry": hit.entry_name,
                "list": hit.list_id,
                "score": hit.score,
            }
            if hit.status == "match" or review is not None:
                found.append(_state(role, party.name, hit, entry_of(hit), tx.date))
                if stale:
                    warnings.append(Notice("screen.review_stale", values, hit.citation))
                continue
            code = "screen.review_stale" if stale else "screen.possible_match"
            warnings.append(Notice(code, values, hit.citation))
    screening = Screening(
        date=tx.date,
        snapshots=list(snapshots),
        match_threshold=t.match,
        possible_threshold=t.possible,
        parties=screened,
    )
    return CnParties(screening, found, warnings)


def _state(role: str, party: str, hit: ScreeningHit, entry: ListEntry, day: dt.date) -> ListHit:
    notices, active = listing_notices(
        entry.name, entry.citation, entry.uncertain, list(entry.status), day, hit.citation
    )
    return ListHit(role, party, hit, entry, active, tuple(notices))
