"""The quantities the advanced-computing rules are written in, computed from specs.

Definitions follow the Technical Notes to ECCN 3A090 (88 FR 73458, effective 2023-11-17)
and the 3A090.c definition added by 89 FR 96790; the catalog stores only the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tpp:
    """Total processing performance and the bit length that produced it."""

    value: float
    bit_length: int


def tpp(dense_tops: Mapping[int, float]) -> Tpp | None:
    """TPP = 2 x MacTOPS x bit length, taking the highest value over supported bit lengths.

    Datasheet TOPS/TFLOPS already count a multiply-accumulate as two operations, so
    ``2 x MacTOPS`` is the dense datasheet figure itself. Sparse figures must not be used.
    Returns ``None`` when no throughput is known (the item cannot be classified).
    """
    best: Tpp | None = None
    for bits, peak in dense_tops.items():
        if peak <= 0:
            continue
        value = peak * bits
        # Ties go to the wider bit length: it is the one the datasheet headline names.
        if best is None or value > best.value or (value == best.value and bits > best.bit_length):
            best = Tpp(value, bits)
    return best


def performance_density(tpp_value: float, applicable_die_area_mm2: float | None) -> float | None:
    """PD = TPP / applicable die area (mm^2); unknown area means unknown PD."""
    if applicable_die_area_mm2 is None or applicable_die_area_mm2 <= 0:
        return None
    return tpp_value / applicable_die_area_mm2


def memory_bandwidth_density(bandwidth_gbs: float, package_area_mm2: float) -> float:
    """HBM memory bandwidth density, GB/s per mm^2 of package or stack area (3A090.c)."""
    return bandwidth_gbs / package_area_mm2


def h100_equivalents(tpp_value: float, h100_tpp: float) -> float:
    """TPP expressed in H100s; an explanatory unit, not an EAR term."""
    return tpp_value / h100_tpp
