"""Metrics recomputed from the catalog match the published figures the reference cites."""

from __future__ import annotations

import pytest

from dualuse.catalog import load_catalog
from dualuse.metrics import h100_equivalents, memory_bandwidth_density, performance_density, tpp

# (catalog id, published TPP, who published it) -- chips.md s5 and us-rules.md s2.5
PUBLISHED_TPP = [
    ("nvidia/h100-sxm", 15832, "SemiAnalysis 15,831 / Epoch 15,832 (us-rules.md 2.5)"),
    ("nvidia/a100-sxm", 4992, "Epoch; ai-2040 (chips.md 5)"),
    ("nvidia/h20", 2368, "SemiAnalysis via whatpsu; Epoch (chips.md 5)"),
    ("nvidia/rtx-4090d", 4707, "tomshw.it (chips.md 5)"),
    ("nvidia/rtx-4090", 5285, "WinBuzzer, ai-2040 (chips.md 5)"),
    ("nvidia/h200", 15832, "tracker; Epoch (chips.md 5)"),
    ("nvidia/b200", 36000, "Epoch; research note (chips.md 5)"),
    ("amd/mi300x", 20919, "Epoch (chips.md 5)"),
    ("amd/mi355x", 60398, "computed at 6 bits (chips.md 4, example 6)"),
]


@pytest.mark.parametrize(("item_id", "published", "who"), PUBLISHED_TPP)
def test_tpp_matches_published(item_id: str, published: float, who: str) -> None:
    computed = load_catalog().ic_metrics(item_id).tpp
    assert computed is not None
    # "within rounding": published figures are rounded to the unit (0.01 %).
    assert computed.value == pytest.approx(published, rel=1e-4), who


def test_mi355x_peaks_at_six_bits() -> None:
    computed = load_catalog().ic_metrics("amd/mi355x").tpp
    assert computed is not None and computed.bit_length == 6


def test_tpp_is_maximum_over_bit_lengths_and_dense() -> None:
    # 88 FR 73458 worked example: 600 dense INT8 TOPS or 300 dense FP16 TFLOPS = TPP 4800.
    int8, fp16 = tpp({8: 600.0}), tpp({16: 300.0})
    assert int8 is not None and int8.value == 4800.0
    assert fp16 is not None and fp16.value == 4800.0
    result = tpp({8: 600.0, 16: 300.0, 4: 100.0})
    assert result is not None and result.value == 4800.0


def test_tpp_without_throughput_is_unknown() -> None:
    assert tpp({}) is None
    assert tpp({8: 0.0}) is None


def test_performance_density() -> None:
    # chips.md 4 example 3: L4 TPP 1,940 on 294.5 mm2 -> PD 6.59.
    assert performance_density(1940, 294.5) == pytest.approx(6.59, abs=0.005)
    assert performance_density(1940, None) is None


def test_h100_equivalents_use_the_catalog_h100() -> None:
    catalog = load_catalog()
    # us-rules.md 2.5: LPP 26,900,000 TPP ~ 1,699 H100; 790,000,000 ~ 49,899-49,901.
    assert h100_equivalents(26_900_000, catalog.h100_tpp) == pytest.approx(1699, abs=1)
    assert h100_equivalents(790_000_000, catalog.h100_tpp) == pytest.approx(49_900, abs=2)


def test_memory_bandwidth_density() -> None:
    assert memory_bandwidth_density(819, 121) == pytest.approx(6.77, abs=0.01)
