"""Invariants of the durable ledger under any sequence of commits and releases.

Whatever officers do -- orders of any size against a licence and an LPP allowance,
releases of any earlier commit, in any order, some of them twice -- no balance goes below
zero or above its limit, and every balance is the sum of its journal postings.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.ledger.audit import verify
from dualuse.ledger.reading import accounts
from dualuse.ledger.store import LedgerStore

from .orders import licence, licensed_order, lpp_order

operation = st.one_of(
    st.tuples(st.just("lpp"), st.integers(min_value=1, max_value=1200)),
    st.tuples(st.just("licence"), st.integers(min_value=1, max_value=400)),
    st.tuples(st.just("release"), st.integers(min_value=1, max_value=12)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_the_ledger_never_goes_negative_or_over_its_limit(
    operations: list[tuple[str, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = LedgerStore.open(f"sqlite:///{Path(folder) / 'ledger.db'}")
        store.add_licence(licence(quantity=1000), "officer")
        for kind, n in operations:
            if kind == "lpp":
                store.commit([lpp_order(quantity=n)], "officer")
            elif kind == "licence":
                store.commit([licensed_order(quantity=n)], "officer")
            else:
                # Refused when entry n is not a commit, is released already, or not yet written.
                with contextlib.suppress(InputError):
                    store.release(n, "officer", "cancelled")
            for balance in accounts(store):
                assert balance.used >= -1e-6
                assert balance.used <= balance.limit + 1e-6
        assert verify(store).ok
        store.close()
