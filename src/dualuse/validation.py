"""Checks that need the shipped data: country codes, catalog ids, scenarios, jurisdictions."""

from __future__ import annotations

from typing import Any

from dualuse.catalog import IcEntry, load_catalog
from dualuse.contract import IcSpecs, SystemSpecs, Transaction
from dualuse.errors import FieldProblem, InputError
from dualuse.geo.countries import is_country, suggest_codes
from dualuse.rulebooks import load_registry


def _at(where: str, path: str) -> str:
    return f"{where}.{path}" if where else path


_PARTY_COUNTRIES = ("country", "headquarters", "parent_headquarters")


def _unknown_country(path: str, code: str) -> FieldProblem:
    return FieldProblem(
        path, code, "unknown ISO 3166-1 alpha-2 country code", tuple(suggest_codes(code))
    )


def check_references(tx: Transaction, where: str = "") -> None:
    """Raise :class:`InputError` listing every unknown code or id in ``tx``."""
    problems: list[FieldProblem] = []

    def country(path: str, code: str | None) -> None:
        if code is not None and not is_country(code):
            problems.append(_unknown_country(_at(where, path), code))

    country("ship_from", tx.ship_from)
    country("destination", tx.destination)
    for role, party in tx.parties.named():
        for attr in _PARTY_COUNTRIES:
            code = getattr(party, attr)
            if code is not None and not is_country(code):  # the path is built only to report
                problems.append(_unknown_country(_at(where, f"parties.{role}.{attr}"), code))

    catalog = load_catalog()

    def catalog_id(path: str, text: str) -> None:
        entry = catalog.find(text)
        if entry is None:
            problems.append(
                FieldProblem(
                    _at(where, path), text, "unknown catalog id", tuple(catalog.suggest(text))
                )
            )
        elif entry.id != text:
            problems.append(
                FieldProblem(_at(where, path), text, "not a catalog id; use the id", (entry.id,))
            )
        elif ".contains[" in path and not isinstance(entry, IcEntry):
            problems.append(FieldProblem(_at(where, path), text, "a system may contain only ICs"))

    for i, item in enumerate(tx.items):
        country(f"items[{i}].origin", item.origin)
        if item.catalog is not None:
            catalog_id(f"items[{i}].catalog", item.catalog)
        elif isinstance(item.specs, SystemSpecs):
            for j, part in enumerate(item.specs.contains):
                if part.catalog is not None:
                    catalog_id(f"items[{i}].specs.contains[{j}].catalog", part.catalog)
        elif isinstance(item.specs, IcSpecs) and item.unit not in ("units", "unit", "pcs"):
            problems.append(
                FieldProblem(_at(where, f"items[{i}].unit"), item.unit, "ICs are counted in units")
            )

    registry = load_registry()
    if tx.scenario is not None:
        try:
            registry.scenario(tx.scenario)
        except InputError as exc:
            problems.extend(
                FieldProblem(_at(where, "scenario"), p.value, p.message, p.suggestions)
                for p in exc.problems
            )
    if tx.jurisdictions is not None:
        known = registry.jurisdictions()
        for k, code in enumerate(tx.jurisdictions):
            if code not in known:
                problems.append(
                    FieldProblem(
                        _at(where, f"jurisdictions[{k}]"),
                        code,
                        "unknown jurisdiction; known: " + ", ".join(known),
                    )
                )
    if problems:
        raise InputError(problems)


def raw_country_problems(data: dict[str, Any], where: str = "") -> list[FieldProblem]:
    """Unknown country codes in unvalidated input, so they are reported with other errors."""
    problems = []
    for name in ("ship_from", "destination"):
        code = data.get(name)
        if isinstance(code, str) and len(code) == 2 and code.isupper() and not is_country(code):
            problems.append(_unknown_country(_at(where, name), code))
    return problems


def raw_reference_problems(data: dict[str, Any], where: str = "") -> list[FieldProblem]:
    """Unknown catalog ids and scenarios in unvalidated input, so that they are reported
    together with the input's other errors, each with the closest suggestions."""
    problems = raw_country_problems(data, where)
    items = data.get("items")
    if isinstance(items, list):
        catalog = load_catalog()
        for i, item in enumerate(items):
            text = item.get("catalog") if isinstance(item, dict) else None
            if isinstance(text, str) and catalog.find(text) is None:
                problems.append(
                    FieldProblem(
                        _at(where, f"items[{i}].catalog"),
                        text,
                        "unknown catalog id",
                        tuple(catalog.suggest(text)),
                    )
                )
    scenario = data.get("scenario")
    if isinstance(scenario, str):
        try:
            load_registry().scenario(scenario)
        except InputError as exc:
            problems.extend(
                FieldProblem(_at(where, "scenario"), p.value, p.message, p.suggestions)
                for p in exc.problems
            )
    return problems
