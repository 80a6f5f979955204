"""Plain-data views of catalog entries, with computed metrics beside the sourced specs."""

from __future__ import annotations

from typing import Any

from dualuse.catalog.loader import load_catalog
from dualuse.catalog.models import CatalogEntry, HbmEntry, IcEntry, SystemEntry
from dualuse.errors import InputError, UnknownId
from dualuse.metrics import h100_equivalents, memory_bandwidth_density


def computed(entry: CatalogEntry) -> dict[str, Any]:
    """TPP, PD, H100-equivalents or bandwidth density, computed from the specs."""
    catalog = load_catalog()
    if isinstance(entry, IcEntry):
        metrics = catalog.ic_metrics(entry.id)
        if metrics.tpp is None:
            return {"tpp": None, "tpp_bit_length": None, "pd": None, "h100_equivalents": None}
        return {
            "tpp": round(metrics.tpp.value, 3),
            "tpp_bit_length": metrics.tpp.bit_length,
            "pd": None if metrics.pd is None else round(metrics.pd, 3),
            "h100_equivalents": round(h100_equivalents(metrics.tpp.value, catalog.h100_tpp), 3),
        }
    if isinstance(entry, SystemEntry):
        total = 0.0
        for part in entry.contains:
            part_tpp = catalog.ic_metrics(part.item).tpp
            if part_tpp is None:
                return {"tpp": None, "h100_equivalents": None}
            total += part_tpp.value * part.count
        return {
            "tpp": round(total, 3),
            "h100_equivalents": round(h100_equivalents(total, catalog.h100_tpp), 3),
        }
    if not isinstance(entry, HbmEntry):
        return {}  # materials and equipment: nothing is computed from their description
    density = memory_bandwidth_density(entry.memory_bandwidth_gbs, entry.package_area_mm2)
    return {"memory_bandwidth_density": round(density, 3)}


def catalog_rows(vendor: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for entry in load_catalog():
        if vendor is not None and entry.vendor_slug != vendor.lower():
            continue
        if kind is not None and entry.kind != kind:
            continue
        row: dict[str, Any] = {
            "id": entry.id,
            "kind": entry.kind,
            "name": entry.name,
            "evidence": entry.evidence,
        }
        if isinstance(entry, IcEntry | SystemEntry):
            row["datacenter"] = entry.datacenter
        row.update(computed(entry))
        row["uncertain"] = len(entry.uncertain)
        rows.append(row)
    return rows


def catalog_detail(text: str) -> dict[str, Any]:
    try:
        entry = load_catalog().get(text, field="ID")
    except InputError as exc:
        raise UnknownId(exc.problems) from None
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_none=True)
    data["computed"] = computed(entry)
    return data
