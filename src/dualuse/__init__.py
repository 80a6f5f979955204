"""dualuse: export-control determinations for AI chips, AI compute and related materials.

The public names are imported lazily so that the command line starts quickly::

    import dualuse
    tx = dualuse.parse_transaction({...})
    dualuse.determine(tx)          # one transaction -> Determination
    dualuse.determine_many([...])  # a batch in date order, quotas drawn in turn
    dualuse.classify(tx)           # each item's US classification on the date
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from dualuse.classification import classification_history, classify_item
    from dualuse.classification import classify_order as classify
    from dualuse.contract import Determination, Transaction, parse_transaction
    from dualuse.engine import determine, determine_many

__all__ = [
    "Determination",
    "Transaction",
    "classification_history",
    "classify",
    "classify_item",
    "determine",
    "determine_many",
    "parse_transaction",
]

# public name -> (module, name there)
_LAZY = {
    "Determination": ("dualuse.contract", "Determination"),
    "Transaction": ("dualuse.contract", "Transaction"),
    "parse_transaction": ("dualuse.contract", "parse_transaction"),
    "classify": ("dualuse.classification", "classify_order"),
    "classify_item": ("dualuse.classification", "classify_item"),
    "classification_history": ("dualuse.classification", "classification_history"),
    "determine": ("dualuse.engine", "determine"),
    "determine_many": ("dualuse.engine", "determine_many"),
}


def __getattr__(name: str) -> Any:
    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module 'dualuse' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(found[0]), found[1])


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
