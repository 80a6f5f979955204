"""A licence an authority has granted, as the ledger keeps it.

Like the licence masters of the trade-compliance suites, a licence is a record with
limits (units, value, TPP) that shipments draw down, valid between two dates, for named
control codes, destinations and parties. Its balances are ledger accounts, so a licence
is drawn, released and audited exactly like a quota.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dualuse.contract import CountryCode, problems_from
from dualuse.errors import FieldProblem, InputError
from dualuse.geo.countries import is_country, suggest_codes
from dualuse.ledger.identity import party_aliases

Measure = Literal["units", "usd", "tpp"]
MEASURES: tuple[Measure, ...] = ("units", "usd", "tpp")


class LicensedParty(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    country: CountryCode
    role: Literal["consignee", "end_user", "purchaser"] = "consignee"
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="Registry identifiers, scheme to value."
    )

    @property
    def aliases(self) -> tuple[str, ...]:
        return party_aliases(self.name, self.country, self.identifiers)


class Licence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdiction: Literal["us", "cn", "jp", "nl", "kr"]
    authority: str = Field(min_length=1, description="e.g. BIS, MOFCOM, METI.")
    number: str = Field(min_length=1, max_length=100, pattern=r"^\S+$")
    control_codes: list[str] = Field(
        min_length=1, description="Codes licensed; `3A090` also covers `3A090.a`."
    )
    destinations: list[CountryCode] = Field(min_length=1)
    parties: list[LicensedParty] = Field(
        default_factory=list, description="Named parties; empty means the licence names none."
    )
    quantity: float | None = Field(default=None, gt=0, description="Units licensed.")
    value_usd: float | None = Field(default=None, gt=0)
    tpp: float | None = Field(default=None, gt=0, description="Total Processing Performance.")
    valid_from: dt.date
    valid_until: dt.date
    conditions: list[str] = Field(default_factory=list, description="Conditions on its face.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Licence:
        if self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until {self.valid_until} is before valid_from {self.valid_from}"
            )
        return self

    @property
    def key(self) -> str:
        return f"{self.jurisdiction}:{self.number}"

    def limit(self, measure: Measure) -> float | None:
        return {"units": self.quantity, "usd": self.value_usd, "tpp": self.tpp}[measure]

    def account(self, measure: Measure) -> str:
        return f"licence:{self.key}:{measure}"

    def covers_code(self, code: str) -> bool:
        return any(code == c or code.startswith(c + ".") for c in self.control_codes)

    def names(self, aliases: tuple[str, ...]) -> bool:
        """The licence names this party (by folded name or any identifier), or names none."""
        return not self.parties or any(set(p.aliases) & set(aliases) for p in self.parties)


def parse_licence(data: Any, where: str = "") -> Licence:
    """A licence from a document, or every problem with it, naming field and value."""
    if not isinstance(data, dict):
        raise InputError.single(where or "licence", type(data).__name__, "expected an object")
    # Every problem at once: the model's, and country codes that are well-formed but unknown.
    prefix = f"{where}." if where else ""
    codes: list[tuple[str, object]] = []
    if isinstance(data.get("destinations"), list):
        codes += [(f"destinations[{i}]", c) for i, c in enumerate(data["destinations"])]
    if isinstance(data.get("parties"), list):
        codes += [
            (f"parties[{i}].country", p.get("country"))
            for i, p in enumerate(data["parties"])
            if isinstance(p, dict)
        ]
    problems = [
        FieldProblem(prefix + field, code, "unknown ISO 3166-1 code", tuple(suggest_codes(code)))
        for field, code in codes
        if isinstance(code, str) and len(code) == 2 and code.isupper() and not is_country(code)
    ]
    try:
        licence = Licence.model_validate(data)
    except ValidationError as exc:
        problems += problems_from(exc, where)
    if problems:
        raise InputError(problems)
    return licence
