"""US licence requirements for one item: the Oct 2022 and Oct 2023 rules and the overlays.

Each function reads one provision and returns a :class:`Decision` with its reasons. The
AI Diffusion framework and scenarios live in :mod:`dualuse.rules.us.diffusion`.
"""

from __future__ import annotations

from dualuse.contract import ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import HbmFacts, IcFacts, SystemFacts
from dualuse.items import catalog_facts as _catalog_facts
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.outcome import (
    INDETERMINATE,
    NOT_CONTROLLED,
    Decision,
    ItemClass,
    ItemContext,
)
from dualuse.rules.us.context import UsContext


def ics_of(item: ItemContext) -> list[IcFacts]:
    facts = item.facts
    if isinstance(facts, IcFacts):
        return [facts]
    if isinstance(facts, SystemFacts):
        return [ic for ic, _ in facts.components]
    return []


# ------------------------------------------------------------------- classic 2022 / 2023


def scope_key(item: ItemContext) -> str:
    """3A090.c has its own destination scope (742.6(a)(6)(i)(B)); other items share one."""
    return "hbm_destinations" if item.cls.control_code == "3A090.c" else "destinations"


def hq_parties_reached(ctx: UsContext, key: str) -> bool:
    """Whether headquartered parties bring the item in wherever it goes, under ``key``."""
    p = ctx.rules.provision(key)
    if key == "destinations" or p is None:
        return bool(ctx.hq_parties)
    if ctx.hq_parties and p.get("headquartered", False):
        ctx.warnings.extend(p.uncertainty("headquartered"))
        return True
    return False


def destination_scope(ctx: UsContext, key: str = "destinations") -> tuple[bool, Notice | None]:
    """Is the destination within the licence requirement of the provision ``key``?"""
    p = ctx.rules.provision(key)
    if p is None and key != "destinations":
        p = ctx.rules.provision("destinations")
    if p is None:
        return False, None
    ctx.warnings.extend(p.uncertainty("country_groups"))
    named, in_groups, excluded = ctx.destination_groups(p)
    values = {
        "destination": ctx.tx.destination,
        "groups": in_groups,
        "excluded": excluded,
        "countries": p.get("countries", []),
    }
    if named or (in_groups and not excluded):
        return True, Notice("us.dest.in_scope", values, p.citation)
    if in_groups and excluded:
        return False, Notice("us.dest.excluded_group", values, p.citation)
    return False, Notice("us.dest.outside_scope", values, p.citation)


def nac_eligible(item: ItemContext) -> bool:
    """NAC/ACA: 3A090/4A090 items except datacenter items meeting 3A090.a (740.8)."""
    code = item.cls.control_code
    if code in ("3A090.b", "4A090.b"):
        return True
    if code == "3A090.a":
        return isinstance(item.facts, IcFacts) and not item.facts.datacenter
    if code == "4A090.a":
        return all(not ic.datacenter for ic in ics_of(item))
    return False


def review_2023(ctx: UsContext, p: ActiveProvision) -> tuple[ReviewPolicy, Notice]:
    """742.6(b)(10) as CSET summarises it (us-rules.md 4.4)."""
    if ctx.destination_in_d5_or_macau():
        key = "d5_or_macau"
    elif ctx.hq_parties:
        located = {party.country for _, party, _ in ctx.hq_parties if party.country}
        in_d1_d4 = any(ctx.in_groups(["D:1", "D:4"], c) for c in located)
        key = "headquartered_in_d1_d4" if in_d1_d4 else "headquartered_elsewhere"
    else:
        key = "d1_d4_not_headquartered"
    review = ReviewPolicy(p.get(key))
    return review, Notice(
        "us.review." + key, {"review": review.value, "destination": ctx.tx.destination}, p.citation
    )


def classic(ctx: UsContext, item: ItemContext) -> Decision:
    """The destination and headquarters licence requirement for a controlled item."""
    label = item.cls.control_code
    key = scope_key(item)
    in_scope, scope_reason = destination_scope(ctx, key)
    reasons = [scope_reason] if scope_reason else []
    hq_reached = hq_parties_reached(ctx, key)
    hq_rule = ctx.rules.provision("headquarters_rule")
    for role, party, hq in ctx.hq_parties if hq_reached else []:
        assert hq_rule is not None
        reasons.append(
            Notice("us.hq.party", {"role": role, "party": party.name, "hq": hq}, hq_rule.citation)
        )
    if not in_scope and not hq_reached:
        return Decision(
            Verdict.no_license_required,
            reasons=reasons
            or [
                Notice(
                    "us.dest.outside_scope",
                    {
                        "destination": ctx.tx.destination,
                        "groups": [],
                        "excluded": [],
                        "countries": [],
                    },
                    None,
                )
            ],
        )

    nac = ctx.rules.provision("license_exception_nac")
    if nac is not None and nac_eligible(item):
        notify = nac.get("notification_destinations")
        must_notify = (
            bool(ctx.in_groups(notify["country_groups"]))
            or ctx.destination_in(notify["countries"])
            or (notify.get("headquartered") and bool(ctx.hq_parties))
        )
        aca = ctx.rules.provision("license_exception_aca")
        if must_notify:
            days = nac.get("notification_days")
            return Decision(
                Verdict.authorized,
                "NAC",
                None,
                [*reasons, Notice("us.nac.eligible", {"code": label}, nac.citation)],
                [Notice("us.nac.notify", {"days": days}, nac.citation)],
            )
        if aca is not None:
            return Decision(
                Verdict.authorized,
                "ACA",
                None,
                [*reasons, Notice("us.aca.eligible", {"code": label}, aca.citation)],
            )
        return Decision(
            Verdict.authorized,
            "NAC",
            None,
            [*reasons, Notice("us.nac.no_notice", {"code": label}, nac.citation)],
        )

    policy = ctx.rules.provision("review_policy")
    review: ReviewPolicy | None = None
    if policy is not None:
        if policy.has("default"):
            review = ReviewPolicy(policy.get("default"))
            reasons.append(Notice("us.review.default", {"review": review.value}, policy.citation))
            ctx.warnings.extend(policy.uncertainty("default"))
        else:
            review, why = review_2023(ctx, policy)
            reasons.append(why)
        ctx.warnings.extend(policy.act_uncertainty())
    dest = ctx.rules.provision("destinations")
    if dest is not None and dest.get("licence_exceptions_available") == []:
        reasons.append(Notice("us.lic.no_exceptions", {}, "15 CFR 740.2(a)(9)"))
    reasons.append(Notice("us.lic.required", {"code": label}, dest.citation if dest else None))
    return Decision(Verdict.license_required, None, review, reasons)


# ------------------------------------------------------------------------------ overlays


def h200_overlay(ctx: UsContext, item: ItemContext, decision: Decision) -> Decision:
    """91 FR 1684: case-by-case for H200-class exports from the US to China or Macau."""
    p = ctx.rules.provision("h200_review")
    if p is None or decision.verdict is not Verdict.license_required:
        return decision
    if not ctx.destination_in(p.get("countries")):
        return decision
    ics = ics_of(item)
    tpp_ok = bool(ics) and all(
        ic.tpp is not None and ic.tpp.value < p.get("tpp_below") for ic in ics
    )
    bw_ok = bool(ics) and all(
        ic.memory_bandwidth_gbs is not None
        and ic.memory_bandwidth_gbs < p.get("dram_bandwidth_below_gbs")
        for ic in ics
    )
    from_us = ctx.tx.ship_from in p.get("ship_from") and ctx.tx.activity.value in p.get(
        "activities"
    )
    values = {
        "tpp_below": p.get("tpp_below"),
        "bw_below": p.get("dram_bandwidth_below_gbs"),
        "ship_from": ctx.tx.ship_from,
        "activity": ctx.tx.activity.value,
    }
    if tpp_ok and bw_ok and from_us:
        obligations = [
            Notice("us.h200.certify", {"what": c}, p.citation) for c in p.get("certifications")
        ]
        obligations.append(
            Notice("us.h200.volume_cap", {"share": p.get("china_share_max")}, p.citation)
        )
        return Decision(
            Verdict.license_required,
            None,
            ReviewPolicy(p.get("review_policy")),
            [*decision.reasons, Notice("us.h200.case_by_case", values, p.citation)],
            decision.obligations + obligations,
        )
    why = "us.h200.not_from_us" if not from_us else "us.h200.too_large"
    return Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(p.get("otherwise")),
        [*decision.reasons, Notice(why, values, p.citation)],
        decision.obligations,
    )


def h20_overlay(ctx: UsContext, item: ItemContext) -> Decision | None:
    """Apr 2025 is-informed letter: H20-level memory or interconnect bandwidth."""
    p = ctx.rules.provision("h20_class")
    if p is None or item.cls.control_code.startswith(("3A090", "4A090")):
        return None
    reference = _catalog_facts(p.get("reference_item"))
    assert isinstance(reference, IcFacts)
    hits = []
    for ic in ics_of(item):
        if (
            ic.memory_bandwidth_gbs is not None
            and reference.memory_bandwidth_gbs is not None
            and ic.memory_bandwidth_gbs >= reference.memory_bandwidth_gbs
        ) or (
            ic.interconnect_gbs is not None
            and reference.interconnect_gbs is not None
            and ic.interconnect_gbs >= reference.interconnect_gbs
        ):
            hits.append(ic)
    if not hits:
        return None
    hq = [
        (role, party)
        for role, party in ctx.tx.parties.named()
        for hq in (party.effective_headquarters, party.parent_headquarters)
        if hq
        and (
            ctx.listed(hq) in p.get("headquartered_countries")
            or ctx.in_groups(p.get("headquartered_country_groups"), hq)
        )
    ]
    dest = ctx.destination_in(p.get("countries"), p.get("country_groups"))
    if not dest and not hq:
        return None
    ctx.warnings.extend(p.uncertainty("review_policy"))
    ctx.warnings.extend(p.act_uncertainty())
    values = {
        "item": hits[0].label,
        "reference": reference.label,
        "memory": reference.memory_bandwidth_gbs,
        "interconnect": reference.interconnect_gbs,
    }
    return Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(p.get("review_policy")),
        [Notice("us.h20.required", values, p.citation)],
    )


def end_use_overlay(ctx: UsContext) -> Decision | None:
    """15 CFR 744.23: supercomputer and advanced-IC production end uses."""
    p = ctx.rules.provision("end_use_744_23")
    if p is None or ctx.tx.end_use not in p.get("end_uses"):
        return None
    if not ctx.destination_in(p.get("countries")):
        return None
    ctx.warnings.extend(p.uncertainty("countries"))
    return Decision(
        Verdict.license_required,
        None,
        None,
        [
            Notice(
                "us.744_23.required",
                {"end_use": ctx.tx.end_use, "destination": ctx.tx.destination},
                p.citation,
            )
        ],
    )


def gp10_overlay(ctx: UsContext, item: ItemContext) -> Decision | None:
    """May 2025 guidance: Huawei Ascend ICs and General Prohibition 10."""
    p = ctx.rules.provision("gp10_prc_ics")
    if p is None or item.facts.catalog_id not in p.get("items"):
        return None
    return Decision(
        Verdict.license_required,
        None,
        None,
        [Notice("us.gp10.named", {"item": item.facts.catalog_id}, p.citation)],
    )


def not_controlled(item: ItemContext) -> Decision:
    code = item.cls.control_code
    if code == INDETERMINATE:
        return Decision(
            Verdict.license_required,
            None,
            None,
            [Notice("us.lic.indeterminate", {"item": item.facts.label}, None)],
        )
    if isinstance(item.facts, HbmFacts) or code == NOT_CONTROLLED:
        return Decision(
            Verdict.no_license_required,
            None,
            None,
            [Notice("us.nlr.not_controlled", {"item": item.facts.label}, None)],
        )
    return Decision(Verdict.no_license_required)


def is_controlled(cls: ItemClass) -> bool:
    return cls.control_code.startswith(("3A090", "4A090"))
