"""Re-screening what the ledger holds after the lists change.

Two things are kept that a new snapshot can touch: committed determinations (each stored
with the screening it made) and the parties named on held licences. A determination is
screened again exactly as it was made (same date, same jurisdictions, same lists per
jurisdiction, the officers' decisions as they stand now) and listed when the entries
carrying legal effect differ from those it stored. A licensed party is screened against
the lists in force on ``day`` (by default today) and listed when any hit shows: a licence
to a party since listed needs an officer's look whatever the licence says.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_args

from dualuse.contract import ScreeningHit, parse_transaction
from dualuse.engine import screening_of
from dualuse.ledger.audit import stored_entries
from dualuse.ledger.licence import Licence
from dualuse.ledger.store import LedgerStore, SessionLedger
from dualuse.screening.review import Review, ReviewKey
from dualuse.screening.screen import screen_name, with_reviews

JURISDICTION = Licence.model_fields["jurisdiction"].annotation

LICENCE_LISTS = {"us": "us", "cn": "cn"}
"""The lists a licence's authority reads; a licence of another authority is screened
against every list (its parties may still be on one)."""


@dataclass(frozen=True)
class ChangedDetermination:
    seq: int
    transaction_id: str | None
    date: dt.date
    parties: str
    newly_hit: list[str]
    no_longer_hit: list[str]


@dataclass(frozen=True)
class LicensedPartyHit:
    licence: str
    party: str
    country: str
    role: str
    hits: list[ScreeningHit]


def _effective(screening: Mapping[str, Any] | None) -> dict[str, str]:
    """The list entries whose effect a (stored) screening applied, by id, with their names."""
    return {
        hit["entry_id"]: f"{hit['entry_name']} ({hit['list_id']})"
        for party in (screening or {}).get("parties", [])
        for hit in party.get("hits", [])
        if hit.get("effect")
    }


def changed_determinations(store: LedgerStore) -> list[ChangedDetermination]:
    reviews = store.screening_reviews()
    changed = []
    with store.reading() as connection:
        for entry in stored_entries(connection):
            if entry.kind != "commit":
                continue
            body = json.loads(entry.body)
            tx = parse_transaction(body["transaction"])
            now_screening = screening_of(tx, lambda: reviews)
            had = _effective(body.get("determination", {}).get("screening"))
            now = _effective(now_screening.model_dump(mode="json") if now_screening else None)
            if now.keys() != had.keys():
                changed.append(
                    ChangedDetermination(
                        seq=entry.seq,
                        transaction_id=tx.id,
                        date=tx.date,
                        parties=", ".join(p.name for r, p in tx.parties.named() if r != "exporter"),
                        newly_hit=[now[k] for k in now.keys() - had.keys()],
                        no_longer_hit=[had[k] for k in had.keys() - now.keys()],
                    )
                )
    return changed


def licensed_parties_hit(store: LedgerStore, day: dt.date) -> list[LicensedPartyHit]:
    reviews: Mapping[ReviewKey, Review] = store.screening_reviews()
    with store.reading() as connection:
        held = SessionLedger(connection)
        licences = [lic for j in get_args(JURISDICTION) for lic in held.licences(j)]
    found = []
    for licence in licences:
        lists = LICENCE_LISTS.get(licence.jurisdiction)
        for party in licence.parties:
            hits, _ = screen_name(party.name, day, party.country, authority=lists)
            hits = with_reviews(hits, party.name, party.country, reviews) if hits else hits
            # A hit an officer cleared for this version of the entry is not raised again.
            shown = [h for h in hits if not (h.review and h.review.current and not h.effect)]
            if shown:
                found.append(
                    LicensedPartyHit(licence.key, party.name, party.country, party.role, shown)
                )
    return found
