"""Licences the ledger holds, applied to items that need one.

After a jurisdiction has decided, an item whose verdict is ``license_required`` is
authorised by a licence in the ledger that names its control code, the destination and
the order's parties, is valid on the order's date, and has balance enough for the item.
The item then reads ``LICENCE:<number>``, with the remaining balance as a reason and the
licence's balances as quota lines. A licence that would cover the item but has expired,
is not yet valid, or is exhausted is reported as such and the item still needs a licence.
A prohibition is never lifted by a licence.

Where several licences cover an item, the one that expires first is drawn, so that
balances are not stranded by expiry (the next licence of the same kind is taken when one
is used up, as in the licence masters of the trade-compliance suites).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dualuse.contract import QuotaEffect, Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.ledger import Draw, Ledger
from dualuse.ledger.identity import party_aliases
from dualuse.ledger.licence import MEASURES, Licence, Measure
from dualuse.ledger.terms import licence_terms
from dualuse.rules.outcome import Decision, ItemContext, JurisdictionOutcome, quota_check

_ROLES = ("consignee", "end_user", "purchaser")


@dataclass(frozen=True)
class _Fit:
    licence: Licence
    effects: list[QuotaEffect]
    draws: list[Draw]


def apply_licences(outcome: JurisdictionOutcome, tx: Transaction, ledger: Ledger) -> None:
    """Authorise what held licences cover; report the ones that no longer can."""
    needing = [
        i
        for i, d in enumerate(outcome.decisions)
        if d is not None and d.verdict is Verdict.license_required
    ]
    if not needing:
        return
    held = sorted(ledger.licences(outcome.jurisdiction), key=lambda x: (x.valid_until, x.number))
    if not held:
        return
    identities = _party_identities(tx)
    pending: dict[str, float] = {}
    for i in needing:
        decision = outcome.decisions[i]
        assert decision is not None
        ctx = outcome.items[i]
        relevant = [lic for lic in held if _names_item(lic, ctx, tx, identities)]
        notes: list[Notice] = []
        fit = None
        for licence in relevant:
            fit = _fit(licence, ctx, tx, ledger, pending, notes, outcome.warnings)
            if fit is not None:
                break
        if fit is None:
            decision.reasons.extend(notes)
            continue
        for draw in fit.draws:
            pending[draw.account] = pending.get(draw.account, 0.0) + draw.amount
        outcome.draws.extend(fit.draws)
        outcome.quota.extend(fit.effects)
        outcome.decisions[i] = _authorised(decision, fit, notes)


def _party_identities(tx: Transaction) -> list[tuple[str, ...]]:
    found = []
    for role in _ROLES:
        party = getattr(tx.parties, role)
        if party is not None:
            country = party.country or tx.destination
            found.append(party_aliases(party.name, country, party.identifiers))
    return found


def _names_item(
    licence: Licence, ctx: ItemContext, tx: Transaction, parties: list[tuple[str, ...]]
) -> bool:
    """The licence is for this item, destination and these parties (dates and balances aside)."""
    return (
        licence.covers_code(ctx.cls.control_code)
        and tx.destination in licence.destinations
        and all(licence.names(p) for p in parties)
    )


def _requested(ctx: ItemContext, measure: Measure) -> float | None:
    if measure == "units":
        return ctx.item.quantity
    if measure == "usd":
        return ctx.item.value_usd
    return ctx.cls.tpp * ctx.item.quantity if ctx.cls.tpp is not None else None


def _fit(
    licence: Licence,
    ctx: ItemContext,
    tx: Transaction,
    ledger: Ledger,
    pending: dict[str, float],
    notes: list[Notice],
    warnings: list[Notice],
) -> _Fit | None:
    terms = licence_terms(licence.jurisdiction)
    base = {
        "number": licence.number,
        "authority": licence.authority,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
    }
    if tx.date > licence.valid_until:
        notes.append(Notice("ledger.licence_expired", base, terms.citation))
        return None
    if tx.date < licence.valid_from:
        notes.append(Notice("ledger.licence_not_yet_valid", base, terms.citation))
        return None
    effects: list[QuotaEffect] = []
    draws: list[Draw] = []
    for measure in MEASURES:
        limit = licence.limit(measure)
        if limit is None:
            continue
        requested = _requested(ctx, measure)
        if requested is None:
            notes.append(
                Notice("ledger.licence_measure_unknown", {**base, "unit": measure}, terms.citation)
            )
            return None
        account = licence.account(measure)
        used = ledger.usage(account) + pending.get(account, 0.0)
        provision = f"{licence.authority} licence {licence.number} ({terms.citation})"
        check = quota_check(account, measure, limit, used, requested, provision, tx.id, licence.key)
        if check.draw is None:
            values = {**base, "unit": measure, "used": used, "requested": requested, "limit": limit}
            notes.append(Notice("ledger.licence_exhausted", values, terms.citation))
            tolerance = terms.value_tolerance
            if measure == "usd" and tolerance and used + requested <= limit * (1 + tolerance):
                # Conservative: the reported tolerance is not applied, but the officer is
                # told it may exist, so that they can check the licence and the rule.
                warnings.append(
                    Notice(
                        "ledger.value_tolerance_not_applied",
                        {**base, "tolerance": f"{tolerance:.0%}", "note": terms.uncertain or ""},
                        terms.value_tolerance_citation,
                    )
                )
            return None
        effects.append(check.effect)
        draws.append(check.draw)
    return _Fit(licence, effects, draws)


def _authorised(decision: Decision, fit: _Fit, notes: Sequence[Notice]) -> Decision:
    licence = fit.licence
    terms = licence_terms(licence.jurisdiction)
    remaining = (
        "; ".join(
            f"{e.remaining_after or 0:,.15g} of {e.limit:,.15g} {e.unit}" for e in fit.effects
        )
        or "no quantity, value or TPP limit"
    )
    reason = Notice(
        "ledger.licence",
        {
            "number": licence.number,
            "authority": licence.authority,
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat(),
            "remaining": remaining,
        },
        terms.citation,
    )
    obligations = list(decision.obligations)
    obligations.extend(
        Notice(
            "ledger.licence_condition", {"number": licence.number, "condition": c}, terms.citation
        )
        for c in licence.conditions
    )
    return Decision(
        Verdict.authorized,
        f"LICENCE:{licence.number}",
        None,
        [*decision.reasons, *notes, reason],
        obligations,
    )
