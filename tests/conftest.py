"""Shared fixtures: paths to the contract and the case files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


SHARED_CONTRACT = ROOT.parent / "shared" / "contract"
VENDORED_CONTRACT = ROOT / "contract"


def contract_dir() -> Path:
    """The contract schemas: DUALUSE_CONTRACT_DIR, else the copy kept in the repository."""
    override = os.environ.get("DUALUSE_CONTRACT_DIR")
    return Path(override) if override else VENDORED_CONTRACT


@pytest.fixture(scope="session")
def contract_path() -> Path:
    path = contract_dir()
    if not (path / "transaction.schema.json").is_file():
        pytest.fail(f"contract schemas not found at {path}; set DUALUSE_CONTRACT_DIR")
    return path
