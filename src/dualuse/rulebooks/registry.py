"""Loads every rulebook version and scenario shipped with the package, once."""

from __future__ import annotations

from functools import cache

from dualuse.datafiles import data_dir, load_model, yaml_files
from dualuse.errors import DataError, InputError, UnknownId
from dualuse.rulebooks.models import RulebookVersion, Scenario


class Registry:
    def __init__(self, versions: list[RulebookVersion], scenarios: list[Scenario]) -> None:
        self._versions: dict[str, RulebookVersion] = {}
        for version in sorted(versions, key=lambda v: (v.effective, v.id)):
            if version.id in self._versions:
                raise DataError(f"rulebooks: duplicate id {version.id}")
            self._versions[version.id] = version
        self._scenarios = {s.id: s for s in scenarios}
        for scenario in scenarios:
            self._check_scenario(scenario)

    def _check_scenario(self, scenario: Scenario) -> None:
        for version_id in scenario.activates:
            if version_id not in self._versions:
                raise DataError(f"scenario {scenario.id}: activates unknown {version_id}")
        defined = {
            key
            for v in self._versions.values()
            if v.jurisdiction == scenario.jurisdiction
            for key in v.provisions
        } | set(scenario.provisions)
        for path in scenario.patch:
            if path.split(".")[0] not in defined:
                raise DataError(f"scenario {scenario.id}: patches unknown provision {path}")

    def versions(self, jurisdiction: str | None = None) -> list[RulebookVersion]:
        return [
            v
            for v in self._versions.values()
            if jurisdiction is None or v.jurisdiction == jurisdiction
        ]

    def scenarios(self, jurisdiction: str | None = None) -> list[Scenario]:
        return [
            s
            for s in self._scenarios.values()
            if jurisdiction is None or s.jurisdiction == jurisdiction
        ]

    def jurisdictions(self) -> list[str]:
        return sorted({v.jurisdiction for v in self._versions.values()})

    def version(self, version_id: str) -> RulebookVersion:
        try:
            return self._versions[version_id]
        except KeyError:
            raise self._unknown("rulebook", version_id) from None

    def scenario(self, scenario_id: str) -> Scenario:
        try:
            return self._scenarios[scenario_id]
        except KeyError:
            raise self._unknown("scenario", scenario_id) from None

    def get(self, any_id: str) -> RulebookVersion | Scenario:
        """A version or scenario by id; :class:`UnknownId` if neither exists."""
        if any_id in self._scenarios:
            return self._scenarios[any_id]
        try:
            return self.version(any_id)
        except InputError as exc:
            raise UnknownId(exc.problems) from None

    def _unknown(self, field: str, value: str) -> InputError:
        import difflib

        known = list(self._versions) + list(self._scenarios)
        return InputError.single(
            field, value, f"unknown {field} id", difflib.get_close_matches(value, known, n=3)
        )


@cache
def load_registry() -> Registry:
    root = data_dir("rulebooks", "data")
    versions: list[RulebookVersion] = []
    scenarios: list[Scenario] = []
    # data/<jurisdiction>/*.yaml are versions; data/scenarios/*.yaml are overlays.
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for node in yaml_files(folder):
            if folder.name == "scenarios":
                scenarios.append(load_model(node, Scenario))
            else:
                versions.append(load_model(node, RulebookVersion))
    return Registry(versions, scenarios)
