"""EAR part 746: embargoed and sanctioned destinations.

Each embargo is a provision with the algorithm ``embargo``: the destinations (and, for
Ukraine, the covered regions) it names, which items it reaches (every item subject to the
EAR, or the CCL plus the EAR99 items its supplements list by tariff heading), its review
policy, the authorities a licence must come from (OFAC beside BIS where a Treasury
programme also applies) and the license exceptions that survive. It stacks on every item
US rules reach, so that no embargoed destination gets "no licence required" for one.
"""

from __future__ import annotations

from typing import Any

from dualuse.contract import ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import (
    EquipmentFacts,
    HbmFacts,
    IcFacts,
    MaterialFacts,
    MemoryFacts,
    SystemFacts,
    WeightsFacts,
)
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.outcome import Decision, ItemContext
from dualuse.rules.us.context import UsContext

EMBARGO = "embargo"
ALL_ITEMS = "all_subject"
CCL_AND_LISTED = "ccl_and_listed"


def embargoes(ctx: UsContext) -> list[ActiveProvision]:
    return ctx.rules.with_algorithm(EMBARGO)


def _covers_destination(ctx: UsContext, p: ActiveProvision) -> bool:
    if not ctx.destination_in(p.get("countries")):
        return False
    regions: list[str] = p.get("regions", [])
    return not regions or (ctx.tx.destination_region or "").casefold() in regions


def embargo_overlay(ctx: UsContext, item: ItemContext) -> Decision | None:
    """The licence requirement of every embargo naming the destination, strictest first."""
    decision: Decision | None = None
    for p in embargoes(ctx):
        if not _covers_destination(ctx, p):
            continue
        found = _requirement(ctx, p, item)
        if found is not None:
            decision = found if decision is None else decision.stricter(found)
    return decision


def _requirement(ctx: UsContext, p: ActiveProvision, item: ItemContext) -> Decision | None:
    scope = p.get("items")
    label = item.facts.label
    reasons: list[Notice] = []
    if scope == CCL_AND_LISTED:
        kinds: list[str] = p.get("listed_item_kinds", [])
        kind = _kind(item)
        if item.cls.controlled:
            reasons.append(Notice("us.embargo.ccl_item", {"item": label}, p.citation))
        elif kind in kinds:
            reasons.append(
                Notice(
                    "us.embargo.listed_heading",
                    {"item": label, "headings": p.get("listed_headings", {}).get(kind, [])},
                    p.get("listed_citation", p.citation),
                )
            )
        else:
            ctx.warnings.append(
                Notice("us.embargo.classification_unknown", {"item": label}, p.citation)
            )
    values: dict[str, Any] = {
        "item": label,
        "destination": ctx.tx.destination,
        "region": f" ({ctx.tx.destination_region})" if ctx.tx.destination_region else "",
        "embargo": p.provision.title,
    }
    reasons.insert(0, Notice("us.embargo.required", values, p.citation))
    review = p.get("review_policy")
    if p.has("review_note"):
        reasons.append(Notice("us.embargo.review", {"note": p.get("review_note")}, p.citation))
    ofac = p.get("ofac_programme")
    if ofac:
        reasons.append(Notice("us.embargo.ofac", {"programme": ofac["name"]}, ofac["citation"]))
    for exception in p.get("exceptions", []):
        reasons.append(
            Notice("us.embargo.exception", {"what": exception["what"]}, exception["citation"])
        )
    ctx.warnings.extend(p.uncertainty(*p.provision.parameters))
    return Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(review) if review else None,
        reasons,
        authorities=tuple(p.get("authorities", [])),
    )


_KINDS: dict[type, str] = {
    IcFacts: "ic",
    SystemFacts: "system",
    HbmFacts: "hbm",
    MemoryFacts: "memory",
    MaterialFacts: "material",
    EquipmentFacts: "equipment",
    WeightsFacts: "model_weights",
}
"""An item's kind in the contract's words (``specs.kind``), whether inline or catalogued."""


def _kind(item: ItemContext) -> str:
    return _KINDS[type(item.facts)]
