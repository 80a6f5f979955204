"""The item catalog: accelerators, systems, HBM stacks, materials and equipment, sourced."""

from dualuse.catalog.loader import Catalog, load_catalog
from dualuse.catalog.models import (
    CatalogEntry,
    EquipmentEntry,
    HbmEntry,
    IcEntry,
    MaterialEntry,
    SystemEntry,
)

__all__ = [
    "Catalog",
    "CatalogEntry",
    "EquipmentEntry",
    "HbmEntry",
    "IcEntry",
    "MaterialEntry",
    "SystemEntry",
    "load_catalog",
]
