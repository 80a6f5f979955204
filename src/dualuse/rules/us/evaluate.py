"""The US jurisdiction: reach -> classify -> destination and parties -> licence -> quotas.

Each step adds reasons; nothing reaches back. The result is jurisdiction-neutral data that
:mod:`dualuse.engine` renders into the contract's determination.
"""

from __future__ import annotations

from dualuse.contract import Activity, Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts, HbmFacts, WeightsFacts, facts_for
from dualuse.ledger import Ledger
from dualuse.rulebooks import ResolvedRules, resolve
from dualuse.rules.outcome import (
    UNCLASSIFIED,
    Decision,
    ItemContext,
    JurisdictionOutcome,
    stacked,
)
from dualuse.rules.us import (
    cloud,
    diffusion,
    embargoes,
    fabs,
    licensing,
    military,
    parties,
    weights,
)
from dualuse.rules.us.classification import classify
from dualuse.rules.us.context import UsContext, build_context
from dualuse.rules.us.reach import reach


def may_reach(tx: Transaction) -> bool:
    """Always evaluated: US reach (origin, foreign-direct-product rules) is decided per item."""
    return True


def screens_parties(tx: Transaction, rules: ResolvedRules) -> bool:
    """Remote access that is not an export is decided by the cloud rules, without the
    party lists (which reach exports, reexports and transfers)."""
    return not (tx.activity is Activity.remote_access and not _remote_access_is_export(rules))


def evaluate(tx: Transaction, ledger: Ledger) -> JurisdictionOutcome:
    rules = resolve("us", tx.date, tx.mode, tx.scenario)
    if not screens_parties(tx, rules):
        return cloud.evaluate_remote_access(tx, rules)
    ctx = build_context(tx, rules, ledger.screening_reviews)
    gp10 = rules.provision("gp10_prc_ics")
    gp10_items: list[str] = gp10.get("items") if gp10 is not None else []

    items: list[ItemContext] = []
    warnings: list[Notice] = []
    for item in tx.items:
        facts = facts_for(item)
        cls = classify(facts, rules)
        reached = reach(ctx, item, facts, cls, gp10_items)
        items.append(ItemContext(item, facts, cls, reached.subject, reached.reason))
        warnings.extend(cls.warnings)
        warnings.extend(reached.warnings)

    reasons = [i.reach for i in items]
    screening = ctx.parties.screening
    if not any(i.subject for i in items):
        warnings.extend(ctx.warnings)
        return JurisdictionOutcome(
            "us",
            False,
            rules,
            items,
            [None] * len(items),
            reasons,
            warnings=warnings,
            screening=screening,
        )

    end_use = licensing.end_use_overlay(ctx)
    decisions: list[Decision | None] = []
    candidates: list[int] = []
    prefaces: dict[int, list[Notice]] = {}
    draft = rules.provision("draft_shipment_tiers") is not None
    for index, entry in enumerate(items):
        if not entry.subject:
            decisions.append(None)
            continue
        decision = _item_decision(ctx, entry, draft)
        if decision is None:
            # Outside the ECCNs dualuse carries; only the end-use rules can still bite.
            decisions.append(_end_use_only(ctx, entry, end_use))
            continue
        if decision.authorization == "VEU":
            # The VEU authorizes the 744.23 end use too, but no embargo or military end use.
            final = stacked(decision, *_reach_through(ctx, entry))
            decisions.append(_listed(ctx, entry, decision, final))
            continue
        if decision.authorization == diffusion.CANDIDATE and _blocked_by_listing(ctx, entry):
            # A listed party takes License Exceptions and quotas away: nothing is drawn.
            base = Decision(Verdict.license_required, None, None, decision.reasons)
            decisions.append(_with_overlays(ctx, entry, base, end_use))
            continue
        if decision.authorization == diffusion.CANDIDATE:
            # Decided with the whole order (LPP counts the consignee's total; the draft
            # framework sizes the shipment); the item's own reasons preface that decision.
            candidates.append(index)
            prefaces[index] = decision.reasons
            decisions.append(None)
            continue
        decisions.append(_with_overlays(ctx, entry, decision, end_use))

    outcome = JurisdictionOutcome(
        "us", True, rules, items, decisions, reasons, warnings=warnings, screening=screening
    )
    if candidates:
        group = [items[i] for i in candidates]
        if draft:
            shared = diffusion.draft_decision(ctx, group)
        else:
            order = diffusion.order_decision(ctx, group, ledger)
            shared = order.decision
            outcome.quota, outcome.draws = order.quota, order.draws
        for i in candidates:
            decision = Decision(
                shared.verdict,
                shared.authorization,
                shared.review,
                prefaces[i] + shared.reasons,
                list(shared.obligations),
            )
            outcome.decisions[i] = _with_overlays(ctx, items[i], decision, end_use)
    outcome.warnings.extend(ctx.warnings)
    return outcome


def _remote_access_is_export(rules: ResolvedRules) -> bool:
    p = rules.provision("remote_access_as_export")
    return p is not None and Activity.remote_access.value in p.get("activities")


def _blocked_by_listing(ctx: UsContext, item: ItemContext) -> bool:
    overlay = parties.list_overlay(ctx.rules, ctx.parties, item, [])
    return overlay is not None and overlay.verdict.severity >= Verdict.license_required.severity


def _reach_through(ctx: UsContext, item: ItemContext) -> tuple[Decision | None, ...]:
    """Requirements that reach every item subject to the EAR, whatever its ECCN: part 746
    embargoes, the military (intelligence) end-use and end-user rules, and the
    restricted-party lists."""
    return (
        embargoes.embargo_overlay(ctx, item),
        military.military_overlay(ctx, item),
        parties.list_overlay(ctx.rules, ctx.parties, item, ctx.warnings),
    )


def _listed(
    ctx: UsContext, item: ItemContext, base: Decision | None, final: Decision | None
) -> Decision | None:
    """The UVL's effect on the item's own answer, and the notice that a listing took away
    the License Exception the order would otherwise have used."""
    if base is None or final is None:
        return final
    uvl = parties.uvl_overlay(ctx.rules, ctx.parties, base, item)
    if uvl is not None:
        final = final.stricter(uvl)
    if (
        base.verdict is Verdict.authorized
        and final.verdict.severity > base.verdict.severity
        and ctx.parties.listed
    ):
        final.reasons.append(parties.no_exception_notice(ctx.rules, item, base.authorization or ""))
    return final


def _end_use_only(ctx: UsContext, item: ItemContext, end_use: Decision | None) -> Decision | None:
    decision = stacked(
        end_use, cloud.training_policy_overlay(ctx, item), *_reach_through(ctx, item)
    )
    if decision is None:
        # EAR99 or outside the model: a UVL party still needs its statement.
        base = Decision(Verdict.no_license_required)
        decision = parties.uvl_overlay(ctx.rules, ctx.parties, base, item)
    if decision is None:
        ctx.warnings.append(Notice("us.outside_model", {"item": item.facts.label}, None))
    return decision


def _with_overlays(
    ctx: UsContext, item: ItemContext, decision: Decision, end_use: Decision | None
) -> Decision:
    """Requirements that stack on any item: H20-class letter, GP10, 744.23, AI training,
    embargoes, military end uses and the restricted-party lists."""
    final = stacked(
        decision,
        licensing.h20_overlay(ctx, item),
        licensing.gp10_overlay(ctx, item),
        end_use,
        cloud.training_policy_overlay(ctx, item),
        *_reach_through(ctx, item),
    )
    return _listed(ctx, item, decision, final) or final


def _item_decision(ctx: UsContext, item: ItemContext, draft: bool) -> Decision | None:
    if isinstance(item.facts, WeightsFacts):
        return weights.weights_decision(ctx, item)
    if isinstance(item.facts, EquipmentFacts):
        return fabs.fab_decision(ctx, item)
    if item.cls.control_code == UNCLASSIFIED:
        return None
    if not licensing.is_controlled(item.cls):
        return licensing.not_controlled(item)
    if draft and _in_draft_scope(ctx, item):
        if ctx.hq_parties or ctx.destination_in_d5_or_macau():
            return licensing.h200_overlay(ctx, item, licensing.classic(ctx, item))
        return Decision(Verdict.license_required, diffusion.CANDIDATE)
    if diffusion.framework_active(ctx) and diffusion.applies_to(ctx, item):
        return diffusion.item_decision(ctx, item)
    if item.cls.control_code == "3A090.c" and isinstance(item.facts, HbmFacts):
        hbm = _hbm_exception(ctx, item)
        if hbm is not None:
            return hbm
    return licensing.h200_overlay(ctx, item, licensing.classic(ctx, item))


def _in_draft_scope(ctx: UsContext, item: ItemContext) -> bool:
    p = ctx.rules.provision("draft_shipment_tiers")
    return p is not None and item.cls.control_code in p.get("control_codes")


def _hbm_exception(ctx: UsContext, item: ItemContext) -> Decision | None:
    """License Exception HBM (740.25) for 3A090.c stacks below its density ceiling."""
    p = ctx.rules.provision("license_exception_hbm")
    facts = item.facts
    assert isinstance(facts, HbmFacts)
    key = licensing.scope_key(item)
    in_scope, why = licensing.destination_scope(ctx, key)
    if not in_scope and not licensing.hq_parties_reached(ctx, key):
        return Decision(Verdict.no_license_required, reasons=[why] if why else [])
    if p is not None and facts.density < p.get("density_below"):
        return Decision(
            Verdict.authorized,
            "HBM",
            None,
            [
                Notice(
                    "us.hbm.exception",
                    {"density": facts.density, "below": p.get("density_below")},
                    p.citation,
                )
            ],
        )
    return None
