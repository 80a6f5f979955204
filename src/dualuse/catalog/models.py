"""Catalog entries: items and their sourced specs. Never verdicts, never derived metrics."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Strict):
    url: HttpUrl
    note: str | None = None


class Uncertainty(_Strict):
    """A value the reference marks as estimated, conflicting or unconfirmed."""

    field: str
    note: str


Evidence = Literal["V", "D", "E", "?"]
"""V: figures seen in a source read; D: vendor datasheet cited; E: estimate; ?: unconfirmed."""


class _Entry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9.-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    year: int | None = None
    evidence: Evidence
    sources: list[SourceRef] = Field(min_length=1)
    uncertain: list[Uncertainty] = Field(default_factory=list)
    reported_status: str | None = Field(
        default=None, description="What vendors, BIS or analysts said; informational only."
    )
    design_country: str | None = Field(
        default=None, description="Where the designer is headquartered; defaults to the file's."
    )

    @property
    def vendor_slug(self) -> str:
        return self.id.split("/", 1)[0]


class IcEntry(_Entry):
    kind: Literal["ic"]
    form: str
    datacenter: bool
    datacenter_basis: str
    dense_tops: dict[int, float] = Field(description="Dense peak per bit length (no sparsity).")
    die_area_mm2: float | None = Field(default=None, gt=0)
    die_area_estimate: bool = False
    die_note: str | None = None
    memory_type: str | None = None
    memory_capacity_gb: float | None = None
    memory_bandwidth_gbs: float | None = None
    interconnect_gbs: float | None = None
    interconnect_note: str | None = None


class Contained(_Strict):
    item: str
    count: int = Field(gt=0)


class SystemEntry(_Entry):
    kind: Literal["system"]
    form: str
    datacenter: bool
    datacenter_basis: str
    contains: list[Contained] = Field(min_length=1)


class HbmEntry(_Entry):
    kind: Literal["hbm"]
    memory_bandwidth_gbs: float = Field(gt=0)
    package_area_mm2: float = Field(gt=0)
    package_area_estimate: bool = False
    memory_type: str | None = None
    memory_capacity_gb: float | None = None


class MaterialEntry(_Entry):
    """A mineral, metal, compound or product, as China's control announcements describe it."""

    kind: Literal["material"]
    substance: str
    form: str
    description: str
    customs_codes: list[str] = Field(
        default_factory=list, description="China customs (HS-10) reference codes, if published."
    )


class EquipmentEntry(_Entry):
    """Semiconductor-manufacturing equipment, by process step and technology."""

    kind: Literal["equipment"]
    process: str
    technology: str
    model: str


CatalogEntry = Annotated[
    IcEntry | SystemEntry | HbmEntry | MaterialEntry | EquipmentEntry,
    Field(discriminator="kind"),
]


class CatalogFile(_Strict):
    vendor: str
    vendor_country: str | None = Field(
        default=None, description="ISO code of the designer's headquarters (US reach via FDP)."
    )
    vendor_country_source: SourceRef | None = None
    items: list[CatalogEntry]
