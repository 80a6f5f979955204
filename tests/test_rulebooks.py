"""As-of resolution of the US rulebook versions, modes and scenario overlays.

Dates and statuses come from us-rules.md section 1 (master timeline) and section 8.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dualuse.contract import Mode
from dualuse.rulebooks import load_registry, resolve
from dualuse.rulebooks.models import Source, Status
from dualuse.rulebooks.resolver import version_state

D = dt.date


def ids(day: dt.date, mode: Mode = Mode.enforced, scenario: str | None = None) -> list[str]:
    return resolve("us", day, mode, scenario).rulebook_ids


def test_required_versions_exist() -> None:
    registry = load_registry()
    for version_id in (
        "us-2022-10-acsi",
        "us-2023-01-macau",
        "us-2023-10-acs",
        "us-2024-04-aca",
        "us-2024-12-hbm",
        "us-2025-01-aid",
        "us-2025-04-h20",
        "us-2026-01-h200",
    ):
        registry.version(version_id)
    for scenario_id in ("us-lpp-500", "us-bilateral-2025", "us-draft-2026-03"):
        assert registry.scenario(scenario_id).hypothetical


@pytest.mark.parametrize(
    ("version_id", "effective"),
    [
        ("us-2022-10-acsi", D(2022, 10, 7)),  # 87 FR 62186
        ("us-2023-01-macau", D(2023, 1, 17)),  # 88 FR 2821
        ("us-2023-10-acs", D(2023, 11, 17)),  # 88 FR 73458
        ("us-2024-04-aca", D(2024, 4, 4)),  # 89 FR 23876
        ("us-2024-12-hbm", D(2024, 12, 2)),  # 89 FR 96790
        ("us-2025-01-aid", D(2025, 1, 13)),  # 90 FR 4544
        ("us-2025-04-h20", D(2025, 4, 9)),  # NVIDIA 8-K
        ("us-2026-01-h200", D(2026, 1, 15)),  # 91 FR 1684
    ],
)
def test_effective_dates(version_id: str, effective: dt.date) -> None:
    version = load_registry().version(version_id)
    assert version.effective == effective
    assert version_id not in ids(effective - dt.timedelta(days=1), Mode.codified)
    assert version_id in ids(effective, Mode.codified)


def test_ai_diffusion_compliance_and_non_enforcement() -> None:
    # 90 FR 4544: compliance 2025-05-15; BIS press release 2025-05-13: not enforced.
    version = load_registry().version("us-2025-01-aid")
    assert version.compliance == D(2025, 5, 15)
    assert version_state(version, D(2025, 5, 12), Mode.enforced).applies
    assert not version_state(version, D(2025, 5, 13), Mode.enforced).applies
    assert version_state(version, D(2026, 11, 24), Mode.codified).applies
    # The framework's provisions bind only from the compliance date.
    before = resolve("us", D(2025, 5, 14), Mode.codified)
    assert before.provision("lpp") is None
    after = resolve("us", D(2025, 5, 15), Mode.codified)
    assert after.provision("lpp") is not None
    assert after.provision("lpp").get("consignee_annual_tpp_limit") == 26_900_000  # type: ignore[union-attr]


def test_enforced_mode_warns_about_the_non_enforced_framework() -> None:
    rules = resolve("us", D(2025, 6, 1), Mode.enforced)
    assert "us-2025-01-aid" not in rules.rulebook_ids
    notice = next(n for n in rules.notices if n.code == "rulebook.not_enforced")
    assert "B-337935" in notice.params["note"]  # the GAO decision belongs in the warning
    codified = resolve("us", D(2025, 6, 1), Mode.codified)
    assert any(n.code == "rulebook.codified_not_enforced" for n in codified.notices)


def test_later_version_replaces_a_provision() -> None:
    oct2022 = resolve("us", D(2023, 11, 16)).provision("eccn_3a090")
    oct2023 = resolve("us", D(2023, 11, 17)).provision("eccn_3a090")
    assert oct2022 is not None and oct2022.origin_id == "us-2022-10-acsi"
    assert oct2023 is not None and oct2023.origin_id == "us-2023-10-acs"


def test_macau_added_2023_01_17() -> None:
    # 88 FR 2821.
    before = resolve("us", D(2023, 1, 16)).provision("destinations")
    after = resolve("us", D(2023, 1, 17)).provision("destinations")
    assert before is not None and "MO" not in before.get("countries")
    assert after is not None and "MO" in after.get("countries")


def test_scenario_overlay_patches_lpp_and_is_hypothetical() -> None:
    rules = resolve("us", D(2025, 6, 1), Mode.enforced, "us-lpp-500")
    lpp = rules.provision("lpp")
    assert lpp is not None
    assert lpp.parameter("consignee_annual_tpp_limit").unit == "h100e"
    assert lpp.get("consignee_annual_tpp_limit") == 500
    # Unpatched parameters keep their own act's source.
    assert "740.29" in lpp.source("reporting").label()
    assert rules.hypothetical and "us-lpp-500" in rules.rulebook_ids
    assert any(n.code == "scenario.hypothetical" for n in rules.notices)


def test_scenario_before_its_date_changes_nothing() -> None:
    rules = resolve("us", D(2024, 6, 1), Mode.enforced, "us-lpp-500")
    assert rules.scenario is None
    assert any(n.code == "scenario.not_yet" for n in rules.notices)


def test_bilateral_scenario_replaces_tiers() -> None:
    rules = resolve("us", D(2025, 9, 1), Mode.codified, "us-bilateral-2025")
    assert rules.provision("tiers") is None
    assert rules.provision("bilateral_agreements") is not None


def test_every_parameter_has_a_resolvable_source() -> None:
    registry = load_registry()
    for version in registry.versions():
        for provision in version.provisions.values():
            for parameter in provision.parameters.values():
                assert isinstance(version.source(parameter.source), Source)
    for scenario in registry.scenarios():
        for parameter in scenario.patch.values():
            assert isinstance(scenario.source(parameter.source), Source)


def test_status_history_starts_with_in_force() -> None:
    for version in load_registry().versions():
        assert version.status[0].status is Status.in_force
        assert version.status[0].from_ == version.effective
