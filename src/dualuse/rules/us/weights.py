"""ECCN 4E091 model weights under the AI Diffusion rule: AIA in Tier 1, a licence elsewhere."""

from __future__ import annotations

from dualuse.contract import ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.geo.tiers import ai_diffusion_tier
from dualuse.rules.outcome import Decision, ItemContext
from dualuse.rules.us.context import UsContext
from dualuse.rules.us.diffusion import tier1_headquarters


def weights_decision(ctx: UsContext, item: ItemContext) -> Decision:
    p = ctx.rules.provision("model_weights_4e091")
    tiers = ctx.rules.provision("tiers")
    label = item.facts.label
    if p is None or tiers is None or item.cls.control_code != "4E091":
        return Decision(
            Verdict.no_license_required,
            reasons=[Notice("us.nlr.not_controlled", {"item": label}, None)],
        )
    tier = ai_diffusion_tier(ctx.tx.destination, ctx.tx.date, tiers)
    ctx.warnings.extend(tier.warnings)
    reasons = [Notice("us.weights.worldwide", {"item": label}, p.citation), tier.reason]
    outside = tier1_headquarters(ctx, tiers.get("tier1"))
    aia = ctx.rules.provision("aia")
    if tier.tier == 1 and not outside and aia is not None:
        return Decision(
            Verdict.authorized,
            "AIA",
            None,
            [*reasons, Notice("us.weights.aia", {"item": label}, aia.citation)],
            [Notice("us.aid.aia_certification", {}, aia.citation)],
        )
    review = ReviewPolicy(p.get("tier1_review") if tier.tier == 1 else p.get("other_review"))
    if outside:
        role, hq = outside[0]
        reasons.append(Notice("us.aid.aia_hq_outside", {"role": role, "hq": hq}, p.citation))
    reasons.append(
        Notice("us.weights.licence", {"review": review.value, "tier": tier.tier}, p.citation)
    )
    return Decision(Verdict.license_required, None, review, reasons)
