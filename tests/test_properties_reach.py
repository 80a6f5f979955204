"""Invariants of the reach step and of the embargoes (hypothesis).

- Giving an origin outside the US, or shipping from outside it, never loosens the verdict
  for a US-designed 3A090 item bound for a destination inside the advanced-computing
  foreign-direct-product rule's scope (15 CFR 734.9(h)): the rule exists to catch exactly
  those items.
- No destination in Country Group E:1 or E:2 ever gets no_license_required for an item
  subject to the EAR (part 746; E:1/E:2 are the terrorism-supporting and embargoed
  destinations of Supp. No. 1 to part 740).
- Removing a material's form never loosens China's verdict for it.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.contract import Transaction, Verdict
from dualuse.engine import determine
from dualuse.geo.groups import load_country_groups
from dualuse.rulebooks import load_registry

US_DESIGNED_3A090 = [
    "nvidia/h100-sxm",
    "nvidia/h200",
    "nvidia/a100-sxm",
    "nvidia/b200",
    "amd/mi300x",
    "intel/gaudi-3",
    "google/tpu-v5p",
    "nvidia/dgx-h100",
]


def _days(start: dt.date, end: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=start, max_value=end)


def _us(tx: dict[str, object]) -> Verdict:
    det = determine(Transaction.model_validate({**tx, "jurisdictions": ["us"]}))
    us = det.jurisdictions[0]
    return us.verdict if us.applies and us.verdict is not None else Verdict.no_license_required


# China (Hong Kong reads as China) is in scope from 2022-10-21, Macau from 2023-01-17, and
# D:1/D:4/D:5 destinations not in A:5/A:6 from 2023-11-17.
SCOPES = [
    (["CN", "HK"], dt.date(2022, 10, 21)),
    (["CN", "HK", "MO"], dt.date(2023, 1, 17)),
    (["CN", "HK", "MO", "VN", "SA", "AE", "KZ", "RU"], dt.date(2023, 11, 17)),
]


@st.composite
def in_scope(draw: st.DrawFn) -> tuple[list[str], dt.date]:
    destinations, start = draw(st.sampled_from(SCOPES))
    return destinations, draw(_days(start, dt.date(2026, 11, 30)))


@settings(max_examples=150, deadline=None)
@given(
    scope=in_scope(),
    pick=st.integers(min_value=0, max_value=10),
    item=st.sampled_from(US_DESIGNED_3A090),
    origin=st.sampled_from(["TW", "KR", "MY", "SG", "MX"]),
    ship_from=st.sampled_from(["TW", "KR", "SG", "MY", "JP"]),
)
def test_origin_abroad_never_loosens_in_fdp_scope(
    scope: tuple[list[str], dt.date], pick: int, item: str, origin: str, ship_from: str
) -> None:
    destinations, day = scope
    destination = destinations[pick % len(destinations)]
    base = {
        "date": day.isoformat(),
        "destination": destination,
        "parties": {"consignee": {"name": "Example Buyer", "country": destination}},
    }
    from_us = _us({**base, "ship_from": "US", "items": [{"catalog": item, "quantity": 8}]})
    made_abroad = [{"catalog": item, "quantity": 8, "origin": origin}]
    abroad = _us({**base, "ship_from": ship_from, "items": made_abroad})
    assert abroad.severity >= from_us.severity, (item, destination, day, from_us, abroad)


def _e_group_members(day: dt.date) -> list[str]:
    groups = load_country_groups()
    return sorted({c for g in ("E:1", "E:2") for c in groups.members(g, day)})


ANY_ITEMS = [
    {"catalog": "nvidia/l2"},
    {"catalog": "nvidia/a10"},
    {"catalog": "nvidia/h100-sxm"},
    {"catalog": "nvidia/rtx-4090d"},
    {"catalog": "samsung/hbm3e-12h-36gb"},
    {"specs": {"kind": "memory", "vendor": "Samsung", "memory_type": "dram"}},
    {"specs": {"kind": "material", "substance": "copper", "form": "wire"}},
]


@settings(max_examples=150, deadline=None)
@given(
    day=_days(dt.date(2022, 1, 1), dt.date(2026, 11, 30)),
    pick=st.integers(min_value=0, max_value=10),
    item=st.sampled_from(ANY_ITEMS),
)
def test_no_e1_e2_destination_is_ever_no_licence(
    day: dt.date, pick: int, item: dict[str, object]
) -> None:
    members = _e_group_members(day)
    assert members, f"no E:1/E:2 members on {day}"
    destination = members[pick % len(members)]
    verdict = _us(
        {
            "date": day.isoformat(),
            "ship_from": "US",
            "destination": destination,
            "parties": {"consignee": {"name": "Example Buyer", "country": destination}},
            "items": [{**item, "quantity": 1}],
        }
    )
    assert verdict is not Verdict.no_license_required, (destination, day, item)


def _listed_forms() -> list[tuple[str, str, dt.date]]:
    found = []
    for version in load_registry().versions("cn"):
        for provision in version.provisions.values():
            if provision.algorithm != "listed_items":
                continue
            start = provision.applies_from or version.effective
            for entry in provision.parameters["entries"].value:
                for form in entry.get("forms", []):
                    if form != "*":
                        found.append((entry["substance"], form, start))
    return found


LISTED = _listed_forms()


@settings(max_examples=150, deadline=None)
@given(
    listed=st.sampled_from(LISTED),
    offset=st.integers(min_value=-400, max_value=900),
    destination=st.sampled_from(["KR", "JP", "US", "DE", "VN", "HK"]),
    end_use=st.sampled_from([None, "general", "military"]),
)
def test_removing_the_form_never_loosens(
    listed: tuple[str, str, dt.date], offset: int, destination: str, end_use: str | None
) -> None:
    substance, form, start = listed
    day = start + dt.timedelta(days=offset)

    def verdict(specs: dict[str, str]) -> Verdict:
        tx = Transaction.model_validate(
            {
                "date": day.isoformat(),
                "ship_from": "CN",
                "destination": destination,
                "jurisdictions": ["cn"],
                "end_use": end_use,
                "items": [{"specs": {"kind": "material", **specs}, "quantity": 1, "unit": "kg"}],
            }
        )
        cn = determine(tx).jurisdictions[0]
        return cn.verdict or Verdict.no_license_required

    with_form = verdict({"substance": substance, "form": form})
    without = verdict({"substance": substance})
    assert without.severity >= with_form.severity, (substance, form, day, destination)
