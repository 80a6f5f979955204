"""Loads every catalog file once, checks cross-references, and answers look-ups."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from dualuse.catalog.models import CatalogEntry, CatalogFile, HbmEntry, IcEntry, SystemEntry
from dualuse.datafiles import data_dir, load_model, yaml_files
from dualuse.errors import DataError, InputError
from dualuse.metrics import Tpp, performance_density, tpp

H100_REFERENCE_ID = "nvidia/h100-sxm"
"""The unit of "H100-equivalents": the TPP of this catalog entry, computed, not typed in."""


@dataclass(frozen=True, slots=True)
class IcMetrics:
    """Metrics computed from an IC entry's specs at load time."""

    tpp: Tpp | None
    pd: float | None


class Catalog:
    def __init__(self, entries: list[CatalogEntry]) -> None:
        self._entries: dict[str, CatalogEntry] = {}
        self._aliases: dict[str, str] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise DataError(f"catalog: duplicate id {entry.id}")
            self._entries[entry.id] = entry
        for entry in entries:
            for key in (entry.id, entry.name, *entry.aliases):
                self._aliases.setdefault(_fold(key), entry.id)
        self._metrics = {e.id: _ic_metrics(e) for e in entries if isinstance(e, IcEntry)}
        self._check_systems()
        h100 = self._metrics.get(H100_REFERENCE_ID)
        if h100 is None or h100.tpp is None:
            raise DataError(f"catalog: {H100_REFERENCE_ID} with throughput figures is required")
        self.h100_tpp: float = h100.tpp.value

    def _check_systems(self) -> None:
        for entry in self._entries.values():
            if isinstance(entry, SystemEntry):
                for part in entry.contains:
                    if not isinstance(self._entries.get(part.item), IcEntry):
                        raise DataError(f"catalog: {entry.id} contains unknown IC {part.item}")

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._entries

    def find(self, text: str) -> CatalogEntry | None:
        """Exact id first, then a case- and punctuation-insensitive id, name or alias."""
        entry = self._entries.get(text)
        if entry is not None:
            return entry
        item_id = self._aliases.get(_fold(text))
        return self._entries[item_id] if item_id else None

    def get(self, text: str, field: str = "catalog") -> CatalogEntry:
        """Look an item up, or raise an :class:`InputError` suggesting the closest ids."""
        entry = self.find(text)
        if entry is None:
            raise InputError.single(field, text, "unknown catalog id", self.suggest(text))
        return entry

    def suggest(self, text: str, n: int = 3) -> list[str]:
        folded = _fold(text)
        keys = difflib.get_close_matches(folded, list(self._aliases), n=n * 3, cutoff=0.5)
        ids: list[str] = []
        for key in keys:
            item_id = self._aliases[key]
            if item_id not in ids:
                ids.append(item_id)
        return ids[:n]

    def ic_metrics(self, item_id: str) -> IcMetrics:
        return self._metrics[item_id]

    def ics(self) -> list[IcEntry]:
        return [e for e in self._entries.values() if isinstance(e, IcEntry)]

    def systems(self) -> list[SystemEntry]:
        return [e for e in self._entries.values() if isinstance(e, SystemEntry)]

    def hbm(self) -> list[HbmEntry]:
        return [e for e in self._entries.values() if isinstance(e, HbmEntry)]


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == "/")


def _ic_metrics(entry: IcEntry) -> IcMetrics:
    total = tpp(entry.dense_tops)
    pd = performance_density(total.value, entry.die_area_mm2) if total else None
    return IcMetrics(total, pd)


@cache
def load_catalog() -> Catalog:
    """The shipped catalog, parsed and validated once per process."""
    entries: list[CatalogEntry] = []
    for node in yaml_files(data_dir("catalog", "data")):
        catalog_file = load_model(node, CatalogFile)
        for entry in catalog_file.items:
            if entry.design_country is None and catalog_file.vendor_country is not None:
                entry = entry.model_copy(update={"design_country": catalog_file.vendor_country})
            entries.append(entry)
    return Catalog(entries)
