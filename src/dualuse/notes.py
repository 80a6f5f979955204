"""Regimes dualuse names but does not decide: a warning where they reach a transaction.

Korea's strategic-items regime applies to exports from Korea; dualuse does not carry
Korea's control-list entries, so it tells the caller to classify through KOSTI rather
than inventing an answer.
"""

from __future__ import annotations

from dualuse.contract import Activity, Transaction
from dualuse.explain.notice import Notice
from dualuse.rulebooks import resolve


def regime_notes(tx: Transaction) -> list[Notice]:
    if tx.activity in (Activity.purchase, Activity.remote_access):
        return []
    rules = resolve("kr", tx.date, tx.mode)
    note = rules.provision("strategic_items_note")
    if note is None or tx.ship_from not in note.get("ship_from"):
        return []
    notices = [
        Notice(
            "kr.strategic_items",
            {"body": note.get("determination_body"), "system": note.get("system")},
            note.citation,
        )
    ]
    russia = rules.provision("russia_belarus")
    if russia is not None and tx.destination in russia.get("destinations"):
        notices.append(
            Notice("kr.russia_belarus", {"destination": tx.destination}, russia.citation)
        )
    return notices
