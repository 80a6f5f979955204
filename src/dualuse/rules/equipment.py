"""Shared shape of the allied equipment controls (Japan, the Netherlands).

Both reach exports *from* their country of semiconductor-manufacturing equipment only;
everything else is outside what dualuse carries for them, and the outcome says so.
"""

from __future__ import annotations

from collections.abc import Callable

from dualuse.contract import Transaction
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts, facts_for
from dualuse.rulebooks import ResolvedRules
from dualuse.rules.outcome import (
    NOT_CONTROLLED,
    Decision,
    ItemClass,
    ItemContext,
    JurisdictionOutcome,
)

EquipmentRule = Callable[[Transaction, ResolvedRules, EquipmentFacts], tuple[ItemClass, Decision]]


def evaluate_equipment(
    jurisdiction: str, tx: Transaction, rules: ResolvedRules, rule: EquipmentRule
) -> JurisdictionOutcome:
    values = {"ship_from": tx.ship_from, "jurisdiction": jurisdiction.upper()}
    if tx.ship_from != jurisdiction.upper():
        why = Notice("allied.reach.not_exported", values, None)
        return _outside(jurisdiction, tx, rules, why)
    facts = [facts_for(i) for i in tx.items]
    if not any(isinstance(f, EquipmentFacts) for f in facts):
        why = Notice("allied.reach.not_equipment", values, None)
        return _outside(jurisdiction, tx, rules, why)
    why = Notice("allied.reach.exported", values, None)
    outcome = JurisdictionOutcome(jurisdiction, True, rules, [], [], [why])
    for item, fact in zip(tx.items, facts, strict=True):
        if isinstance(fact, EquipmentFacts):
            cls, decision = rule(tx, rules, fact)
            outcome.items.append(ItemContext(item, fact, cls, True, why))
            outcome.decisions.append(decision)
            outcome.warnings.extend(cls.warnings)
        else:
            reason = Notice("allied.not_equipment_item", {"item": fact.label}, None)
            outcome.items.append(
                ItemContext(item, fact, ItemClass(NOT_CONTROLLED, reasons=(reason,)), False, why)
            )
            outcome.decisions.append(None)
    return outcome


def _outside(
    jurisdiction: str, tx: Transaction, rules: ResolvedRules, why: Notice
) -> JurisdictionOutcome:
    items = []
    for item in tx.items:
        fact = facts_for(item)
        items.append(ItemContext(item, fact, ItemClass(NOT_CONTROLLED), False, why))
    return JurisdictionOutcome(jurisdiction, False, rules, items, [None] * len(items), [why])
