"""Case files: a transaction, the source of the expected answer, and a partial determination.

Matching is partial, as the contract defines it: every field given in ``expect`` must
equal the determination's; others are not checked. ``jurisdictions`` in ``expect`` is a
mapping from jurisdiction id to a partial entry, and ``items`` a list in item order.
Numbers are equal within 0.1 %, the rounding of published figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from dualuse.contract import CaseFile

RELATIVE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class CaseResult:
    path: Path
    case: CaseFile | GuardrailCase
    mismatches: list[str]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def iter_case_files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml", ".json"})


class GuardrailCase(BaseModel):
    """A CHIPS-guardrails case: an expansion question instead of a transaction."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: str = Field(min_length=1)
    question: dict[str, Any]
    expect: dict[str, Any]
    expect_warnings: list[str] = Field(default_factory=list)


AnyCase = CaseFile | GuardrailCase


def load_case(path: Path) -> AnyCase:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if isinstance(data, dict) and "question" in data:
        return GuardrailCase.model_validate(data)
    return CaseFile.model_validate(data)


def _normal(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def match(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Differences between a partial expectation and an actual value (empty when it fits)."""
    expected, actual = _normal(expected), _normal(actual)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or '.'}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing (expected {value!r})")
            else:
                problems.extend(match(value, actual[key], f"{where}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        problems = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problems.extend(match(e, a, f"{where}[{i}]"))
        return problems
    numeric = (int, float)
    if isinstance(expected, numeric) and not isinstance(expected, bool):
        if (
            isinstance(actual, numeric)
            and not isinstance(actual, bool)
            and math.isclose(expected, actual, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9)
        ):
            return []
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    if expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def determination_view(determination: dict[str, Any]) -> dict[str, Any]:
    """A determination with ``jurisdictions`` keyed by id, as case files write it."""
    view = dict(determination)
    view["jurisdictions"] = {j["jurisdiction"]: j for j in determination.get("jurisdictions", [])}
    return view


def evaluate(case: AnyCase) -> dict[str, Any]:
    """The determination a case's transaction (or question) gets, in the case files' shape."""
    if isinstance(case, GuardrailCase):
        from dualuse.guardrails import decide, parse_question

        return decide(parse_question(case.question)).model_dump(mode="json")
    from dualuse.engine import determine

    return determination_view(determine(case.transaction).model_dump(mode="json"))


def missing_warnings(expected: list[str], actual: dict[str, Any]) -> list[str]:
    codes = {w["code"] for w in actual.get("warnings", [])}
    return [
        f"warnings: {code} expected, got {sorted(codes)}" for code in expected if code not in codes
    ]


def missing_citations(expected: list[str], actual: dict[str, Any]) -> list[str]:
    """Citations the case's source names that no reason or obligation carries."""
    cited = [
        reason.get("citation") or ""
        for j in actual.get("jurisdictions", {}).values()
        for group in (
            j.get("reasons", []),
            j.get("obligations", []),
            *(i.get("reasons", []) for i in j.get("items", [])),
        )
        for reason in group
    ]
    return [
        f"citations: {text!r} expected in some reason's citation"
        for text in expected
        if not any(text in c for c in cited)
    ]


def run_case(path: Path) -> CaseResult:
    case = load_case(path)
    actual = evaluate(case)
    problems = match(case.expect, actual) + missing_warnings(case.expect_warnings, actual)
    if isinstance(case, CaseFile):
        problems += missing_citations(case.expect_citations, actual)
    return CaseResult(path, case, problems)
