"""Classification as a service to callers: one item on a date, or across every US version."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from dualuse.catalog import load_catalog
from dualuse.contract import Classification, Item, Mode, Reason, Transaction
from dualuse.explain import render_all
from dualuse.items import facts_for
from dualuse.metrics import h100_equivalents
from dualuse.rulebooks import ResolvedRules, load_registry, resolve
from dualuse.rules.outcome import ItemClass
from dualuse.rules.us.classification import classify

CLASSIFICATION_PROVISIONS = ("eccn_3a090", "eccn_3a090c", "eccn_4a090")


class ClassificationReport(BaseModel):
    item: str
    jurisdiction: str = "us"
    date: dt.date
    mode: Mode
    scenario: str | None = None
    rulebooks: list[str]
    classification: Classification
    reasons: list[Reason]
    warnings: list[Reason] = Field(default_factory=list)


class HistoryRow(BaseModel):
    from_: dt.date | None = Field(serialization_alias="from", description="None: before any rule.")
    to: dt.date | None = Field(description="Exclusive; None: still current.")
    rulebooks: list[str]
    classification: Classification
    reasons: list[Reason]


class ClassificationHistory(BaseModel):
    item: str
    jurisdiction: str = "us"
    mode: Mode
    rows: list[HistoryRow]
    warnings: list[Reason] = Field(default_factory=list)


def item_label(item: Item) -> str:
    if item.catalog is not None:
        return item.catalog
    assert item.specs is not None
    return item.specs.name


def to_classification(result: ItemClass) -> Classification:
    return _classification(
        result.control_code,
        result.paragraphs,
        result.tpp,
        result.pd,
        result.memory_bandwidth_density,
        result.rulebook,
    )


@lru_cache(maxsize=4096)
def _classification(
    control_code: str,
    paragraphs: tuple[str, ...],
    tpp: float | None,
    pd: float | None,
    memory_bandwidth_density: float | None,
    rulebook: str | None,
) -> Classification:
    # Memoised: a catalogue item classifies the same way on every order under one
    # rulebook, and building the contract model is a visible part of a determination.
    # The shared instance is never modified (determinations are built, then serialised).
    h100e = None
    if tpp is not None:
        h100e = round(h100_equivalents(tpp, load_catalog().h100_tpp), 4)
    return Classification(
        control_code=control_code,
        tpp=None if tpp is None else round(tpp, 3),
        pd=None if pd is None else round(pd, 4),
        paragraphs=list(paragraphs),
        h100_equivalents=h100e,
        memory_bandwidth_density=(
            None if memory_bandwidth_density is None else round(memory_bandwidth_density, 4)
        ),
        rulebook=rulebook,
    )


def classify_item(
    item: Item,
    day: dt.date,
    mode: Mode = Mode.enforced,
    scenario: str | None = None,
    language: str = "en",
) -> ClassificationReport:
    rules = resolve("us", day, mode, scenario)
    result = classify(facts_for(item), rules)
    return ClassificationReport(
        item=item_label(item),
        date=day,
        mode=mode,
        scenario=scenario,
        rulebooks=rules.rulebook_ids,
        classification=to_classification(result),
        reasons=render_all(result.reasons, language),
        warnings=render_all([*rules.notices, *result.warnings], language),
    )


def classify_order(tx: Transaction) -> list[ClassificationReport]:
    return [
        classify_item(item, tx.date, tx.mode, tx.scenario, tx.language.value) for item in tx.items
    ]


def classification_rulebooks(rules: ResolvedRules) -> list[str]:
    """The acts whose classification provisions are in force under ``rules``."""
    origins = {
        active.origin_id
        for key in CLASSIFICATION_PROVISIONS
        if (active := rules.provision(key)) is not None
    }
    return [v for v in rules.rulebook_ids if v in origins]


def change_dates(mode: Mode) -> list[dt.date]:
    """Dates on which a US classification provision starts to apply (in any version)."""
    dates = set()
    for version in load_registry().versions("us"):
        for key, provision in version.provisions.items():
            if key in CLASSIFICATION_PROVISIONS:
                dates.add(provision.applies_from or version.effective)
    return sorted(dates)


def classification_history(
    item: Item, mode: Mode = Mode.enforced, language: str = "en"
) -> ClassificationHistory:
    """The item's classification under every US version, one row per change."""
    facts = facts_for(item)
    starts = change_dates(mode)
    rows: list[HistoryRow] = []
    warnings: list[Any] = []
    points: list[dt.date | None] = [None, *starts]
    for i, start in enumerate(points):
        day = start or (starts[0] - dt.timedelta(days=1))
        rules = resolve("us", day, mode)
        result = classify(facts, rules)
        warnings.extend(result.warnings)
        classification = to_classification(result)
        if rows and rows[-1].classification == classification:
            continue
        if rows:
            rows[-1].to = start
        rows.append(
            HistoryRow(
                from_=start,
                to=None if i == len(points) - 1 else points[i + 1],
                rulebooks=classification_rulebooks(rules),
                classification=classification,
                reasons=render_all(result.reasons, language),
            )
        )
    if rows:
        rows[-1].to = None
    return ClassificationHistory(
        item=item_label(item), mode=mode, rows=rows, warnings=render_all(warnings, language)
    )
