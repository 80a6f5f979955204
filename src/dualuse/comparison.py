"""One transaction under several rule sets: the modes and scenarios side by side."""

from __future__ import annotations

from typing import Any

from dualuse.contract import Mode, Transaction
from dualuse.engine import determine
from dualuse.errors import InputError
from dualuse.rulebooks import load_registry


def compare_variants(
    tx: Transaction, modes: list[Mode], scenarios: list[str | None], field: str = "--scenario"
) -> list[dict[str, Any]]:
    """``scenarios`` starts with None (the rules in force); ``field`` names the caller's
    list of scenario ids in errors."""
    registry = load_registry()
    for index, scenario in enumerate(scenarios):
        if scenario is not None:
            try:
                registry.scenario(scenario)
            except InputError as exc:
                problem = exc.problems[0]
                raise InputError.single(
                    f"{field}[{index - 1}]", scenario, problem.message, problem.suggestions
                ) from None
    rows = []
    for scenario in scenarios:
        for mode in modes:
            variant = tx.model_copy(update={"mode": mode, "scenario": scenario})
            det = determine(variant)
            us = next((j for j in det.jurisdictions if j.jurisdiction == "us"), None)
            rows.append(
                {
                    "mode": mode.value,
                    "scenario": scenario,
                    "hypothetical": det.hypothetical,
                    "verdict": det.verdict.value,
                    "authorization": us.authorization if us else None,
                    "review_policy": us.review_policy.value if us and us.review_policy else None,
                    "quota": [q.model_dump(mode="json") for q in us.quota] if us else [],
                    "rulebooks": us.rulebooks if us else [],
                    "determination": det.model_dump(mode="json"),
                }
            )
    return rows
