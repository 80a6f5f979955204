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
    uncertain: str | None = None


class LicensingData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdictions: dict[str, LicenceTerms]


@cache
def _data() -> LicensingData:
    return load_model(data_dir("ledger", "licensing.yaml"), LicensingData)


def licence_terms(jurisdiction: str) -> LicenceTerms:
    return _data().jurisdictions[jurisdiction]
