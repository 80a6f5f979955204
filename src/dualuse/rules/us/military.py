"""Military and military-intelligence end uses and end users (15 CFR 744.21, 744.22, 744.6).

Provisions with the algorithm ``military_end_use`` name the countries they cover (each
with the date it was added), the end uses and party types that trigger them, and which
items they reach: every item subject to the EAR (744.22; 744.21 for the countries where
the texts say so) or the items of Supp. No. 2 to part 744. dualuse does not classify
most of the ECCNs in that supplement, so where the answer turns on one it says so as a
warning and answers licence required — never "no licence required".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.contract import ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.outcome import Decision, ItemContext
from dualuse.rules.us.context import UsContext

MILITARY_END_USE = "military_end_use"


def provisions(ctx: UsContext) -> list[ActiveProvision]:
    return ctx.rules.with_algorithm(MILITARY_END_USE)


def _covered(p: ActiveProvision, country: str, day: dt.date) -> tuple[dt.date, bool] | None:
    """Since when the country is covered, and whether every item subject to the EAR is."""
    for row in p.get("countries"):
        since: dt.date = row["from"]
        if row["country"] == country and since <= day:
            every: dt.date | None = row.get("all_items_from")
            return since, every is not None and every <= day
    return None


def _triggers(ctx: UsContext, p: ActiveProvision) -> list[str]:
    """What makes this a military (intelligence) end use or user: the end use, a party."""
    found = []
    if ctx.tx.end_use in p.get("end_uses"):
        found.append(f"end use {ctx.tx.end_use}")
    types: list[str] = p.get("party_types")
    for role, party in ctx.tx.parties.named():
        if role != "exporter" and party.type in types:
            found.append(f"{role} {party.name} ({party.type})")
    return found


def military_overlay(ctx: UsContext, item: ItemContext) -> Decision | None:
    decision: Decision | None = None
    for p in provisions(ctx):
        found = _requirement(ctx, p, item)
        if found is not None:
            decision = found if decision is None else decision.stricter(found)
    return decision


def _requirement(ctx: UsContext, p: ActiveProvision, item: ItemContext) -> Decision | None:
    triggers = _triggers(ctx, p)
    if not triggers:
        return None
    country = ctx.listed(ctx.tx.destination)
    covered = _covered(p, country, ctx.tx.date) or _covered(p, ctx.tx.destination, ctx.tx.date)
    if covered is None:
        return None
    since, all_items = covered
    label = item.facts.label
    values: dict[str, Any] = {
        "item": label,
        "destination": ctx.tx.destination,
        "since": since,
        "triggers": triggers,
        "rule": p.provision.title,
    }
    reasons = [Notice("us.military.required", values, p.citation)]
    if not all_items:
        ctx.warnings.append(
            Notice(
                "us.military.supp2_unknown",
                {"item": label, "code": item.cls.control_code},
                p.get("items_citation", p.citation),
            )
        )
    obligations = []
    us_person = ctx.tx.parties.exporter is not None and ctx.tx.parties.exporter.country == "US"
    support = p.get("us_person_support")
    if support and us_person:
        obligations.append(Notice("us.military.us_person", {}, support))
    ctx.warnings.extend(p.uncertainty(*p.provision.parameters))
    return Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(p.get("review_policy")),
        reasons,
        obligations,
    )
