"""Runs every case file under tests/cases: expected answers come from the law, cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.cases import iter_case_files, load_case, run_case

from .conftest import CASES

CASE_FILES = list(iter_case_files(CASES))
SOURCE_MARKERS = (
    "FR",
    "CFR",
    "http",
    "MOFCOM",
    "GAO",
    "Decree No.",
    "CAC",
    "FEFTA",
    "Stcrt.",
    "Staatscourant",
    "H.R.",
    "Regulation (EU)",
)


def test_there_are_cases() -> None:
    assert len(CASE_FILES) >= 25


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(CASES)) for p in CASE_FILES])
def test_case(path: Path) -> None:
    result = run_case(path)
    assert result.passed, f"{result.case.name} ({result.case.source}):\n" + "\n".join(
        result.mismatches
    )


@pytest.mark.parametrize("path", CASE_FILES, ids=[str(p.relative_to(CASES)) for p in CASE_FILES])
def test_case_cites_a_source(path: Path) -> None:
    case = load_case(path)
    # A source must point somewhere checkable: a Federal Register or CFR cite, a named
    # foreign instrument, a bill, or a URL.
    assert any(marker in case.source for marker in SOURCE_MARKERS), case.source
