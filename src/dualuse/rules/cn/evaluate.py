"""The China jurisdiction: reach -> list classification -> licence -> US measures -> parties.

Exports: items leaving mainland China (to Hong Kong and Macau too). Purchases: the CAC
decision on Micron for critical-information-infrastructure operators in China. Party
lists: the Unreliable Entity List reaches any China-related import or export; the
export-control control list prohibits dual-use exports to the listed party.
"""

from __future__ import annotations

from collections.abc import Callable

from dualuse.contract import Activity, ReviewPolicy, Screening, Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import MaterialFacts, facts_for, vendor_of
from dualuse.ledger import Ledger
from dualuse.ledger.identity import normalise_name
from dualuse.rulebooks import ActiveProvision, ResolvedRules, resolve
from dualuse.rules.cn.classification import classify
from dualuse.rules.cn.parties import CnParties, ListHit, ReviewSource, screen_parties
from dualuse.rules.outcome import Decision, ItemContext, JurisdictionOutcome, stacked

EXPORTS = {Activity.export, Activity.reexport, Activity.transfer}


def may_reach(tx: Transaction) -> bool:
    """China's rules can only touch a transaction that leaves, enters or happens in China."""
    return (
        tx.ship_from == "CN"
        or tx.destination == "CN"
        or any(p.country == "CN" for _, p in tx.parties.named())
    )


def evaluate(tx: Transaction, ledger: Ledger) -> JurisdictionOutcome:
    rules = resolve("cn", tx.date, tx.mode, tx.scenario)
    if tx.activity is Activity.purchase:
        return _purchase(tx, rules)
    reach = rules.provision("reach")
    from_china = _from_china(tx, reach)
    china_related = from_china or tx.destination == "CN"
    parties = screen_parties(tx, ledger.screening_reviews) if china_related else None
    uel = parties.on(rules.provision("unreliable_entity_list")) if parties else []
    exporting = tx.activity in EXPORTS
    if not (exporting and from_china) and not any(h.active for h in uel):
        outcome = _not_reached(tx, rules, reach)
        _with_screening(outcome, parties, uel)
        return outcome

    why = Notice(
        "cn.reach.export_from_china" if from_china else "cn.reach.china_related",
        {"ship_from": tx.ship_from, "destination": tx.destination},
        reach.citation if reach is not None else None,
    )
    outcome = JurisdictionOutcome("cn", True, rules, [], [], [why])
    control_hits = parties.on(rules.provision("control_list")) if parties and from_china else []
    _with_screening(outcome, parties, uel + control_hits)
    for item in tx.items:
        facts = facts_for(item)
        cls = classify(facts, rules)
        outcome.warnings.extend(cls.warnings)
        entry = ItemContext(item, facts, cls, True, why)
        outcome.items.append(entry)
        decision = _export_decision(tx, rules, entry) if from_china else None
        outcome.decisions.append(
            stacked(decision, _control_list(rules, entry, control_hits), _uel(rules, uel))
        )
    if from_china and any(not i.cls.controlled for i in outcome.items):
        outcome.warnings.append(_partial_list_notice(rules))
    return outcome


def _from_china(tx: Transaction, reach: ActiveProvision | None) -> bool:
    return reach is not None and tx.ship_from in reach.get("ship_from")


def screening_for(tx: Transaction, reviews: ReviewSource) -> Screening | None:
    """The screening against China's lists a determination of ``tx`` makes (none when the
    transaction is neither from China nor to it)."""
    if not may_reach(tx) or tx.activity is Activity.purchase:
        return None
    rules = resolve("cn", tx.date, tx.mode, tx.scenario)
    if not (_from_china(tx, rules.provision("reach")) or tx.destination == "CN"):
        return None
    return screen_parties(tx, reviews).screening


def _not_reached(
    tx: Transaction, rules: ResolvedRules, reach: ActiveProvision | None
) -> JurisdictionOutcome:
    cite = reach.citation if reach is not None else None
    values = {"ship_from": tx.ship_from, "activity": tx.activity.value}
    if tx.activity not in EXPORTS:
        code = "cn.reach.activity"
    elif reach is not None and tx.ship_from in reach.get("excluded_ship_from", []):
        code = "cn.reach.not_mainland"
    else:
        code = "cn.reach.not_from_china"
    why = Notice(code, values, cite)
    return _with_items(tx, rules, False, why, lambda _entry: None)


def _with_screening(
    outcome: JurisdictionOutcome, parties: CnParties | None, hits: list[ListHit]
) -> None:
    """The screening against China's lists, and what the hits on the lists in force say."""
    if parties is None:
        return
    outcome.screening = parties.screening
    outcome.warnings.extend(parties.warnings)
    for hit in hits:
        outcome.warnings.extend(hit.notices)


# --------------------------------------------------------------------------- exports


def _export_decision(tx: Transaction, rules: ResolvedRules, item: ItemContext) -> Decision:
    if not item.cls.controlled:
        return _unlisted(tx, rules, item)
    provision = rules.provision(item.cls.provision or "")
    assert provision is not None  # a listed item was classified by a list in force
    values = {"item": item.facts.label, "code": item.cls.control_code}
    decision = Decision(
        Verdict.license_required,
        None,
        ReviewPolicy(provision.get("review_policy")),
        [Notice("cn.licence.required", values, provision.citation)],
        _licence_obligations(rules),
    )
    return stacked(decision, _us_minerals(tx, rules, item), _us_military(tx, rules, item))


def _licence_obligations(rules: ResolvedRules) -> list[Notice]:
    p = rules.provision("licence_procedure")
    if p is None:
        return []
    notices = [
        Notice(
            "cn.obligation.apply",
            {"applicant": p.get("applicant"), "period": p.get("review_period")},
            p.citation,
        ),
        Notice("cn.obligation.certificates", {"certificates": p.get("certificates")}, p.citation),
    ]
    if p.has("licence_types"):
        notices.append(
            Notice("cn.obligation.licence_types", {"types": p.get("licence_types")}, p.citation)
        )
    return notices


def _unlisted(tx: Transaction, rules: ResolvedRules, item: ItemContext) -> Decision:
    catch_all = rules.provision("catch_all")
    values = {"item": item.facts.label, "end_use": tx.end_use or "—"}
    if catch_all is not None and tx.end_use in catch_all.get("end_uses"):
        return Decision(
            Verdict.license_required,
            None,
            ReviewPolicy(catch_all.get("review_policy")),
            [Notice("cn.catch_all.required", values, catch_all.citation)],
            _licence_obligations(rules),
        )
    return Decision(
        Verdict.no_license_required, None, None, [Notice("cn.nlr.not_listed", values, None)]
    )


def _substance(item: ItemContext) -> str | None:
    return item.facts.substance if isinstance(item.facts, MaterialFacts) else None


def _us_minerals(tx: Transaction, rules: ResolvedRules, item: ItemContext) -> Decision | None:
    """Ann. 46 clause 2: presumption of denial (Ga, Ge, Sb, superhard) or stricter review."""
    p = rules.provision("us_mineral_denial")
    if p is None or tx.destination not in p.get("destinations"):
        return None
    substance = _substance(item)
    values = {"item": item.facts.label, "destination": tx.destination}
    if substance in p.get("denied_substances"):
        return Decision(
            Verdict.license_required,
            None,
            ReviewPolicy(p.get("denied_review_policy")),
            [Notice("cn.us.presumption_of_denial", values, p.citation)],
        )
    if substance in p.get("enhanced_review_substances"):
        notice = Notice("cn.us.enhanced_review", values, p.citation)
        return Decision(Verdict.license_required, None, None, [notice], [notice])
    return None


def _us_military(tx: Transaction, rules: ResolvedRules, item: ItemContext) -> Decision | None:
    """Ann. 46 clause 1: no dual-use items to US military users or for military uses."""
    p = rules.provision("us_military_ban")
    if p is None or tx.destination not in p.get("destinations"):
        return None
    military_parties = [
        role for role, party in tx.parties.named() if party.type in p.get("party_types")
    ]
    if not military_parties and tx.end_use not in p.get("end_uses"):
        return None
    values = {
        "item": item.facts.label,
        "parties": military_parties,
        "end_use": tx.end_use or "—",
    }
    return Decision(Verdict.prohibited, None, None, [Notice("cn.us.military", values, p.citation)])


def _control_list(rules: ResolvedRules, item: ItemContext, hits: list[ListHit]) -> Decision | None:
    """Dual-use exports to a party on MOFCOM's control list are prohibited."""
    p = rules.provision("control_list")
    active = [h for h in hits if h.active]
    if p is None or not active or not item.cls.controlled:
        return None
    reasons = [
        Notice(
            "cn.control_list.listed",
            _listed_values(h),
            f"{p.citation}; {h.entry.citation}",
        )
        for h in active
    ]
    return Decision(Verdict.prohibited, None, None, reasons)


def _listed_values(h: ListHit) -> dict[str, object]:
    return {
        "party": h.party,
        "role": h.role,
        "entry": h.hit.matched_name,
        "score": h.hit.score,
        "listed": h.entry.listed,
        "by": h.entry.citation,
    }


def _uel(rules: ResolvedRules, hits: list[ListHit]) -> Decision | None:
    """China-related import or export with a party on the Unreliable Entity List."""
    p = rules.provision("unreliable_entity_list")
    active = [h for h in hits if h.active]
    if p is None or not active:
        return None
    reasons = [
        Notice(
            "cn.uel.listed",
            {**_listed_values(h), "exception": p.get("exception_route")},
            f"{p.citation}; {h.entry.citation}",
        )
        for h in active
    ]
    return Decision(Verdict.prohibited, None, None, reasons)


def _partial_list_notice(rules: ResolvedRules) -> Notice:
    p = rules.provision("unified_list")
    if p is None or not p.has("items_about"):
        # Before the unified list (2024-12-01) China's controls were separate announcements
        # and catalogues; there is no item count to give.
        return Notice("cn.list.partial_lists", {}, None)
    return Notice("cn.list.partial", {"items": p.get("items_about")}, p.citation)


# ------------------------------------------------------------------------- purchases


def _purchase(tx: Transaction, rules: ResolvedRules) -> JurisdictionOutcome:
    """Procurement: the CAC decision bars CIIOs in China from buying Micron products."""
    p = rules.provision("cac_micron")
    countries = p.get("buyer_countries") if p is not None else ["CN"]
    buyers = [
        party
        for role, party in tx.parties.named()
        if role in ("purchaser", "end_user", "consignee") and party.country in countries
    ]
    cite = p.citation if p is not None else None
    if not buyers:
        why = Notice("cn.reach.purchase_outside", {"destination": tx.destination}, cite)
        return _with_items(tx, rules, False, why, lambda _i: None)
    why = Notice("cn.reach.purchase_in_china", {"buyers": [b.name for b in buyers]}, cite)
    vendors = [normalise_name(v) for v in p.get("vendors")] if p is not None else []
    ciio = [b.name for b in buyers if p is not None and b.type in p.get("buyer_types")]

    def decide(entry: ItemContext) -> Decision:
        label = entry.facts.label
        if p is None:
            return Decision(
                Verdict.no_license_required,
                reasons=[Notice("cn.cac.not_in_force", {"item": label, "date": tx.date}, None)],
            )
        vendor = normalise_name(vendor_of(entry.facts) or "")
        values = {"item": label, "vendor": vendor_of(entry.facts), "buyers": ciio}
        if any(vendor.startswith(v) for v in vendors) and ciio:
            return Decision(Verdict.prohibited, reasons=[Notice("cn.cac.prohibited", values, cite)])
        code = "cn.cac.other_vendor" if ciio else "cn.cac.not_ciio"
        return Decision(Verdict.no_license_required, reasons=[Notice(code, values, cite)])

    return _with_items(tx, rules, True, why, decide)


def _with_items(
    tx: Transaction,
    rules: ResolvedRules,
    applies: bool,
    why: Notice,
    decide: Callable[[ItemContext], Decision | None],
) -> JurisdictionOutcome:
    outcome = JurisdictionOutcome("cn", applies, rules, [], [], [why])
    for item in tx.items:
        facts = facts_for(item)
        entry = ItemContext(item, facts, classify(facts, rules), applies, why)
        outcome.items.append(entry)
        outcome.decisions.append(decide(entry) if applies else None)
    return outcome
