"""Shared shape of the allied equipment controls (Japan, the Netherlands).

Both reach exports *from* their country of semiconductor-manufacturing equipment only;
everything else is outside what dualuse carries for them, and the outcome says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dualuse.contract import Transaction, Verdict
from dualuse.explain.notice import Notice
from dualuse.items import EquipmentFacts, ItemFacts, facts_for
from dualuse.ledger import Ledger
from dualuse.rulebooks import ResolvedRules, resolve
from dualuse.rules.outcome import (
    NOT_CONTROLLED,
    Decision,
    ItemClass,
    ItemContext,
    JurisdictionOutcome,
)

EquipmentRule = Callable[[Transaction, ResolvedRules, EquipmentFacts], tuple[ItemClass, Decision]]


@dataclass(frozen=True)
class EquipmentControls:
    """A country's equipment controls: reached by exports from that country, decided by ``rule``."""

    jurisdiction: str
    rule: EquipmentRule

    @property
    def country(self) -> str:
        return self.jurisdiction.upper()

    def may_reach(self, tx: Transaction) -> bool:
        return tx.ship_from == self.country

    def evaluate(self, tx: Transaction, ledger: Ledger) -> JurisdictionOutcome:
        rules = resolve(self.jurisdiction, tx.date, tx.mode, tx.scenario)
        values = {"ship_from": tx.ship_from, "jurisdiction": self.country}
        facts = [facts_for(i) for i in tx.items]
        if not self.may_reach(tx):
            return self._outside(
                tx, rules, facts, Notice("allied.reach.not_exported", values, None)
            )
        if not any(isinstance(f, EquipmentFacts) for f in facts):
            why = Notice("allied.reach.not_equipment", values, None)
            return self._outside(tx, rules, facts, why)
        why = Notice("allied.reach.exported", values, None)
        outcome = JurisdictionOutcome(self.jurisdiction, True, rules, [], [], [why])
        for item, fact in zip(tx.items, facts, strict=True):
            if isinstance(fact, EquipmentFacts):
                cls, decision = self.rule(tx, rules, fact)
                outcome.items.append(ItemContext(item, fact, cls, True, why))
                outcome.decisions.append(decision)
                outcome.warnings.extend(cls.warnings)
            else:
                reason = Notice("allied.not_equipment_item", {"item": fact.label}, None)
                cls = ItemClass(NOT_CONTROLLED, reasons=(reason,))
                outcome.items.append(ItemContext(item, fact, cls, False, why))
                outcome.decisions.append(None)
        return outcome

    def _outside(
        self, tx: Transaction, rules: ResolvedRules, facts: list[ItemFacts], why: Notice
    ) -> JurisdictionOutcome:
        items = [
            ItemContext(item, fact, ItemClass(NOT_CONTROLLED), False, why)
            for item, fact in zip(tx.items, facts, strict=True)
        ]
        return JurisdictionOutcome(
            self.jurisdiction, False, rules, items, [None] * len(items), [why]
        )


def free(reason: Notice) -> tuple[ItemClass, Decision]:
    """Outside this country's equipment list: no licence, for the stated reason."""
    return ItemClass(NOT_CONTROLLED, reasons=(reason,)), Decision(
        Verdict.no_license_required, reasons=[reason]
    )
