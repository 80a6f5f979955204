"""How an item was produced, as the foreign-direct-product and de minimis rules ask it.

The rules ask three things of a foreign-made item: is it a direct product of US-origin
technology or software (the product prong), was it made by a plant that is one (the plant
prong), and how much controlled US-origin content does it hold (de minimis). A caller who
knows says so on the item; otherwise each vendor's documented default applies, with its
source, and the answer says a default was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from pydantic import BaseModel, ConfigDict

from dualuse.catalog.models import SourceRef
from dualuse.contract import Item
from dualuse.datafiles import data_dir, load_model
from dualuse.explain.notice import Notice
from dualuse.items import ItemFacts, vendor_of


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourcedFlag(_Strict):
    value: bool
    source: SourceRef
    note: str | None = None
    uncertain: str | None = None


class VendorProduction(_Strict):
    """What is publicly known of how one vendor's items are designed and made."""

    name: str
    us_technology: SourcedFlag | None = None
    us_tools: SourcedFlag | None = None


class ProductionFile(_Strict):
    vendors: dict[str, VendorProduction]


@cache
def load_production() -> ProductionFile:
    return load_model(data_dir("reach").joinpath("production.yaml"), ProductionFile)


@dataclass(frozen=True, slots=True)
class ProductionFacts:
    """The answers the reach step uses, each either given by the caller or defaulted."""

    us_technology: bool | None
    us_tools: bool | None
    us_content_percent: float | None
    defaults: tuple[Notice, ...] = ()
    """One warning per default taken from the vendor's data, naming its source."""

    @property
    def direct_product(self) -> bool:
        return bool(self.us_technology or self.us_tools)

    @property
    def prongs(self) -> list[str]:
        found = []
        if self.us_technology:
            found.append("product")
        if self.us_tools:
            found.append("plant")
        return found


@cache
def _vendor_defaults(vendor: str | None) -> VendorProduction | None:
    if vendor is None:
        return None
    return load_production().vendors.get(vendor.casefold())


def production_facts(item: Item, facts: ItemFacts) -> ProductionFacts:
    """The item's production facts: the caller's where given, else its vendor's default."""
    return _production(
        facts.label, vendor_of(facts), item.us_technology, item.us_tools, item.us_content_percent
    )


@lru_cache(maxsize=4096)
def _production(
    label: str,
    vendor_slug: str | None,
    technology: bool | None,
    tools: bool | None,
    content: float | None,
) -> ProductionFacts:
    # The same item recurs on order after order; its facts and default warnings are built
    # once (both are immutable).
    vendor = _vendor_defaults(vendor_slug)
    defaults: list[Notice] = []

    def flag(given: bool | None, name: str) -> bool | None:
        if given is not None:
            return given
        default: SourcedFlag | None = getattr(vendor, name) if vendor else None
        if default is None:
            return None
        assert vendor is not None
        defaults.append(
            Notice(
                "us.reach.vendor_default",
                {
                    "item": label,
                    "fact": name,
                    "value": "fact_true" if default.value else "fact_false",
                    "vendor": vendor.name,
                    "note": default.note or "",
                    "doubt": default.uncertain or "",
                },
                str(default.source.url),
            )
        )
        return default.value

    return ProductionFacts(
        flag(technology, "us_technology"), flag(tools, "us_tools"), content, tuple(defaults)
    )
