"""The lists a day sees: days between two list changes share one view, and it is the view
computed for that day from the snapshots (every listing, removal and expiry, every
snapshot date of the shipped lists, from 2019 to 2026)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.lists.store import view_for
from dualuse.screening.screen import corpus, view

DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(day=DAYS, authority=st.sampled_from([None, "us", "cn"]))
def test_a_shared_view_is_the_days_own(day: dt.date, authority: str | None) -> None:
    c = corpus()
    shared, positions = view(day, c, authority)
    own = view_for(day, c.snapshots, authority)
    assert shared.day == day
    assert shared.snapshots == own.snapshots
    assert [e.entry_id for e in shared.entries] == [e.entry_id for e in own.entries]
    held = {i for i in range(len(c.entries)) if i in positions}
    assert held == {c.position[id(e)] for e in own.entries}


def test_the_day_an_entry_is_listed_starts_a_new_view() -> None:
    c = corpus()
    listed = sorted({e.listed for e in c.entries if e.listed is not None})
    day = next(d for d in listed if d > dt.date(2022, 10, 7))
    before, _ = view(day - dt.timedelta(days=1), c)
    on, _ = view(day, c)
    added = {e.entry_id for e in on.entries} - {e.entry_id for e in before.entries}
    assert added and all(e.listed == day for e in on.entries if e.entry_id in added)
