"""The AI Diffusion framework as codified (90 FR 4544) and the scenarios built on it.

Item-level: Tier 3 / D:5-headquartered parties -> presumption of denial; Tier 1 with every
party headquartered in Tier 1 -> AIA; a Data Center VEU holder -> UVEU/NVEU; otherwise the
item is an LPP candidate. Order-level: LPP candidates draw on the consignee's calendar-year
account; above it a licence is needed, reviewed against the country allocation (or, under
the bilateral scenario, the agreement cap).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dualuse.catalog import load_catalog
from dualuse.contract import Party, QuotaEffect, ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.geo.tiers import ai_diffusion_tier
from dualuse.items import IcFacts, SystemFacts
from dualuse.ledger import Draw, Ledger, account_key
from dualuse.ledger.identity import Holder, resolve_holder
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.outcome import Decision, ItemContext, QuotaCheck, quota_check
from dualuse.rules.us.context import UsContext
from dualuse.rules.us.licensing import ics_of

CANDIDATE = "(order-level)"
UNIT_REFERENCE = {"h100e": "nvidia/h100-sxm", "gb300e": "nvidia/gb300"}


def to_tpp(provision: ActiveProvision, name: str) -> float:
    """A parameter in TPP, converting H100/GB300-equivalents with the catalog's own TPP."""
    parameter = provision.parameter(name)
    value = float(parameter.value)
    reference = UNIT_REFERENCE.get(parameter.unit or "")
    if reference is None:
        return value
    metrics = load_catalog().ic_metrics(reference)
    assert metrics.tpp is not None
    return value * metrics.tpp.value


def gb300_tpp() -> float:
    metrics = load_catalog().ic_metrics(UNIT_REFERENCE["gb300e"])
    assert metrics.tpp is not None
    return metrics.tpp.value


def order_tpp(item: ItemContext) -> float:
    """TPP of the item's advanced-computing ICs times quantity (how LPP counts a server)."""
    per_unit = sum(
        (ic.tpp.value if ic.tpp else 0.0) * count for ic, count in _ics_with_counts(item)
    )
    return per_unit * item.item.quantity


def _ics_with_counts(item: ItemContext) -> list[tuple[IcFacts, int]]:
    if isinstance(item.facts, SystemFacts):
        return list(item.facts.components)
    return [(ic, 1) for ic in ics_of(item)]


def framework_active(ctx: UsContext) -> bool:
    return ctx.rules.provision("worldwide_licence") is not None


def applies_to(ctx: UsContext, item: ItemContext) -> bool:
    p = ctx.rules.provision("worldwide_licence")
    return p is not None and item.cls.control_code in p.get("control_codes")


def tier1_headquarters(ctx: UsContext, tier1: list[str]) -> list[tuple[str, str]]:
    outside = []
    for role, party in ctx.tx.parties.named():
        for hq in (party.effective_headquarters, party.parent_headquarters):
            if hq and ctx.listed(hq) not in tier1 and hq not in tier1:
                outside.append((role, hq))
    return outside


def item_decision(ctx: UsContext, item: ItemContext) -> Decision:
    """The item-level outcome; ``authorization`` CANDIDATE marks an LPP candidate.

    A candidate's reasons (worldwide requirement, tier) preface the order-level decision.
    """
    wl = ctx.rules.provision("worldwide_licence")
    assert wl is not None
    denial = ReviewPolicy(wl.get("tier3_review"))
    reasons = [Notice("us.aid.worldwide", {"code": item.cls.control_code}, wl.citation)]
    tiers = ctx.rules.provision("tiers")
    agreements = ctx.rules.provision("bilateral_agreements")
    if ctx.hq_parties:
        role, party, hq = ctx.hq_parties[0]
        reasons.append(
            Notice("us.aid.hq_denied", {"role": role, "party": party.name, "hq": hq}, wl.citation)
        )
        return Decision(Verdict.license_required, None, denial, reasons)
    if tiers is not None:
        tier = ai_diffusion_tier(ctx.tx.destination, ctx.tx.date, tiers)
        ctx.warnings.extend(tier.warnings)
        reasons.append(tier.reason)
        if tier.tier == 3:
            return Decision(Verdict.license_required, None, denial, reasons)
        if tier.tier == 1:
            aia = ctx.rules.provision("aia")
            outside = tier1_headquarters(ctx, tiers.get("tier1"))
            if aia is not None and not outside:
                return Decision(
                    Verdict.authorized,
                    "AIA",
                    None,
                    [*reasons, Notice("us.aid.aia", {}, aia.citation)],
                    [Notice("us.aid.aia_certification", {}, aia.citation)],
                )
            if aia is not None:
                role, hq = outside[0]
                reasons.append(
                    Notice("us.aid.aia_hq_outside", {"role": role, "hq": hq}, aia.citation)
                )
    elif agreements is not None:
        excluded = ctx.in_groups(agreements.get("excluded_country_groups")) or (
            ctx.destination_in(agreements.get("excluded_countries"))
        )
        if excluded:
            reasons.append(
                Notice(
                    "us.scenario.excluded", {"destination": ctx.tx.destination}, agreements.citation
                )
            )
            return Decision(Verdict.license_required, None, denial, reasons)
    veu = ctx.rules.provision("data_center_veu")
    for role in ("consignee", "end_user"):
        party = getattr(ctx.tx.parties, role)
        if veu is not None and party is not None and party.veu:
            return _veu_decision(ctx, item, veu, role, party, reasons)
    return Decision(Verdict.license_required, CANDIDATE, None, reasons)


def _veu_decision(
    ctx: UsContext,
    item: ItemContext,
    veu: ActiveProvision,
    role: str,
    party: Party,
    reasons: list[Notice],
) -> Decision:
    """A Data Center VEU holder ships under its VEU, within the limits this rule sets.

    For a UVEU the rule caps any one Tier 2 country at a share of the holder's total compute
    (748.15); the holder's figures are party attributes. NVEU allocations were not retrieved.
    """
    values: dict[str, object] = {"role": role, "party": party.name, "veu": party.veu}
    if party.veu == "NVEU":
        ctx.warnings.extend(veu.uncertainty("nveu_allocation"))
        return Decision(
            Verdict.authorized, "NVEU", None, [*reasons, Notice("us.aid.veu", values, veu.citation)]
        )
    if party.veu_total_tpp is None or party.veu_country_tpp is None:
        ctx.warnings.append(Notice("us.aid.uveu_limits_unchecked", values, veu.citation))
        return Decision(
            Verdict.authorized, "UVEU", None, [*reasons, Notice("us.aid.veu", values, veu.citation)]
        )
    requested = order_tpp(item)
    share = (party.veu_country_tpp + requested) / (party.veu_total_tpp + requested)
    limit = float(veu.get("uveu_single_tier2_max_share"))
    values = {**values, "share": round(share, 4), "limit": limit}
    if share <= limit:
        return Decision(
            Verdict.authorized,
            "UVEU",
            None,
            [*reasons, Notice("us.aid.uveu_within", values, veu.citation)],
        )
    review = ReviewPolicy.presumption_of_approval
    return Decision(
        Verdict.license_required,
        None,
        review,
        [*reasons, Notice("us.aid.uveu_over", values, veu.citation)],
    )


def check_quota(
    ledger: Ledger,
    account: str,
    unit: str,
    limit: float,
    requested: float,
    citation: str,
    reference: str | None,
    holder: Holder | None = None,
) -> QuotaCheck:
    """An account of the rules (LPP, an allocation) read from the ledger against an order."""
    return quota_check(
        account,
        unit,
        limit,
        ledger.usage(account),
        requested,
        citation,
        reference,
        holder.describe() if holder else None,
        holder.identity if holder else None,
        holder.aliases if holder else (),
    )


@dataclass
class OrderOutcome:
    decision: Decision
    quota: list[QuotaEffect] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)


def consignee_account(ctx: UsContext, ledger: Ledger) -> Holder | None:
    """LPP counts per ultimate consignee; failing one, the end user, then the purchaser."""
    for role in ("consignee", "end_user", "purchaser"):
        party = getattr(ctx.tx.parties, role)
        if party is not None:
            country = party.country or ctx.tx.destination
            who = resolve_holder(ledger, role, party.name, country, party.identifiers)
            if who.conflicting:
                others = ", ".join(who.conflicting)
                values = {"name": party.name, "identity": who.identity, "others": others}
                ctx.warnings.append(Notice("ledger.identity_conflict", values, None))
            return who
    return None


def order_decision(ctx: UsContext, candidates: list[ItemContext], ledger: Ledger) -> OrderOutcome:
    """LPP for the order's candidates together; above the ceiling, a licence."""
    lpp = ctx.rules.provision("lpp")
    wl = ctx.rules.provision("worldwide_licence")
    assert wl is not None
    requested = sum(order_tpp(c) for c in candidates)
    quota: list[QuotaEffect] = []
    reasons: list[Notice] = []
    who = consignee_account(ctx, ledger)
    if lpp is not None and who is not None:
        ctx.warnings.extend(lpp.uncertainty("consignee_annual_tpp_limit", "reporting"))
        limit = to_tpp(lpp, "consignee_annual_tpp_limit")
        account = account_key("us", "lpp", lpp.origin_id, ctx.tx.date.year, who.identity)
        check = check_quota(ledger, account, "tpp", limit, requested, lpp.citation, ctx.tx.id, who)
        quota.append(check.effect)
        used = check.effect.used_before
        values: dict[str, object] = {
            "used": used,
            "requested": requested,
            "limit": limit,
            "year": str(ctx.tx.date.year),
            "h100e": limit / load_catalog().h100_tpp,
            "account": who.identity,
        }
        if check.draw is not None:
            lpp_reason = Notice("us.aid.lpp", values, lpp.citation)
            return OrderOutcome(
                Decision(Verdict.authorized, "LPP", None, [lpp_reason]), quota, [check.draw]
            )
        reasons.append(Notice("us.aid.lpp_exceeded", values, lpp.citation))
    elif lpp is not None:
        reasons.append(Notice("us.aid.lpp_no_consignee", {}, lpp.citation))

    # Above LPP: a licence, reviewed against an allocation where the rules give one.
    agreements = ctx.rules.provision("bilateral_agreements")
    if agreements is not None:
        return _agreement_review(ctx, agreements, candidates, requested, quota, reasons, ledger)
    tiers = ctx.rules.provision("tiers")
    allocation = ctx.rules.provision("country_allocation")
    tier = ai_diffusion_tier(ctx.tx.destination, ctx.tx.date, tiers).tier if tiers else 2
    if tier == 2 and allocation is not None:
        ctx.warnings.extend(allocation.uncertainty("tier2_tpp"))
        limit = to_tpp(allocation, "tier2_tpp")
        account = account_key("us", "allocation", allocation.origin_id, ctx.tx.destination)
        check = check_quota(
            ledger, account, "tpp", limit, requested, allocation.citation, ctx.tx.id
        )
        values = {
            "used": check.effect.used_before,
            "requested": requested,
            "limit": limit,
            "destination": ctx.tx.destination,
        }
        return _capped_licence(
            check,
            quota,
            reasons,
            values,
            allocation.citation,
            "us.aid.allocation",
            "us.aid.allocation_exhausted",
        )
    review = ReviewPolicy(wl.get("tier2_review"))
    reasons.append(Notice("us.aid.licence", {"review": review.value}, wl.citation))
    return OrderOutcome(Decision(Verdict.license_required, None, review, reasons), quota)


def _agreement_review(
    ctx: UsContext,
    agreements: ActiveProvision,
    candidates: list[ItemContext],
    requested: float,
    quota: list[QuotaEffect],
    reasons: list[Notice],
    ledger: Ledger,
) -> OrderOutcome:
    table = agreements.get("agreements")
    terms = table.get(ctx.destination) or table.get(ctx.tx.destination)
    ctx.warnings.extend(agreements.uncertainty("agreements"))
    if terms is None:
        review = ReviewPolicy(agreements.get("without_agreement_review"))
        reasons.append(
            Notice(
                "us.scenario.no_agreement",
                {"destination": ctx.tx.destination, "review": review.value},
                agreements.citation,
            )
        )
        return OrderOutcome(Decision(Verdict.license_required, None, review, reasons), quota)
    unit = terms["unit"]
    if unit == "gb300e":
        amount = requested / gb300_tpp()
    else:  # units: count of advanced-computing ICs
        amount = float(
            sum(c.item.quantity * sum(n for _, n in _ics_with_counts(c)) for c in candidates)
        )
    period = ctx.tx.date.year if terms.get("period") == "calendar_year" else "total"
    account = account_key("us", "agreement", agreements.origin_id, ctx.tx.destination, period)
    limit = float(terms["cap"])
    check = check_quota(ledger, account, unit, limit, amount, agreements.citation, ctx.tx.id)
    values: dict[str, object] = {
        "destination": ctx.tx.destination,
        "cap": limit,
        "unit": unit,
        "used": check.effect.used_before,
        "requested": amount,
    }
    return _capped_licence(
        check,
        quota,
        reasons,
        values,
        agreements.citation,
        "us.scenario.agreement",
        "us.scenario.agreement_exhausted",
    )


def _capped_licence(
    check: QuotaCheck,
    quota: list[QuotaEffect],
    reasons: list[Notice],
    values: dict[str, object],
    citation: str,
    fits_code: str,
    exhausted_code: str,
) -> OrderOutcome:
    """A licence reviewed against a cap: approval while the cap has room, then denial."""
    quota.append(check.effect)
    if check.draw is not None:
        reasons.append(Notice(fits_code, values, citation))
        return OrderOutcome(
            Decision(Verdict.license_required, None, ReviewPolicy.presumption_of_approval, reasons),
            quota,
            [check.draw],
        )
    reasons.append(Notice(exhausted_code, values, citation))
    return OrderOutcome(
        Decision(Verdict.license_required, None, ReviewPolicy.presumption_of_denial, reasons),
        quota,
    )


def draft_decision(ctx: UsContext, candidates: list[ItemContext]) -> Decision:
    """Reported March 2026 draft: review by the shipment's size in GB300-equivalents."""
    p = ctx.rules.provision("draft_shipment_tiers")
    assert p is not None
    size = sum(order_tpp(c) for c in candidates) / gb300_tpp()
    small = to_tpp(p, "simplified_max") / gb300_tpp()
    large = to_tpp(p, "host_government_min") / gb300_tpp()
    ctx.warnings.extend(p.uncertainty("control_codes", "simplified_review"))
    values: dict[str, object] = {"size": size, "small": small, "large": large}
    if size <= small:
        return Decision(
            Verdict.license_required,
            None,
            ReviewPolicy(p.get("simplified_review")),
            [Notice("us.draft.simplified", values, p.citation)],
        )
    obligations = [Notice("us.draft.preclearance", values, p.citation)]
    if size >= large:
        obligations.append(Notice("us.draft.host_government", values, p.citation))
    return Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(p.get("preclearance_review")),
        [Notice("us.draft.preclearance_needed", values, p.citation)],
        obligations,
    )
