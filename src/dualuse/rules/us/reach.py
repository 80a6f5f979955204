"""Whether US rules reach an item: in the US, US-origin, a foreign direct product, de minimis.

Each test is stated as a reason with its citation, and so is the failure of every test
when none reaches. The foreign-direct-product (FDP) rules are provisions with the
algorithm ``foreign_direct_product``: which items they catch (control codes, or any CCL
item), for which destinations and parties, from which date; the item's production facts
(product prong: a direct product of US technology or software; plant prong: made by a
plant that is one) come from the caller or from the vendor's documented default. A
US-designed item whose origin is not given is treated as subject, with a warning: it is
either US-origin or, made abroad, a direct product of US technology.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dualuse.contract import Item
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts, ItemFacts
from dualuse.reach import ProductionFacts, production_facts
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.outcome import ItemClass
from dualuse.rules.us.context import UsContext

FOREIGN_DIRECT_PRODUCT = "foreign_direct_product"


@dataclass(frozen=True, slots=True)
class Reach:
    subject: bool
    reason: Notice
    warnings: tuple[Notice, ...] = ()


def reach(
    ctx: UsContext, item: Item, facts: ItemFacts, cls: ItemClass, gp10_items: list[str]
) -> Reach:
    """Whether US rules reach this item, and why (stated, never assumed silently)."""
    tx, label = ctx.tx, facts.label
    if tx.ship_from == "US":
        return _reached("us.reach.export_from_us", label, "15 CFR 734.3(a)(1)")
    if item.origin == "US":
        return _reached("us.reach.us_origin", label, "15 CFR 734.3(a)(2)")
    if facts.catalog_id is not None and facts.catalog_id in gp10_items:
        return _reached("us.reach.gp10", label, "15 CFR 736.2(b)(10)")

    production = production_facts(item, facts)
    listed = entity_list_fdp(ctx, facts, cls, production)
    if listed is not None:
        return Reach(True, listed, production.defaults)
    rules = fdp_rules(ctx)
    for rule in rules:
        hit = _fdp_hit(ctx, rule, facts, cls, production)
        if hit is not None:
            return Reach(True, hit, production.defaults + _eccn_doubt(ctx, rule, facts, cls))
    minimis = de_minimis(ctx, label, cls, production)
    if minimis is not None and minimis[0]:
        return Reach(True, minimis[1], production.defaults)

    if item.origin is None and facts.design_country == "US":
        return Reach(
            True,
            Notice("us.reach.fdp", {"item": label}, "15 CFR 734.3(a); 15 CFR 734.9"),
            (Notice("us.reach.origin_assumed", {"item": label}, "15 CFR 734.3"),),
        )
    if item.origin is None and facts.design_country is None:
        return Reach(
            False,
            Notice("us.reach.unknown_origin", {"item": label}, "15 CFR 734.3"),
            (Notice("us.reach.origin_unknown", {"item": label}, "15 CFR 734.3"),),
        )
    values = {
        "item": label,
        "origin": item.origin or facts.design_country,
        "ship_from": tx.ship_from,
        "fdp": _fdp_failure(rules, facts, cls, production),
    }
    warnings = production.defaults
    if minimis is None:
        warnings += (Notice("us.reach.de_minimis_unknown", {"item": label}, "15 CFR 734.4"),)
    else:
        warnings += (minimis[1],)
    return Reach(False, Notice("us.reach.not_subject", values, "15 CFR 734.3(a)"), warnings)


@lru_cache(maxsize=4096)
def _reached(code: str, label: str, citation: str) -> Reach:
    # Most orders leave the US, and the same item's reach repeats on every one of them: one
    # notice, so its rendering key and rendered words are worked out once (notices are
    # immutable).
    return Reach(True, Notice(code, {"item": label}, citation))


def fdp_rules(ctx: UsContext) -> list[ActiveProvision]:
    return ctx.rules.with_algorithm(FOREIGN_DIRECT_PRODUCT)


def _catches(rule: ActiveProvision, facts: ItemFacts, cls: ItemClass) -> bool:
    """The rule names this kind of item: its control code, any CCL entry, or its kind."""
    kinds: list[str] = rule.get("item_kinds", [])
    if kinds and isinstance(facts, EquipmentFacts) and "equipment" in kinds:
        return True
    if rule.get("any_ccl_item", False):
        return True  # dualuse classifies only the 3A090 family; a doubt is warned
    codes: list[str] = rule.get("control_codes", [])
    return cls.controlled and cls.control_code.startswith(tuple(codes))


def _eccn_doubt(
    ctx: UsContext, rule: ActiveProvision, facts: ItemFacts, cls: ItemClass
) -> tuple[Notice, ...]:
    """A rule reaching every CCL item: dualuse classifies only the 3A090 family."""
    if rule.get("any_ccl_item", False) and not cls.controlled:
        return (Notice("us.reach.ccl_unknown", {"item": facts.label}, rule.citation),)
    return ()


def _in_scope(ctx: UsContext, rule: ActiveProvision) -> bool:
    if ctx.tx.ship_from in rule.get("exempt_ship_from", []):
        return False
    if rule.get("worldwide", False):
        ctx.warnings.extend(rule.uncertainty("worldwide"))
        return True
    named, in_groups, excluded = ctx.destination_groups(rule)
    if named or (in_groups and not excluded):
        return True
    return bool(rule.get("headquartered", False) and ctx.hq_parties)


def _fdp_hit(
    ctx: UsContext,
    rule: ActiveProvision,
    facts: ItemFacts,
    cls: ItemClass,
    production: ProductionFacts,
) -> Notice | None:
    if not production.direct_product or not _catches(rule, facts, cls):
        return None
    if not _in_scope(ctx, rule):
        return None
    ctx.warnings.extend(rule.uncertainty("exempt_ship_from"))
    return Notice(
        "us.reach.fdp_rule",
        {
            "item": facts.label,
            "rule": rule.provision.title,
            "prongs": production.prongs,
            "destination": ctx.tx.destination,
            "code": cls.control_code,
        },
        rule.citation,
    )


ENTITY_LIST_FDP = "fdp_entity_list"


def entity_list_fdp(
    ctx: UsContext, facts: ItemFacts, cls: ItemClass, production: ProductionFacts
) -> Notice | None:
    """734.9(e) and (g): a foreign-made direct product of US technology (or of a plant
    that is one) is subject to the EAR when an Entity List party with footnote 1, 4 or 5
    (734.9(e)) or footnote 3 (734.9(g), Russian and Belarusian military end users and
    their procurement networks) is a party to the transaction (or the item is for it)."""
    p = ctx.rules.provision(ENTITY_LIST_FDP)
    footnoted = ctx.parties.footnotes()
    if p is None or not footnoted or not production.direct_product:
        return None
    for row in p.get("footnotes"):
        listed = footnoted.get(row["footnote"])
        if listed is None or ctx.tx.date < row["from"]:
            continue
        if row.get("items") == "equipment" and not isinstance(facts, EquipmentFacts):
            continue
        ctx.warnings.extend(p.uncertainty("footnotes"))
        values = {
            "item": facts.label,
            "party": listed.party,
            "footnote": row["footnote"],
            "paragraph": row["paragraph"],
        }
        cite = f"15 CFR {row['paragraph']}; {listed.hit.citation}"
        return Notice("us.reach.entity_list_fdp", values, cite)
    return None


def _fdp_failure(
    rules: list[ActiveProvision],
    facts: ItemFacts,
    cls: ItemClass,
    production: ProductionFacts,
) -> str:
    """Why no FDP rule reached the item, in the terms of the rules in force on the date."""
    if not rules:
        return "fdp_none_in_force"
    if not production.direct_product:
        if production.us_technology is None and production.us_tools is None:
            return "fdp_facts_missing"
        return "fdp_not_direct_product"
    if not any(_catches(r, facts, cls) for r in rules):
        return "fdp_items_outside"
    return "fdp_scope_outside"


def de_minimis(
    ctx: UsContext, label: str, cls: ItemClass, production: ProductionFacts
) -> tuple[bool, Notice] | None:
    """734.4: a foreign-made item with more controlled US content than the threshold.

    None when the content share is not given (the test cannot be made; a warning says so).
    """
    p = ctx.rules.provision("de_minimis")
    share = production.us_content_percent
    if p is None or share is None:
        return None
    threshold: float = p.get("percent")
    basis = "general"
    for special in p.get("special", []):
        if _special_applies(ctx, special, cls):
            threshold, basis = special["percent"], special["basis"]
            break
    else:
        if ctx.in_groups(p.get("lower_for_country_groups", [])):
            threshold, basis = p.get("lower_percent"), "country_group"
    subject = share > threshold
    code = "us.reach.de_minimis" if subject else "us.reach.de_minimis_not_met"
    values = {"item": label, "share": float(share), "threshold": float(threshold)}
    return subject, Notice(code, {**values, "basis": "de_minimis_" + basis}, p.citation)


def _special_applies(ctx: UsContext, special: dict[str, object], cls: ItemClass) -> bool:
    codes = special.get("control_codes", [])
    assert isinstance(codes, list)
    if not (cls.controlled and cls.control_code.startswith(tuple(codes))):
        return False
    countries = special.get("countries", [])
    groups = special.get("country_groups", [])
    assert isinstance(countries, list) and isinstance(groups, list)
    return ctx.destination_in(countries, groups)
