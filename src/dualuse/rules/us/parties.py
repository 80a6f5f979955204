"""The legal effects of the restricted-party lists on a US determination.

Every party but the exporter, and every owner named for a party, is screened against the
lists as they stood on the transaction's date (:mod:`dualuse.screening`). A hit carries
the list's effect when it is a match not cleared by a review decision, or a possible
match an officer confirmed:

- Entity List (744.11): a licence for the items the entry's requirement names ("all items
  subject to the EAR" reaches EAR99 items too), reviewed under the entry's own policy; no
  License Exception unless the entry says so.
- Military End-User list (744.21): a licence for the items of Supp. No. 2 to part 744.
- Unverified List (744.15): no License Exception; an order needing no licence needs the
  party's UVL statement first.
- Denied Persons List: the order is prohibited (a denial order bars any dealing).
- The 50 % rule (90 FR 47201): a party owned 50 % or more, directly or indirectly, alone
  or together, by parties on the Entity List or MEU list takes on the strictest of their
  restrictions, in the windows the rule was in force.

The parameters (citations, windows, threshold) are provisions of the rulebooks; the
entries are data with their own citations. Matches apply in every mode and scenario.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dualuse.contract import (
    Owner,
    Party,
    PartyScreening,
    ReviewPolicy,
    Screening,
    ScreeningHit,
    Verdict,
)
from dualuse.explain.notice import Notice
from dualuse.lists.models import ListId, RequirementScope, requirement_scope
from dualuse.rulebooks import ActiveProvision, ResolvedRules
from dualuse.rules.outcome import Decision, ItemContext
from dualuse.screening.review import Review, ReviewKey
from dualuse.screening.screen import screen_name, thresholds, with_reviews

RESTRICTED_PARTIES = "restricted_parties"
AFFILIATES = "affiliates_rule"

ReviewSource = Callable[[], Mapping[ReviewKey, Review]]


@dataclass(frozen=True)
class Listed:
    """A party (or the owner it inherits from) with a hit that carries legal effect."""

    role: str
    party: str
    hit: ScreeningHit
    via: str | None = None  # the owners through which the 50 % rule reaches it
    share: float | None = None
    rule: str | None = None  # the 50 % rule's citation, when it is what reaches the party

    @property
    def citation(self) -> str:
        return f"{self.rule}; {self.hit.citation}" if self.rule else self.hit.citation


@dataclass
class PartyFindings:
    screening: Screening | None = None
    listed: list[Listed] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    def on(self, list_id: str) -> list[Listed]:
        return [x for x in self.listed if x.hit.list_id == list_id]

    def footnotes(self) -> dict[int, Listed]:
        out: dict[int, Listed] = {}
        for x in self.on("entity_list"):
            for n in x.hit.footnotes:
                out.setdefault(n, x)
        return out


def find(
    parties: list[tuple[str, Party]], day: dt.date, rules: ResolvedRules, reviews: ReviewSource
) -> PartyFindings:
    """Screen the parties (exporter aside) and their owners on ``day``."""
    findings = PartyFindings()
    if rules.provision(RESTRICTED_PARTIES) is None:
        return findings
    t = thresholds()
    screened: list[PartyScreening] = []
    snapshots: dict[str, None] = {}
    loaded: dict[str, Mapping[ReviewKey, Review]] = {}

    def review_map() -> Mapping[ReviewKey, Review]:
        if "r" not in loaded:
            loaded["r"] = reviews()
        return loaded["r"]

    def screen_one(name: str, country: str | None, address: str | None) -> list[ScreeningHit]:
        hits, view = screen_name(name, day, country, address, authority="us")
        snapshots.update(dict.fromkeys(view.snapshots))
        # Review decisions are read only for a party that has hits (most have none).
        return with_reviews(hits, name, country, review_map()) if hits else hits

    for role, party in parties:
        if role == "exporter":
            continue
        hits = screen_one(party.name, party.country, party.address)
        screened.append(
            PartyScreening(role=role, name=party.name, country=party.country, hits=hits)
        )
        _collect(findings, role, party.name, hits)
        if party.owners:
            _affiliates(findings, screened, rules, role, party, day, screen_one)
    findings.screening = Screening(
        date=day,
        snapshots=list(snapshots),
        match_threshold=t.match,
        possible_threshold=t.possible,
        parties=screened,
    )
    return findings


def _collect(findings: PartyFindings, role: str, name: str, hits: list[ScreeningHit]) -> None:
    lists_applied: set[str] = set()
    for hit in hits:
        stale = hit.review is not None and not hit.review.current
        if hit.effect:
            # One entry per list carries the effect: the strongest (hits come best first);
            # the others are shown in the screening.
            if hit.list_id not in lists_applied:
                lists_applied.add(hit.list_id)
                findings.listed.append(Listed(role, name, hit))
            if stale:
                # An officer's decision on an earlier version: applied anyway, and said.
                findings.warnings.append(_unapplied("screen.review_stale", role, name, hit))
        elif hit.status == "possible_match" or stale:
            code = "screen.review_stale" if stale else "screen.possible_match"
            findings.warnings.append(_unapplied(code, role, name, hit))


def _unapplied(code: str, role: str, name: str, hit: ScreeningHit) -> Notice:
    """A hit shown but not applied: a possible match to review, or a stale decision."""
    values = {
        "party": name,
        "role": role,
        "entry": hit.entry_name,
        "list": hit.list_id,
        "score": hit.score,
    }
    return Notice(code, values, hit.citation)


# ------------------------------------------------------------------------- 50 % rule


def _affiliates(
    findings: PartyFindings,
    screened: list[PartyScreening],
    rules: ResolvedRules,
    role: str,
    party: Party,
    day: dt.date,
    screen_one: Callable[[str, str | None, str | None], list[ScreeningHit]],
) -> None:
    rule = rules.provision(AFFILIATES)
    # Before the rule (and while it is absent) owners are screened and shown, nothing more.
    lists: list[str] = list(rule.get("lists")) if rule is not None else []
    threshold = float(rule.get("threshold_percent")) if rule is not None else math.inf
    owner_hits: list[tuple[str, list[ScreeningHit]]] = []

    def restricted_share(owners: list[Owner], chain: str) -> tuple[float, list[ScreeningHit]]:
        """The share of ``owners`` held by listed parties, counting an owner that is itself
        50 % owned by listed parties as listed (OFAC's aggregation, which the rule adopts)."""
        total, inherited = 0.0, []
        for owner in owners:
            hits = screen_one(owner.name, owner.country, None)
            where = f"{chain} <- {owner.name} ({owner.share:g} %)"
            screened.append(
                PartyScreening(
                    role=f"{role} owner",
                    name=owner.name,
                    country=owner.country,
                    via=where,
                    share=owner.share,
                    hits=hits,
                )
            )
            listed = [h for h in hits if h.effect and h.list_id in lists]
            for h in hits:
                if not h.effect and h.status == "possible_match":
                    findings.warnings.append(
                        _unapplied("screen.possible_match", f"{role} owner", owner.name, h)
                    )
            if not listed and owner.owners:
                sub_share, sub_hits = restricted_share(owner.owners, where)
                if sub_share >= threshold:
                    listed = sub_hits
            if listed:
                total += owner.share
                inherited += listed
                owner_hits.append((where, listed))
        return total, inherited

    share, inherited = restricted_share(party.owners, party.name)
    if rule is None or not inherited or share < threshold:
        return
    state = _window(rule, day)
    if state is None:
        return
    values = {"party": party.name, "share": share, "threshold": threshold}
    if state == "unconfirmed":
        findings.warnings.append(Notice("us.list.affiliates_status_unknown", values, rule.citation))
    for where, hits in owner_hits:
        for hit in hits:
            findings.listed.append(Listed(role, party.name, hit, where, share, rule.citation))


def _window(rule: ActiveProvision, day: dt.date) -> str | None:
    """in_force, unconfirmed (applied with a warning) or None (not in force that day)."""
    for row in rule.get("windows"):
        start: dt.date = row["from"]
        end: dt.date | None = row.get("to")
        if start <= day and (end is None or day < end):
            return str(row["status"]) if row["status"] != "suspended" else None
    return None


# ------------------------------------------------------------------------- effects


def list_overlay(
    rules: ResolvedRules, findings: PartyFindings, item: ItemContext, warnings: list[Notice]
) -> Decision | None:
    """What the parties' listings require for one item subject to the EAR."""
    p = rules.provision(RESTRICTED_PARTIES)
    if p is None or not findings.listed:
        return None
    decision: Decision | None = None
    for listed in findings.listed:
        found = _effect(p, listed, item, warnings)
        if found is not None:
            decision = found if decision is None else decision.stricter(found)
    return decision


def _values(listed: Listed, item: ItemContext) -> dict[str, Any]:
    return {
        "item": item.facts.label,
        "party": listed.party,
        "role": listed.role,
        "entry": listed.hit.entry_name,
        "requirement": listed.hit.license_requirement or "",
        "via": listed.via or "",
        "share": listed.share,
    }


def _effect(
    p: ActiveProvision, listed: Listed, item: ItemContext, warnings: list[Notice]
) -> Decision | None:
    hit = listed.hit
    values = _values(listed, item)
    prefix = "us.list.affiliate_" if listed.via else "us.list."
    if hit.list_id == "dpl":
        return Decision(
            Verdict.prohibited, reasons=[Notice(prefix + "denied", values, listed.citation)]
        )
    if hit.list_id == "entity_list":
        return _entity(listed, item, values, prefix, warnings)
    if hit.list_id == "meu":
        # 744.21 reaches the items of Supp. No. 2 to part 744; dualuse classifies only the
        # 3A090 family, so for any other item it says so and shows the licence (as the
        # military end-use rule does), never "no licence required".
        if item.cls.control_code == "EAR99":
            return None
        warnings.append(
            Notice(
                "us.military.supp2_unknown",
                {"item": item.facts.label, "code": item.cls.control_code},
                "Supp. No. 2 to part 744",
            )
        )
        reasons = [Notice(prefix + "meu", values, listed.citation)]
        return Decision(
            Verdict.license_required,
            None,
            ReviewPolicy(p.get("meu_review_policy")),
            reasons,
        )
    return None


def _entity(
    listed: Listed, item: ItemContext, values: dict[str, Any], prefix: str, warnings: list[Notice]
) -> Decision | None:
    hit = listed.hit
    scope = requirement_scope(hit.license_requirement, ListId.entity_list)
    if scope is RequirementScope.ccl_items and not item.cls.controlled:
        return None
    if scope is RequirementScope.partial:
        warnings.append(Notice("us.list.requirement_partial", values, hit.citation))
    review = item_policy(hit, item)
    if review is None:
        warnings.append(Notice("us.list.review_policy_unknown", values, hit.citation))
    reasons = [Notice(prefix + "entity", values, listed.citation)]
    return Decision(Verdict.license_required, None, review, reasons)


_EXCEPT_NOT_DESCRIBED = re.compile(
    r"presumption of denial except case.by.case for items not described in ECCNs?\s+(.*)", re.I
)


def item_policy(hit: ScreeningHit, item: ItemContext) -> ReviewPolicy | None:
    """The entry's review policy for this item. An entry whose policy is a presumption of
    denial "except case-by-case for items not described in" named ECCNs (the December 2024
    tool-maker entries) is case-by-case for an item outside them."""
    text = hit.review_policy_text or ""
    found = _EXCEPT_NOT_DESCRIBED.search(text)
    if found is None:
        return hit.review_policy
    entries = re.findall(r"\b\d[A-E]\d{3}", found.group(1))
    code = item.cls.control_code if item.cls.controlled else ""
    return (
        ReviewPolicy.presumption_of_denial
        if code and code.startswith(tuple(entries))
        else ReviewPolicy.case_by_case
    )


def no_exception_notice(rules: ResolvedRules, item: ItemContext, authorization: str) -> Notice:
    """The authorization the order would have had is a License Exception the listing
    takes away (744.11(a))."""
    p = rules.provision(RESTRICTED_PARTIES)
    cite = None if p is None else str(p.get("no_exceptions_citation"))
    values = {"item": item.facts.label, "authorization": authorization}
    return Notice("us.list.no_exceptions", values, cite)


def uvl_overlay(
    rules: ResolvedRules, findings: PartyFindings, base: Decision, item: ItemContext
) -> Decision | None:
    """License Exceptions are unavailable to a UVL party (744.15(a)); an order needing no
    licence needs the party's UVL statement before it ships (744.15(b))."""
    uvl = findings.on("uvl")
    p = rules.provision(RESTRICTED_PARTIES)
    if not uvl or p is None:
        return None
    first = uvl[0]
    values = _values(first, item)
    if base.verdict is Verdict.authorized:
        return Decision(
            Verdict.license_required,
            None,
            None,
            [
                Notice(
                    "us.list.uvl_no_exceptions",
                    {**values, "authorization": base.authorization or ""},
                    first.hit.citation,
                )
            ],
        )
    if base.verdict is Verdict.no_license_required:
        return Decision(
            Verdict.no_license_required,
            None,
            None,
            [Notice("us.list.uvl", values, first.hit.citation)],
            [Notice("us.list.uvl_statement", values, str(p.get("uvl_statement_citation")))],
        )
    return None
