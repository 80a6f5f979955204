"""Japan: a METI licence for the 23 SME items, every destination, from 2023-07-23.

dualuse matches an item to the 23 by its process step; the Ministerial Order's technical
parameters are not in its reference, so every match carries a warning to confirm them.
"""

from __future__ import annotations

from dualuse.contract import Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts
from dualuse.ledger import Ledger
from dualuse.rulebooks import ResolvedRules, resolve
from dualuse.rules.equipment import evaluate_equipment
from dualuse.rules.outcome import NOT_CONTROLLED, Decision, ItemClass, JurisdictionOutcome


def may_reach(tx: Transaction) -> bool:
    return tx.ship_from == "JP"


def evaluate(tx: Transaction, ledger: Ledger) -> JurisdictionOutcome:
    return evaluate_equipment("jp", tx, resolve("jp", tx.date, tx.mode, tx.scenario), _sme_items)


def _sme_items(
    tx: Transaction, rules: ResolvedRules, facts: EquipmentFacts
) -> tuple[ItemClass, Decision]:
    p = rules.provision("sme_23_items")
    values = {"item": facts.label, "process": facts.process, "date": tx.date}
    if p is None:
        reason = Notice("jp.sme.not_in_force", values, None)
        return ItemClass(NOT_CONTROLLED, reasons=(reason,)), Decision(
            Verdict.no_license_required, reasons=[reason]
        )
    processes: dict[str, dict[str, object]] = p.get("processes")
    entry = processes.get(facts.process)
    if entry is None:
        reason = Notice("jp.sme.other_process", values, p.citation)
        return ItemClass(NOT_CONTROLLED, reasons=(reason,)), Decision(
            Verdict.no_license_required, reasons=[reason]
        )
    code = f"FEFTA {entry['provision']}"
    reason = Notice(
        "jp.sme.listed",
        {**values, "items": entry["items"], "provision": entry["provision"]},
        p.citation,
    )
    warnings = (
        Notice("jp.parameters_unchecked", values, p.citation),
        *p.uncertainty("general_bulk_destinations_known"),
    )
    bulk = tx.destination in p.get("general_bulk_destinations_known")
    obligation = Notice(
        "jp.sme.general_bulk" if bulk else "jp.sme.individual",
        {"destination": tx.destination},
        p.citation,
    )
    cls = ItemClass(code, (code,), rulebook=p.origin_id, reasons=(reason,), warnings=warnings)
    return cls, Decision(Verdict.license_required, None, None, [reason], [obligation])
