"""What every jurisdiction's rules produce, in one shape the engine renders.

A jurisdiction module classifies each item (:class:`ItemClass`), decides it
(:class:`Decision`) and returns a :class:`JurisdictionOutcome`; :mod:`dualuse.engine`
turns that into the contract's ``JurisdictionResult``. Nothing here knows any one
country's law.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import overload

from dualuse.contract import Item, QuotaEffect, ReviewPolicy, Screening, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import ItemFacts
from dualuse.ledger import Draw
from dualuse.rulebooks import ResolvedRules

NOT_CONTROLLED = "not_controlled"
INDETERMINATE = "indeterminate"
UNCLASSIFIED = "unclassified"
"""The jurisdiction controls items of this kind under entries dualuse does not carry."""

_REVIEW_ORDER = [
    None,
    ReviewPolicy.presumption_of_approval,
    ReviewPolicy.case_by_case,
    ReviewPolicy.presumption_of_denial,
]


@dataclass(frozen=True, slots=True)
class ItemClass:
    """An item's control code under one jurisdiction, with the reasons that produced it."""

    control_code: str
    paragraphs: tuple[str, ...] = ()
    tpp: float | None = None
    pd: float | None = None
    memory_bandwidth_density: float | None = None
    rulebook: str | None = None
    reasons: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = field(default=())
    provision: str | None = None
    """Key of the provision that classified the item, where a licence rule reads it back."""

    @property
    def controlled(self) -> bool:
        return self.control_code not in (NOT_CONTROLLED, INDETERMINATE, UNCLASSIFIED)


@dataclass
class ItemContext:
    """One item as a jurisdiction sees it: facts, classification, and whether rules reach it."""

    item: Item
    facts: ItemFacts
    cls: ItemClass
    subject: bool
    reach: Notice


@dataclass
class Decision:
    verdict: Verdict
    authorization: str | None = None
    review: ReviewPolicy | None = None
    reasons: list[Notice] = field(default_factory=list)
    obligations: list[Notice] = field(default_factory=list)
    authorities: tuple[str, ...] = ()
    """Where the licence must be sought when it is not only the jurisdiction's own authority
    (e.g. OFAC beside BIS for Iran); empty means the jurisdiction's default."""

    def stricter(self, other: Decision) -> Decision:
        """Combine two requirements on the same item: the more restrictive wins.

        Authorities add up: a licence needed from BIS under one rule and from OFAC under
        another is needed from both.
        """
        if other.verdict.severity > self.verdict.severity:
            winner, loser = other, self
        elif other.verdict.severity < self.verdict.severity:
            winner, loser = self, other
        else:
            review = max(self.review, other.review, key=_REVIEW_ORDER.index)
            winner = Decision(self.verdict, self.authorization or other.authorization, review)
            loser = other
            winner.reasons, winner.obligations = list(self.reasons), list(self.obligations)
            winner.authorities = self.authorities
        authorities = winner.authorities
        if loser.verdict is winner.verdict or loser.verdict is Verdict.license_required:
            authorities = tuple(dict.fromkeys(winner.authorities + loser.authorities))
        return Decision(
            winner.verdict,
            winner.authorization,
            winner.review,
            winner.reasons + loser.reasons,
            winner.obligations + loser.obligations,
            authorities,
        )


@overload
def stacked(base: Decision, *overlays: Decision | None) -> Decision: ...
@overload
def stacked(base: Decision | None, *overlays: Decision | None) -> Decision | None: ...
def stacked(base: Decision | None, *overlays: Decision | None) -> Decision | None:
    """Requirements that stack on one item, the most restrictive winning; None if none apply."""
    for overlay in overlays:
        if overlay is not None:
            base = overlay if base is None else base.stricter(overlay)
    return base


def strictest_review(reviews: list[ReviewPolicy | None]) -> ReviewPolicy | None:
    return max(reviews, key=_REVIEW_ORDER.index, default=None)


def authorities_of(decisions: list[Decision | None], default: str | None) -> list[str]:
    """Every authority a licence must be sought from, over the items that need one."""
    found: dict[str, None] = {}
    for d in decisions:
        if d is None or d.verdict is not Verdict.license_required:
            continue
        for name in d.authorities or ((default,) if default else ()):
            found[name] = None
    return list(found)


def review_of(decisions: list[Decision | None]) -> ReviewPolicy | None:
    return strictest_review(
        [d.review for d in decisions if d is not None and d.verdict is Verdict.license_required]
    )


@dataclass
class JurisdictionOutcome:
    jurisdiction: str
    applies: bool
    rules: ResolvedRules
    items: list[ItemContext]
    decisions: list[Decision | None]
    reasons: list[Notice]
    quota: list[QuotaEffect] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    obligations: list[Notice] = field(default_factory=list)
    screening: Screening | None = None


@dataclass(frozen=True)
class QuotaCheck:
    """One account read against an order: the quota block entry, and the draw if it fits."""

    effect: QuotaEffect
    draw: Draw | None


def quota_check(
    account: str,
    unit: str,
    limit: float,
    used: float,
    requested: float,
    provision: str | None,
    reference: str | None,
    holder: str | None = None,
    identity: str | None = None,
    aliases: tuple[str, ...] = (),
) -> QuotaCheck:
    """What drawing ``requested`` from an account with ``used`` of ``limit`` gone would do.

    Quotas (LPP, allocations) and held licences alike: the entry the reader sees and the
    draw the ledger records are made from the same values here, so they cannot disagree.
    """
    fits = used + requested <= limit
    effect = QuotaEffect(
        account=account,
        unit=unit,
        limit=limit,
        used_before=used,
        requested=requested,
        remaining_after=limit - used - requested,
        status="draws" if fits else "exceeded",
        provision=provision,
        holder=holder,
    )
    if not fits:
        return QuotaCheck(effect, None)
    draw = Draw(account, requested, limit, reference, unit, holder, provision, identity, aliases)
    return QuotaCheck(effect, draw)
