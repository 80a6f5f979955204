"""Tools for fabs in China: the fab VEUs until 2025-12-31, then licences by purpose.

A VEU holder could receive the items on its approved list without an individual licence
(the 744.23 end-use licence included). From 2025-12-31 the former holders need licences:
BIS said it would approve what keeps existing operations running and would not license
capacity expansion or technology upgrades. Other fabs fall under 744.23 (in
:mod:`dualuse.rules.us.licensing`).
"""

from __future__ import annotations

from dualuse.contract import ReviewPolicy, Verdict
from dualuse.explain.notice import Notice
from dualuse.rulebooks import ActiveProvision
from dualuse.rules.lists import ListHit, screen
from dualuse.rules.outcome import Decision, ItemContext
from dualuse.rules.us.context import UsContext

FAB_ROLES = ("end_user", "consignee")


def _hits(ctx: UsContext, key: str) -> tuple[ActiveProvision | None, list[ListHit]]:
    """The provision and the fab parties (end user or consignee) its list names today."""
    p = ctx.rules.provision(key)
    if p is None:
        return None, []
    hits = [h for h in screen(ctx.tx, p) if h.role in FAB_ROLES]
    for hit in hits:
        ctx.warnings.extend(hit.notices)
    return p, [h for h in hits if h.active]


def fab_decision(ctx: UsContext, item: ItemContext) -> Decision | None:
    veu, hits = _hits(ctx, "fab_veu")
    if veu is not None and hits:
        hit = hits[0]
        values = {"party": hit.listing.name, "site": hit.listing.site, "item": item.facts.label}
        ctx.warnings.extend(veu.act_uncertainty())
        return Decision(
            Verdict.authorized,
            "VEU",
            None,
            [Notice("us.fab.veu", values, veu.citation)],
            [Notice("us.fab.veu_conditions", values, veu.citation)],
        )
    policy, hits = _hits(ctx, "fab_licence_policy")
    if policy is None or not hits:
        return None
    hit = hits[0]
    use = item.item.fab_use
    values = {"party": hit.listing.name, "site": hit.listing.site, "use": use}
    ctx.warnings.extend(policy.act_uncertainty())
    obligation = Notice(
        "us.fab.annual_licence", {"form": policy.get("licence_form")}, policy.citation
    )
    if use is None:
        reason = Notice("us.fab.licence_use_unknown", values, policy.citation)
        return Decision(Verdict.license_required, None, None, [reason], [obligation])
    review = ReviewPolicy(policy.get("review_by_use")[use])
    reason = Notice("us.fab.licence", {**values, "review": review.value}, policy.citation)
    return Decision(Verdict.license_required, None, review, [reason], [obligation])
