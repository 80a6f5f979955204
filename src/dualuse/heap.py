"""Keeping Python's cyclic garbage collector out of long runs.

The rulebooks, catalog, lists and their indexes are millions of objects that live as long
as the process. Left in the collector's oldest generation, every full collection walks all
of them: in a served process those pauses (44-72 ms) were most of the p99 tail, and in a
long `check` they made the cost per transaction grow with the run. Once they are loaded
they are frozen out of collection, and full collections are made rarer.
"""

from __future__ import annotations

import gc

FULL_COLLECTION_RARER = 10
"""How many times rarer than Python's default a settled process makes full collections."""

_SETTLED: list[bool] = []


def settle() -> None:
    """Freeze what is loaded now out of the collector; once per process (a test run may
    start several apps or checks in one process)."""
    if _SETTLED:
        return
    _SETTLED.append(True)
    gc.collect()
    gc.freeze()
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, full * FULL_COLLECTION_RARER)
