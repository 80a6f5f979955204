"""An officer's decision on a screening hit, as the ledger keeps it and screening reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Review:
    decision: str  # true_match | false_positive
    reason: str
    actor: str
    seq: int
    entry_version: str


ReviewKey = tuple[str, str]
"""(party key, entry id): a review decision is about one party and one list entry."""


def party_key(name: str, country: str | None) -> str:
    """Whom a decision is about: the folded name and the country, as the order gives them."""
    # Imported here: the ledger package imports this module for the Review it stores.
    from dualuse.ledger.identity import normalise_name

    return f"{normalise_name(name)}|{country or ''}"
