"""The Netherlands: exports of listed equipment to destinations outside the EU.

The 2023 regulation and its 2024 and 2025 amendments each restate the whole scope
(technologies and immersion-DUV models); the version in force on the date decides. EUV
scanners are on the EU dual-use list itself.
"""

from __future__ import annotations

from dualuse.contract import Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts
from dualuse.rulebooks import ActiveProvision, ResolvedRules
from dualuse.rules.equipment import EquipmentControls, free
from dualuse.rules.outcome import Decision, ItemClass


def _decide(
    tx: Transaction, rules: ResolvedRules, facts: EquipmentFacts
) -> tuple[ItemClass, Decision]:
    values = {"item": facts.label, "destination": tx.destination, "model": facts.model}
    national = rules.provision("advanced_sme")
    eu_listed = rules.provision("eu_listed_equipment")
    if national is not None and tx.destination in national.get("eu_members"):
        reason = Notice("nl.intra_eu", values, national.citation)
        return free(reason)
    if eu_listed is not None and facts.technology in eu_listed.get("technologies"):
        return _licence("EU Annex I", eu_listed, Notice("nl.eu_listed", values, eu_listed.citation))
    if national is None:
        return free(Notice("nl.sme.not_in_force", {**values, "date": tx.date}, None))
    if facts.technology == "immersion_duv" and facts.model in national.get("immersion_duv_models"):
        return _licence("NL-SME", national, Notice("nl.sme.duv_model", values, national.citation))
    if facts.technology in national.get("technologies"):
        reason = Notice(
            "nl.sme.technology", {**values, "technology": facts.technology}, national.citation
        )
        return _licence("NL-SME", national, reason)
    return free(
        Notice(
            "nl.sme.outside_scope", {**values, "technology": facts.technology}, national.citation
        )
    )


def _licence(code: str, p: ActiveProvision, reason: Notice) -> tuple[ItemClass, Decision]:
    cls = ItemClass(
        code, (code,), rulebook=p.origin_id, reasons=(reason,), warnings=tuple(p.act_uncertainty())
    )
    return cls, Decision(Verdict.license_required, None, None, [reason])


CONTROLS = EquipmentControls("nl", _decide)
may_reach = CONTROLS.may_reach
evaluate = CONTROLS.evaluate
