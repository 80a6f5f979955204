"""Invariants of the classification, checked on generated ICs (hypothesis).

More compute never loosens a control: raising an IC's throughput, or shrinking its die
(which raises performance density), never moves it to a less controlled class.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.contract import IcSpecs, Mode
from dualuse.items import specs_facts
from dualuse.rulebooks import resolve
from dualuse.rules.us.classification import classify

SEVERITY = {"not_controlled": 0, "3A090.b": 1, "3A090.a": 2}
DATES = [dt.date(2023, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 2, 1)]


def severity(
    tops: float, bits: int, area: float, datacenter: bool, link: float, day: dt.date
) -> int:
    specs = IcSpecs(
        tops={bits: tops}, die_area_mm2=area, datacenter=datacenter, interconnect_gbs=link
    )
    return SEVERITY[classify(specs_facts(specs), resolve("us", day, Mode.enforced)).control_code]


@settings(max_examples=400, deadline=None)
@given(
    tops=st.floats(min_value=1, max_value=20_000),
    factor=st.floats(min_value=1, max_value=10),
    bits=st.sampled_from([4, 8, 16, 32, 64]),
    area=st.floats(min_value=50, max_value=3_000),
    datacenter=st.booleans(),
    link=st.floats(min_value=0, max_value=2_000),
    day=st.sampled_from(DATES),
)
def test_more_throughput_never_loosens(
    tops: float, factor: float, bits: int, area: float, datacenter: bool, link: float, day: dt.date
) -> None:
    low = severity(tops, bits, area, datacenter, link, day)
    high = severity(tops * factor, bits, area, datacenter, link, day)
    assert high >= low


@settings(max_examples=300, deadline=None)
@given(
    tops=st.floats(min_value=1, max_value=2_000),
    area=st.floats(min_value=50, max_value=3_000),
    shrink=st.floats(min_value=1, max_value=10),
    datacenter=st.booleans(),
)
def test_higher_density_never_loosens(
    tops: float, area: float, shrink: float, datacenter: bool
) -> None:
    day = dt.date(2024, 6, 1)
    assert severity(tops, 8, area / shrink, datacenter, 900, day) >= severity(
        tops, 8, area, datacenter, 900, day
    )


@settings(max_examples=200, deadline=None)
@given(tops=st.floats(min_value=1, max_value=5_000), area=st.floats(min_value=50, max_value=3_000))
def test_datacenter_marketing_never_loosens(tops: float, area: float) -> None:
    day = dt.date(2024, 6, 1)
    assert severity(tops, 8, area, True, 64, day) >= severity(tops, 8, area, False, 64, day)
