"""CHIPS Act national-security guardrails (15 CFR part 231): may a recipient expand there?

A question, not a shipment: a CHIPS-funded company plans capacity in a country on a date.
Within ten years of the award, expanding in a foreign country of concern beyond the
material-expansion limits (5 % for leading-edge facilities, 10 % for legacy ones; a new
leading-edge facility at all; a new legacy facility unless it predominantly serves that
country's market) is prohibited on pain of clawback. Parameters come from the rulebook.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dualuse.contract import CountryCode, Language, Mode, Reason, problems_from
from dualuse.errors import InputError
from dualuse.explain import Notice, render_all
from dualuse.geo.countries import is_country, suggest_codes
from dualuse.rulebooks import ActiveProvision, resolve


class GuardrailVerdict(StrEnum):
    allowed = "allowed"
    prohibited = "prohibited"


class ExpansionQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date = Field(description="Date of the planned transaction.")
    company: str = Field(min_length=1)
    award_date: dt.date
    country: CountryCode = Field(description="Where the capacity would be added.")
    facility: Literal["leading_edge", "legacy"]
    new_facility: bool = False
    existing_capacity: float = Field(ge=0, description="As recorded in the award agreement.")
    added_capacity: float = Field(ge=0)
    serves_domestic_market: bool | None = Field(
        default=None, description="A new legacy facility predominantly serves that market."
    )
    value_usd: float | None = Field(default=None, ge=0)
    language: Language = Language.en

    @model_validator(mode="after")
    def _consistent(self) -> ExpansionQuestion:
        if not self.new_facility and self.existing_capacity <= 0:
            raise ValueError("an existing facility needs existing_capacity above 0")
        if self.award_date > self.date:
            raise ValueError("award_date is after the planned transaction date")
        return self


class GuardrailDetermination(BaseModel):
    company: str
    date: dt.date
    verdict: GuardrailVerdict
    increase: float | None = Field(description="Added capacity as a share of existing capacity.")
    limit: float | None = None
    rulebook: str | None = None
    reasons: list[Reason]
    warnings: list[Reason] = Field(default_factory=list)


def parse_question(data: Any, where: str = "") -> ExpansionQuestion:
    if not isinstance(data, dict):
        raise InputError.single(where or "question", type(data).__name__, "expected an object")
    try:
        question = ExpansionQuestion.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, where)) from None
    if not is_country(question.country):
        field = f"{where}.country" if where else "country"
        raise InputError.single(
            field, question.country, "unknown ISO 3166-1 code", suggest_codes(question.country)
        )
    return question


def decide(q: ExpansionQuestion) -> GuardrailDetermination:
    rules = resolve("us", q.date, Mode.enforced)
    p = rules.provision("chips_guardrails")
    values: dict[str, Any] = {"company": q.company, "country": q.country, "date": q.date}
    if p is None:
        reason = Notice("chips.not_in_force", values, None)
        return _result(q, GuardrailVerdict.allowed, None, None, None, [reason], [])
    increase = None if q.new_facility else q.added_capacity / q.existing_capacity
    verdict, limit, reasons = _assess(q, p, values, increase)
    warnings = [*p.uncertainty("significant_transaction_usd"), *p.act_uncertainty()]
    return _result(q, verdict, increase, limit, p.origin_id, reasons, warnings)


def _assess(
    q: ExpansionQuestion, p: ActiveProvision, values: dict[str, Any], increase: float | None
) -> tuple[GuardrailVerdict, float | None, list[Notice]]:
    if q.country not in p.get("countries_of_concern"):
        return (
            GuardrailVerdict.allowed,
            None,
            [Notice("chips.not_country_of_concern", values, p.citation)],
        )
    years = p.get("clawback_years")
    period = {**values, "years": years, "ends": _add_years(q.award_date, years)}
    if q.date >= period["ends"]:
        return GuardrailVerdict.allowed, None, [Notice("chips.after_period", period, p.citation)]
    verdict, limit, reason = _expansion(q, p, increase)
    return verdict, limit, [Notice("chips.within_period", period, p.citation), reason]


def _expansion(
    q: ExpansionQuestion, p: ActiveProvision, increase: float | None
) -> tuple[GuardrailVerdict, float | None, Notice]:
    cite = p.citation
    leading = q.facility == "leading_edge"
    if q.new_facility:
        if leading and p.get("new_facility_included"):
            return GuardrailVerdict.prohibited, None, Notice("chips.new_leading_edge", {}, cite)
        if p.get("legacy_new_facility_domestic_market_exception") and q.serves_domestic_market:
            return GuardrailVerdict.allowed, None, Notice("chips.new_legacy_domestic", {}, cite)
        return GuardrailVerdict.prohibited, None, Notice("chips.new_legacy_export", {}, cite)
    assert increase is not None  # an existing facility has capacity above 0 (validated)
    limit = p.get("leading_edge_max_increase" if leading else "legacy_max_increase")
    values = {
        "increase": round(increase * 100, 2),
        "limit": round(limit * 100, 2),
        "facility": q.facility,
    }
    if increase > limit:
        return GuardrailVerdict.prohibited, limit, Notice("chips.material_expansion", values, cite)
    return GuardrailVerdict.allowed, limit, Notice("chips.within_limit", values, cite)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _result(
    q: ExpansionQuestion,
    verdict: GuardrailVerdict,
    increase: float | None,
    limit: float | None,
    rulebook: str | None,
    reasons: list[Notice],
    warnings: list[Notice],
) -> GuardrailDetermination:
    language = q.language.value
    return GuardrailDetermination(
        company=q.company,
        date=q.date,
        verdict=verdict,
        increase=None if increase is None else round(increase, 6),
        limit=limit,
        rulebook=rulebook,
        reasons=render_all(reasons, language),
        warnings=render_all(warnings, language),
    )
