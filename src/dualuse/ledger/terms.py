"""What each jurisdiction's law says about licences the ledger holds: citations and terms.

Loaded once from ``licensing.yaml``; every entry carries its source.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from dualuse.datafiles import data_dir, load_model


class LicenceTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citation: str = Field(description="Where the law says a licence authorises only its terms.")
    sources: list[str] = Field(min_length=1)
    validity: str | None = Field(default=None, description="How long licences run, in words.")
    validity_citation: str | None = None
    records_years: int | None = Field(default=None, description="Record retention, in years.")
    records_citation: str | None = None
    value_tolerance: float | None = Field(
        default=None, ge=0, description="Share over the licence value a shipment may reach."
    )
    value_tolerance_citation: str | None = None
    value_tolerance_sources: list[str] = Field(default_factory=list)
    uncertain: str | None = None

    def describe(self) -> dict[str, object]:
        """The terms as a reader of a licence wants them next to it."""
        return {
            k: v
            for k, v in {
                "citation": self.citation,
                "validity": self.validity,
                "records": self.records_citation,
                "uncertain": self.uncertain,
                "sources": self.sources,
            }.items()
            if v
        }


class LicensingData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdictions: dict[str, LicenceTerms]


@cache
def _data() -> LicensingData:
    return load_model(data_dir("ledger", "licensing.yaml"), LicensingData)


def licence_terms(jurisdiction: str) -> LicenceTerms:
    return _data().jurisdictions[jurisdiction]
