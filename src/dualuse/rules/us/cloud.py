"""Remote access to compute (IaaS) and the AI-training policy statement.

Remote use of chips through a cloud service is not an export, reexport or transfer, so
in force today it needs no US licence as such; dualuse says so with the pending measures
as warnings. Two things still bite: the May 2025 policy statement (training models for
WMD or military-intelligence end uses in D:5 or Macau needs a licence, whatever the
route) and, under the AI Diffusion rule as codified, red flag 28 (IaaS to train a
4E091-level model for a party headquartered outside Tier 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.contract import Party, Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import facts_for
from dualuse.rulebooks import ResolvedRules
from dualuse.rules.outcome import Decision, ItemContext, JurisdictionOutcome, stacked
from dualuse.rules.us.classification import classify
from dualuse.rules.us.context import UsContext, build_context

CUSTOMER_ROLES = ("end_user", "purchaser", "consignee")


def customer(tx: Transaction) -> Party | None:
    return next((p for r in CUSTOMER_ROLES if (p := getattr(tx.parties, r)) is not None), None)


def evaluate_remote_access(tx: Transaction, rules: ResolvedRules) -> JurisdictionOutcome:
    ctx = build_context(tx, rules)
    p = rules.provision("remote_access")
    client = customer(tx)
    values = {
        "customer": client.name if client else None,
        "destination": tx.destination,
        "ship_from": tx.ship_from,
    }
    why = Notice("us.remote.no_licence", values, p.citation if p else None)
    outcome = JurisdictionOutcome("us", True, rules, [], [], [why])
    for item in tx.items:
        facts = facts_for(item)
        entry = ItemContext(item, facts, classify(facts, rules), True, why)
        outcome.items.append(entry)
        outcome.warnings.extend(entry.cls.warnings)
        decision = Decision(Verdict.no_license_required, reasons=[why])
        outcome.decisions.append(stacked(decision, training_policy_overlay(ctx, entry)))
    if p is not None:
        outcome.warnings.extend(_pending(p.get("pending_measures"), tx.date))
    flag = _red_flag_28(ctx, client)
    if flag:
        outcome.obligations.extend(flag)
        outcome.warnings.extend(flag)
    outcome.warnings.extend(ctx.warnings)
    return outcome


def _pending(measures: list[dict[str, Any]], day: dt.date) -> list[Notice]:
    return [
        Notice(m["code"], {"title": m["title"], "status": m["status"]}, m["citation"])
        for m in measures
        if m["from"] <= day
    ]


def training_policy_overlay(ctx: UsContext, item: ItemContext) -> Decision | None:
    """May 2025 policy statement: training for WMD or military-intelligence ends in D:5/Macau."""
    p = ctx.rules.provision("ai_training_policy")
    if p is None or item.cls.control_code not in p.get("control_codes"):
        return None
    if ctx.tx.activity.value not in p.get("routes"):
        return None
    for role, party in ctx.tx.parties.named():
        purpose = ctx.tx.end_use in p.get("end_uses") or party.type in p.get("party_types")
        if not purpose:
            continue
        for place in (party.country, party.effective_headquarters, party.parent_headquarters):
            if place is None:
                continue
            if place in p.get("countries") or ctx.in_groups(p.get("country_groups"), place):
                values = {
                    "role": role,
                    "party": party.name,
                    "place": place,
                    "end_use": ctx.tx.end_use,
                }
                return Decision(
                    Verdict.license_required,
                    None,
                    None,
                    [Notice("us.policy.ai_training", values, p.citation)],
                )
    return None


def _red_flag_28(ctx: UsContext, client: Party | None) -> list[Notice]:
    rf = ctx.rules.provision("iaas_red_flag_28")
    tiers = ctx.rules.provision("tiers")
    if rf is None or tiers is None or client is None or ctx.tx.end_use != "ai_training":
        return []
    tier1 = tiers.get("tier1")
    outside = [
        hq
        for hq in (client.effective_headquarters, client.parent_headquarters)
        if hq is not None and ctx.listed(hq) not in tier1
    ]
    if not outside:
        return []
    ops = ctx.tx.training_operations
    values = {
        "customer": client.name,
        "hq": outside[0],
        "operations": ops,
        "threshold": rf.get("training_operations_min"),
    }
    if ops is None:
        return [Notice("us.remote.red_flag_28_unknown_size", values, rf.citation)]
    if ops >= rf.get("training_operations_min"):
        return [Notice("us.remote.red_flag_28", values, rf.citation)]
    return []
