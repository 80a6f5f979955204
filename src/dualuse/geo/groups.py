"""Dated membership of the EAR country groups (15 CFR part 740, Supp. No. 1).

Membership is asserted from the data file's ``horizon_start``; every change inside the
horizon is dated (``from`` inclusive, ``to`` exclusive) and sourced. Hong Kong is treated
as China where the EAR does so.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from dualuse.datafiles import data_dir, load_model
from dualuse.errors import DataError
from dualuse.explain.notice import Notice
from dualuse.geo.countries import is_country


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GroupSource(_Strict):
    url: HttpUrl
    note: str | None = None


class Membership(_Strict):
    country: str
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    source: str | None = None
    uncertain: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Membership:
        if (self.from_ or self.to or self.uncertain) and not self.source:
            raise ValueError(f"{self.country}: a dated or uncertain entry needs a source")
        return self

    def covers(self, day: dt.date) -> bool:
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day < self.to)


class Group(_Strict):
    title: str
    citation: str
    sources: list[GroupSource] = Field(min_length=1)
    members: list[Membership]
    note: str | None = None


class SpecialDestination(_Strict):
    treat_as: str | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    source: str
    note: str | None = None


class GroupsFile(_Strict):
    as_of: dt.date
    horizon_start: dt.date
    groups: dict[str, Group]
    special_destinations: dict[str, SpecialDestination] = Field(default_factory=dict)


class CountryGroups:
    def __init__(self, data: GroupsFile) -> None:
        self.data = data
        for name, group in data.groups.items():
            for member in group.members:
                if not is_country(member.country):
                    raise DataError(f"country_groups: {name}: unknown ISO code {member.country}")
        self._cache: dict[tuple[str, str, dt.date], Membership | None] = {}

    @property
    def names(self) -> list[str]:
        return list(self.data.groups)

    def group(self, name: str) -> Group:
        try:
            return self.data.groups[name]
        except KeyError:
            raise DataError(f"country group {name} is not in the data") from None

    def listed_as(self, country: str, day: dt.date) -> str:
        """The code the group lists are read under (Hong Kong reads as China)."""
        special = self.data.special_destinations.get(country)
        if special and special.treat_as and (special.from_ is None or special.from_ <= day):
            return special.treat_as
        return country

    def membership(self, group: str, country: str, day: dt.date) -> Membership | None:
        key = (group, country, day)
        if key not in self._cache:
            code = self.listed_as(country, day)
            self._cache[key] = next(
                (m for m in self.group(group).members if m.country == code and m.covers(day)), None
            )
        return self._cache[key]

    def is_member(self, group: str, country: str, day: dt.date) -> bool:
        return self.membership(group, country, day) is not None

    def in_any(self, groups: list[str], country: str, day: dt.date) -> list[str]:
        return [g for g in groups if self.is_member(g, country, day)]

    def groups_of(self, country: str, day: dt.date) -> list[str]:
        return [g for g in self.data.groups if self.is_member(g, country, day)]

    def members(self, group: str, day: dt.date) -> list[str]:
        return sorted({m.country for m in self.group(group).members if m.covers(day)})

    def notices(self, groups: list[str], country: str, day: dt.date) -> list[Notice]:
        """Warnings for uncertain memberships the answer relied on, and for the horizon."""
        out = []
        for group in groups:
            member = self.membership(group, country, day)
            if member is not None and member.uncertain:
                out.append(
                    Notice(
                        "country_group.uncertain",
                        {"country": country, "group": group, "note": member.uncertain},
                        self.group(group).citation,
                    )
                )
        if day < self.data.horizon_start:
            out.append(
                Notice(
                    "country_group.before_horizon",
                    {"date": day, "horizon": self.data.horizon_start},
                    "15 CFR part 740, Supp. No. 1",
                )
            )
        return out


@cache
def load_country_groups() -> CountryGroups:
    return CountryGroups(load_model(data_dir("geo", "data", "country_groups.yaml"), GroupsFile))
