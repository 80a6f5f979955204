"""The documented entry points answer from the top-level package (``dualuse.determine``).

The expected answers are those of the case files named, which cite the regulations.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import dualuse

CASES = Path(__file__).parent / "cases"


def _case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return data


def test_every_public_name_resolves() -> None:
    for name in dualuse.__all__:
        assert getattr(dualuse, name) is not None, name
    assert set(dualuse.__all__) <= set(dir(dualuse))


def test_determine_and_classify_from_the_top_level() -> None:
    case = _case("us/a10-to-china-2024-no-license.yaml")
    tx = dualuse.parse_transaction(case["transaction"])
    assert isinstance(tx, dualuse.Transaction)
    determination = dualuse.determine(tx)
    assert isinstance(determination, dualuse.Determination)
    assert determination.verdict.value == case["expect"]["verdict"]
    (report,) = dualuse.classify(tx)
    want = case["expect"]["jurisdictions"]["us"]["items"][0]["classification"]["control_code"]
    assert report.classification.control_code == want


def test_determine_many_draws_in_date_order() -> None:
    # Two LPP orders by one consignee in one year: 1,000 H100s fit the 1,699 allowance
    # (aid-codified-india-1000-h100-lpp), and 1,000 more would pass it
    # (aid-codified-india-1700-h100-over-lpp: over the allowance, a licence is required).
    case = _case("us/aid-codified-india-1000-h100-lpp.yaml")
    first = dualuse.parse_transaction(case["transaction"])
    second = first.model_copy(update={"id": "second"})
    results = dualuse.determine_many([first, second])
    assert results[0].verdict.value == case["expect"]["verdict"]
    over = _case("us/aid-codified-india-1700-h100-over-lpp.yaml")["expect"]["verdict"]
    assert results[1].verdict.value == over


def test_an_unknown_name_is_an_attribute_error() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import dualuse; dualuse.nothing"], capture_output=True, text=True
    )
    assert out.returncode == 1 and "has no attribute 'nothing'" in out.stderr
