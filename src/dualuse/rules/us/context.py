"""What every US rule step needs to know about a transaction, computed once.

Where the destination sits in the country
groups, and which parties are headquartered in D:5 or Macau.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dualuse.contract import Party, Transaction
from dualuse.explain.notice import Notice
from dualuse.geo.groups import CountryGroups, load_country_groups
from dualuse.rulebooks import ActiveProvision, ResolvedRules
from dualuse.rules.us.parties import PartyFindings, ReviewSource, find
from dualuse.screening.review import Review


@dataclass
class UsContext:
    tx: Transaction
    rules: ResolvedRules
    groups: CountryGroups
    destination: str  # as the group lists read it (Hong Kong reads as China)
    hq_parties: list[tuple[str, Party, str]] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    parties: PartyFindings = field(default_factory=PartyFindings)
    """The transaction's parties screened against the restricted-party lists on its date."""

    def in_groups(self, groups: list[str], country: str | None = None) -> list[str]:
        code = country or self.tx.destination
        hits = self.groups.in_any(groups, code, self.tx.date)
        self.warnings.extend(self.groups.notices(hits, code, self.tx.date))
        return hits

    def listed(self, country: str) -> str:
        return self.groups.listed_as(country, self.tx.date)

    def destination_in(self, countries: Sequence[str], groups: Sequence[str] = ()) -> bool:
        """The destination (or what the lists read it as) is named or in one of ``groups``."""
        return (
            self.destination in countries
            or self.tx.destination in countries
            or bool(groups and self.in_groups(list(groups)))
        )

    def destination_groups(self, p: ActiveProvision) -> tuple[bool, list[str], list[str]]:
        """Where the destination sits against a provision's ``countries``, ``country_groups``
        and ``except_country_groups``: named, the groups it is in, the excluding groups."""
        groups: list[str] = p.get("country_groups", [])
        in_groups = self.in_groups(groups) if groups else []
        excluded = self.in_groups(p.get("except_country_groups", [])) if groups else []
        return self.destination_in(p.get("countries", [])), in_groups, excluded

    def destination_in_d5_or_macau(self) -> bool:
        """D:5 or Macau, as the headquarters provision lists them (the Oct 2023 rule)."""
        hq_rule = self.rules.provision("headquarters_rule")
        if hq_rule is None:
            return False
        return self.destination_in(hq_rule.get("countries"), hq_rule.get("country_groups"))


def _no_reviews() -> dict[tuple[str, str], Review]:
    return {}


def build_context(
    tx: Transaction, rules: ResolvedRules, reviews: ReviewSource = _no_reviews
) -> UsContext:
    groups = load_country_groups()
    ctx = UsContext(tx, rules, groups, groups.listed_as(tx.destination, tx.date))
    ctx.parties = find(tx.parties.named(), tx.date, rules, reviews)
    ctx.warnings.extend(ctx.parties.warnings)
    hq_rule = rules.provision("headquarters_rule")
    if hq_rule is not None:
        ctx.hq_parties = headquartered_parties(
            ctx, hq_rule.get("roles"), hq_rule.get("country_groups"), hq_rule.get("countries")
        )
    return ctx


def headquartered_parties(
    ctx: UsContext, roles: list[str], country_groups: list[str], countries: list[str]
) -> list[tuple[str, Party, str]]:
    """Parties in ``roles`` headquartered (or whose ultimate parent is) in the listed places."""
    found = []
    for role, party in ctx.tx.parties.named():
        if role not in roles:
            continue
        for hq in (party.effective_headquarters, party.parent_headquarters):
            if hq is None:
                continue
            if ctx.listed(hq) in countries or hq in countries or ctx.in_groups(country_groups, hq):
                found.append((role, party, hq))
                break
    return found
