"""determine(transaction) -> determination: every jurisdiction, combined, explained.

The overall verdict is the most restrictive over the jurisdictions whose rules reach the
transaction. Quota draws are computed against the ledger but never recorded here:
:func:`determine_many` keeps a batch's draws in memory, and only
:meth:`dualuse.ledger.store.LedgerStore.commit` writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from dualuse.classification import to_classification
from dualuse.contract import (
    Determination,
    ItemResult,
    JurisdictionResult,
    PartyScreening,
    Screening,
    Transaction,
    Verdict,
)
from dualuse.explain import Notice, render_all
from dualuse.explain.messages import Rendered, distinct, rendered
from dualuse.ledger import Draw, InMemoryLedger, Ledger
from dualuse.notes import regime_notes
from dualuse.rulebooks import resolve
from dualuse.rules.cn import evaluate as cn
from dualuse.rules.cn.parties import ReviewSource
from dualuse.rules.held_licences import apply_licences
from dualuse.rules.jp import evaluate as jp
from dualuse.rules.nl import evaluate as nl
from dualuse.rules.outcome import JurisdictionOutcome, authorities_of, review_of
from dualuse.rules.us import evaluate as us
from dualuse.rules.us.parties import find


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction's rules and a cheap pre-check of whether they can reach a transaction.

    By default only jurisdictions that can reach are evaluated (the contract's default); a
    caller naming jurisdictions gets each of them with its own reasons.
    """

    evaluate: Callable[[Transaction, Ledger], JurisdictionOutcome]
    may_reach: Callable[[Transaction], bool]


JURISDICTIONS: dict[str, Jurisdiction] = {
    "us": Jurisdiction(us.evaluate, us.may_reach),
    "cn": Jurisdiction(cn.evaluate, cn.may_reach),
    "jp": Jurisdiction(jp.evaluate, jp.may_reach),
    "nl": Jurisdiction(nl.evaluate, nl.may_reach),
}
"""Every jurisdiction dualuse decides; each says itself whether its rules reach a transaction."""


@dataclass(frozen=True)
class Outcome:
    determination: Determination
    draws: tuple[Draw, ...]


def determine(tx: Transaction, ledger: Ledger | None = None) -> Determination:
    return evaluate(tx, ledger or InMemoryLedger()).determination


def evaluate(tx: Transaction, ledger: Ledger) -> Outcome:
    language = tx.language.value
    wanted = tx.jurisdictions or [j for j, rules in JURISDICTIONS.items() if rules.may_reach(tx)]
    outcomes = [JURISDICTIONS[j].evaluate(tx, ledger) for j in wanted if j in JURISDICTIONS]
    for outcome in outcomes:
        apply_licences(outcome, tx, ledger)
    results = [_render(o, language) for o in outcomes]
    applying = [r.verdict for r in results if r.applies and r.verdict is not None]
    warnings: list[Notice] = []
    for o in outcomes:
        if o.applies:
            warnings.extend(o.rules.notices)
        warnings.extend(o.warnings)
    warnings.extend(regime_notes(tx))
    determination = Determination(
        transaction_id=tx.id,
        date=tx.date,
        mode=tx.mode,
        scenario=tx.scenario,
        verdict=Verdict.most_restrictive(applying),
        jurisdictions=results,
        warnings=render_all(warnings, language),
        hypothetical=any(o.rules.hypothetical for o in outcomes),
        screening=merged_screening([o.screening for o in outcomes if o.screening is not None]),
    )
    return Outcome(determination, tuple(d for o in outcomes for d in o.draws))


def determine_many(
    transactions: Iterable[Transaction], ledger: InMemoryLedger | None = None
) -> list[Determination]:
    """Decide a batch in date order, drawing each order's quotas before the next.

    The draws go to ``ledger``, an in-memory book (over the durable ledger's balances for
    a what-if against the real books). Results come back in the input order.
    """
    indexed = sorted(enumerate(transactions), key=lambda pair: pair[1].date)
    results: dict[int, Determination] = {}
    in_order = determine_in_order((tx for _, tx in indexed), ledger)
    for (index, _), (_, determination) in zip(indexed, in_order, strict=True):
        results[index] = determination
    return [results[i] for i in range(len(results))]


def determine_in_order(
    transactions: Iterable[Transaction], ledger: InMemoryLedger | None = None
) -> Iterator[tuple[Transaction, Determination]]:
    """Decide transactions already in date order one at a time, each order's draws
    counted before the next is decided: what `determine_many` does after sorting, for a
    stream too long to hold (only the book's balances are kept). Each transaction comes
    back with its determination, so a stream's reader need not keep them itself."""
    book = ledger if ledger is not None else InMemoryLedger(keep_journal=False)
    for tx in transactions:
        outcome = evaluate(tx, book)
        if outcome.draws:
            book.commit(list(outcome.draws))
        yield tx, outcome.determination


def _authority(outcome: JurisdictionOutcome) -> str | None:
    p = outcome.rules.provision("licensing_authority")
    return None if p is None else str(p.get("authority"))


def screening_of(tx: Transaction, reviews: ReviewSource) -> Screening | None:
    """The screening a determination of ``tx`` makes, without determining it: each
    jurisdiction the determination would ask, against its own lists (for re-screening
    committed decisions when the lists change)."""
    wanted = tx.jurisdictions or [j for j, rules in JURISDICTIONS.items() if rules.may_reach(tx)]
    found: list[Screening] = []
    if "us" in wanted:
        rules = resolve("us", tx.date, tx.mode, tx.scenario)
        us_screening = (
            find(tx.parties.named(), tx.date, rules, reviews).screening
            if us.screens_parties(tx, rules)
            else None
        )
        if us_screening is not None:
            found.append(us_screening)
    if "cn" in wanted:
        cn_screening = cn.screening_for(tx, reviews)
        if cn_screening is not None:
            found.append(cn_screening)
    return merged_screening(found)


def merged_screening(screenings: list[Screening]) -> Screening | None:
    """One screening per determination: each jurisdiction screens against its own lists
    (the US against BIS's, China against MOFCOM's); a party shows the hits of all."""
    if len(screenings) <= 1:
        return screenings[0] if screenings else None
    first = screenings[0]
    parties: dict[tuple[str, str, str | None], PartyScreening] = {}
    snapshots: dict[str, None] = {}
    for s in screenings:
        snapshots.update(dict.fromkeys(s.snapshots))
        for p in s.parties:
            key = (p.role, p.name, p.via)
            held = parties.get(key)
            parties[key] = (
                p
                if held is None
                else held.model_copy(
                    update={"hits": sorted([*held.hits, *p.hits], key=lambda h: -h.score)}
                )
            )
    merged = {"snapshots": list(snapshots), "parties": list(parties.values())}
    return first.model_copy(update=merged)


def _render(outcome: JurisdictionOutcome, language: str) -> JurisdictionResult:
    items: list[ItemResult] = []
    # The jurisdiction's reasons are its own, then each decided item's after its reach
    # (already among its own); each item's are rendered once and reused here.
    all_reasons: list[Rendered] = rendered(outcome.reasons, language)
    obligations: list[Notice] = list(outcome.obligations)
    verdicts: list[Verdict] = []
    authorizations: list[str] = []
    for ctx, decision in zip(outcome.items, outcome.decisions, strict=True):
        notices = [ctx.reach, *ctx.cls.reasons]
        verdict = authorization = review = None
        if decision is not None:
            notices += decision.reasons
            obligations += decision.obligations
            verdict, authorization, review = (
                decision.verdict,
                decision.authorization,
                decision.review,
            )
            verdicts.append(decision.verdict)
            if decision.verdict is Verdict.authorized and decision.authorization:
                authorizations.append(decision.authorization)
        said = rendered(notices, language)
        if decision is not None:
            all_reasons += said[1:]
        items.append(
            ItemResult(
                item=ctx.facts.label,
                quantity=ctx.item.quantity,
                classification=to_classification(ctx.cls),
                verdict=verdict,
                authorization=authorization,
                review_policy=review,
                reasons=distinct(said),
            )
        )
    verdict = Verdict.most_restrictive(verdicts) if outcome.applies and verdicts else None
    authorization = None
    if verdict is Verdict.authorized:
        authorization = "+".join(dict.fromkeys(authorizations)) or None
    return JurisdictionResult(
        jurisdiction=outcome.jurisdiction,
        applies=outcome.applies,
        rulebooks=outcome.rules.rulebook_ids,
        verdict=verdict,
        authorization=authorization,
        review_policy=review_of(outcome.decisions) if verdict is Verdict.license_required else None,
        authorities=authorities_of(outcome.decisions, _authority(outcome))
        if verdict is Verdict.license_required
        else [],
        items=items,
        quota=outcome.quota,
        obligations=render_all(obligations, language),
        reasons=distinct(all_reasons),
    )
