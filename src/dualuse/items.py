"""Item facts: what the rules read about an item, whether it comes from the catalog or inline.

Facts are jurisdiction-neutral: computed metrics (TPP, PD, bandwidth density) plus the
warnings the catalog attaches to the values they rest on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dualuse.catalog import (
    CatalogEntry,
    EquipmentEntry,
    HbmEntry,
    IcEntry,
    MaterialEntry,
    SystemEntry,
    load_catalog,
)
from dualuse.contract import (
    Component,
    EquipmentSpecs,
    HbmSpecs,
    IcSpecs,
    Item,
    MaterialSpecs,
    MemorySpecs,
    ModelWeightsSpecs,
    Specs,
)
from dualuse.explain.notice import Notice
from dualuse.metrics import Tpp, memory_bandwidth_density, performance_density, tpp


@dataclass(frozen=True, slots=True)
class IcFacts:
    label: str
    tpp: Tpp | None
    pd: float | None
    die_area_mm2: float | None
    datacenter: bool
    interconnect_gbs: float | None
    memory_bandwidth_gbs: float | None
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None

    @property
    def peak(self) -> float | None:
        return None if self.tpp is None else self.tpp.value / self.tpp.bit_length


@dataclass(frozen=True, slots=True)
class SystemFacts:
    label: str
    components: tuple[tuple[IcFacts, int], ...]
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None

    @property
    def tpp_total(self) -> float | None:
        """Sum of the TPP of every IC inside (how LPP counts a server)."""
        total = 0.0
        for ic, count in self.components:
            if ic.tpp is None:
                return None
            total += ic.tpp.value * count
        return total


@dataclass(frozen=True, slots=True)
class HbmFacts:
    label: str
    bandwidth_gbs: float
    area_mm2: float
    density: float
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None


@dataclass(frozen=True, slots=True)
class MaterialFacts:
    label: str
    substance: str
    form: str | None
    customs_codes: tuple[str, ...] = ()
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None
    vendor: str | None = None


@dataclass(frozen=True, slots=True)
class EquipmentFacts:
    label: str
    process: str
    technology: str
    model: str | None
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None
    vendor: str | None = None


@dataclass(frozen=True, slots=True)
class MemoryFacts:
    label: str
    memory_type: str
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None
    vendor: str | None = None


@dataclass(frozen=True, slots=True)
class WeightsFacts:
    label: str
    training_operations: float
    published: bool
    warnings: tuple[Notice, ...] = ()
    design_country: str | None = None
    catalog_id: str | None = None
    vendor: str | None = None


ItemFacts = (
    IcFacts | SystemFacts | HbmFacts | MaterialFacts | EquipmentFacts | MemoryFacts | WeightsFacts
)


def vendor_of(facts: ItemFacts) -> str | None:
    """Who makes the item: the inline vendor, else the catalog id's vendor part."""
    vendor = getattr(facts, "vendor", None)
    if vendor:
        return str(vendor)
    if facts.catalog_id is not None:
        return facts.catalog_id.split("/", 1)[0]
    return None


def facts_for(item: Item) -> ItemFacts:
    if item.catalog is not None:
        return catalog_facts(item.catalog)
    assert item.specs is not None  # the contract guarantees one of the two
    return specs_facts(item.specs)


@cache
def catalog_facts(item_id: str) -> ItemFacts:
    catalog = load_catalog()
    entry = catalog.get(item_id)
    if isinstance(entry, IcEntry):
        return _entry_ic(entry)
    if isinstance(entry, SystemEntry):
        components = tuple((_as_ic(catalog_facts(c.item)), c.count) for c in entry.contains)
        return SystemFacts(
            entry.id, components, _uncertain(entry.id, entry), entry.design_country, entry.id
        )
    if isinstance(entry, MaterialEntry):
        return MaterialFacts(
            entry.id,
            entry.substance,
            entry.form,
            tuple(entry.customs_codes),
            _uncertain(entry.id, entry),
            entry.design_country,
            entry.id,
        )
    if isinstance(entry, EquipmentEntry):
        return EquipmentFacts(
            entry.id,
            entry.process,
            entry.technology,
            entry.model,
            _uncertain(entry.id, entry),
            entry.design_country,
            entry.id,
        )
    assert isinstance(entry, HbmEntry)
    warnings = _uncertain(entry.id, entry)
    return HbmFacts(
        entry.id,
        entry.memory_bandwidth_gbs,
        entry.package_area_mm2,
        memory_bandwidth_density(entry.memory_bandwidth_gbs, entry.package_area_mm2),
        warnings,
        entry.design_country,
        entry.id,
    )


def _as_ic(facts: ItemFacts) -> IcFacts:
    assert isinstance(facts, IcFacts)
    return facts


def _uncertain(label: str, entry: CatalogEntry) -> tuple[Notice, ...]:
    return tuple(
        Notice("item.uncertain", {"item": label, "field": u.field, "note": u.note})
        for u in entry.uncertain
    )


def _entry_ic(entry: IcEntry) -> IcFacts:
    metrics = load_catalog().ic_metrics(entry.id)
    warnings = list(_uncertain(entry.id, entry))
    if entry.die_area_estimate and entry.die_area_mm2 is not None:
        warnings.append(Notice("item.estimate", {"item": entry.id, "area": entry.die_area_mm2}))
    return IcFacts(
        entry.id,
        metrics.tpp,
        metrics.pd,
        entry.die_area_mm2,
        entry.datacenter,
        entry.interconnect_gbs,
        entry.memory_bandwidth_gbs,
        tuple(warnings),
        entry.design_country,
        entry.id,
    )


def specs_facts(specs: Specs) -> ItemFacts:
    if isinstance(specs, IcSpecs):
        return _inline_ic(specs)
    if isinstance(specs, MaterialSpecs):
        return MaterialFacts(specs.name, specs.substance, specs.form, vendor=specs.vendor)
    if isinstance(specs, EquipmentSpecs):
        return EquipmentFacts(
            specs.name, specs.process, specs.technology, specs.model, vendor=specs.vendor
        )
    if isinstance(specs, MemorySpecs):
        return MemoryFacts(specs.name, specs.memory_type, vendor=specs.vendor)
    if isinstance(specs, ModelWeightsSpecs):
        return WeightsFacts(specs.name, specs.training_operations, specs.published)
    if isinstance(specs, HbmSpecs):
        density = memory_bandwidth_density(specs.memory_bandwidth_gbs, specs.package_area_mm2)
        return HbmFacts(specs.name, specs.memory_bandwidth_gbs, specs.package_area_mm2, density)
    return SystemFacts(specs.name, tuple((_component(c), c.count) for c in specs.contains))


def _component(component: Component) -> IcFacts:
    if component.catalog is not None:
        return _as_ic(catalog_facts(component.catalog))
    assert component.specs is not None
    return _inline_ic(component.specs)


def _inline_ic(specs: IcSpecs) -> IcFacts:
    total = tpp(specs.tops)
    warnings: tuple[Notice, ...] = ()
    if specs.datacenter is None:
        # Note 2 is a carve-out; without evidence the item falls outside it.
        warnings = (Notice("item.datacenter_unknown", {"item": specs.name}),)
    return IcFacts(
        specs.name,
        total,
        performance_density(total.value, specs.die_area_mm2) if total else None,
        specs.die_area_mm2,
        True if specs.datacenter is None else specs.datacenter,
        specs.interconnect_gbs,
        specs.memory_bandwidth_gbs,
        warnings,
    )
