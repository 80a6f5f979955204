"""dualuse: export-control determinations for AI chips, AI compute and related materials.

The public names are imported lazily so that the command line starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from dualuse.classify import classification_history, classify_item
    from dualuse.contract import Determination, Transaction, parse_transaction

__all__ = [
    "Determination",
    "Transaction",
    "classification_history",
    "classify_item",
    "parse_transaction",
]

_LAZY = {
    "Determination": "dualuse.contract",
    "Transaction": "dualuse.contract",
    "parse_transaction": "dualuse.contract",
    "classify_item": "dualuse.classify",
    "classification_history": "dualuse.classify",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dualuse' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
