"""What every US rule step needs to know about a transaction, computed once.

Reach (is an item subject to the EAR at all), where the destination sits in the country
groups, and which parties are headquartered in D:5 or Macau.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from dualuse.contract import Item, Party, Transaction
from dualuse.explain.notice import Notice
from dualuse.geo.groups import CountryGroups, load_country_groups
from dualuse.items import ItemFacts
from dualuse.rulebooks import ResolvedRules

FDP_CITATION = "15 CFR 734.9(h) (advanced-computing foreign direct product rule)"


@dataclass
class UsContext:
    tx: Transaction
    rules: ResolvedRules
    groups: CountryGroups
    destination: str  # as the group lists read it (Hong Kong reads as China)
    hq_parties: list[tuple[str, Party, str]] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

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

    def destination_in_d5_or_macau(self) -> bool:
        """D:5 or Macau, as the headquarters provision lists them (the Oct 2023 rule)."""
        hq_rule = self.rules.provision("headquarters_rule")
        if hq_rule is None:
            return False
        return self.destination_in(hq_rule.get("countries"), hq_rule.get("country_groups"))


def build_context(tx: Transaction, rules: ResolvedRules) -> UsContext:
    groups = load_country_groups()
    ctx = UsContext(tx, rules, groups, groups.listed_as(tx.destination, tx.date))
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


@lru_cache(maxsize=4096)
def _reach_notice(code: str, label: str, citation: str) -> Notice:
    # The same item's reach repeats on every order: one notice, so its rendering key and
    # rendered words are worked out once (notices are immutable).
    return Notice(code, {"item": label}, citation)


def reach(
    tx: Transaction, item: Item, facts: ItemFacts, gp10_items: list[str]
) -> tuple[bool, Notice]:
    """Whether US rules reach this item, and why (stated, never assumed silently)."""
    label = facts.label
    if tx.ship_from == "US":
        return True, _reach_notice("us.reach.export_from_us", label, "15 CFR 734.3(a)(1)")
    if item.origin == "US":
        return True, _reach_notice("us.reach.us_origin", label, "15 CFR 734.3(a)(2)")
    if facts.catalog_id is not None and facts.catalog_id in gp10_items:
        return True, _reach_notice("us.reach.gp10", label, "15 CFR 736.2(b)(10)")
    design = facts.design_country
    if design == "US" and item.origin is None:
        return True, _reach_notice("us.reach.fdp", label, FDP_CITATION)
    if design is None and item.origin is None:
        return False, _reach_notice("us.reach.unknown_origin", label, "15 CFR 734.3")
    return False, Notice(
        "us.reach.not_subject",
        {"item": label, "origin": item.origin or design, "ship_from": tx.ship_from},
        "15 CFR 734.3",
    )
