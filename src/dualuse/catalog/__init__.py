"""The item catalog: accelerators, systems and HBM stacks with sourced specs."""

from dualuse.catalog.loader import Catalog, load_catalog
from dualuse.catalog.models import CatalogEntry, HbmEntry, IcEntry, SystemEntry

__all__ = ["Catalog", "CatalogEntry", "HbmEntry", "IcEntry", "SystemEntry", "load_catalog"]
