"""Japan: a METI licence for the 23 SME items, every destination, from 2023-07-23.

dualuse matches an item to the 23 by its process step; the Ministerial Order's technical
parameters are not in its reference, so every match carries a warning to confirm them.
"""

from __future__ import annotations

from dualuse.contract import Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts
from dualuse.rulebooks import ResolvedRules
from dualuse.rules.equipment import EquipmentControls, free
from dualuse.rules.outcome import Decision, ItemClass


def _sme_items(
    tx: Transaction, rules: ResolvedRules, facts: EquipmentFacts
) -> tuple[ItemClass, Decision]:
    p = rules.provision("sme_23_items")
    values = {"item": facts.label, "process": facts.process, "date": tx.date}
    if p is None:
        reason = Notice("jp.sme.not_in_force", values, None)
        return free(reason)
    processes: dict[str, dict[str, object]] = p.get("processes")
    entry = processes.get(facts.process)
    if entry is None:
        reason = Notice("jp.sme.other_process", values, p.citation)
        return free(reason)
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


CONTROLS = EquipmentControls("jp", _sme_items)
may_reach = CONTROLS.may_reach
evaluate = CONTROLS.evaluate
