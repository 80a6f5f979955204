"""Shared fixtures: paths to the contract and the case files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


def contract_dir() -> Path:
    """The shared contract folder beside the checkout (DUALUSE_CONTRACT_DIR overrides)."""
    override = os.environ.get("DUALUSE_CONTRACT_DIR")
    if override:
        return Path(override)
    return ROOT.parent / "shared" / "contract"


@pytest.fixture(scope="session")
def contract_path() -> Path:
    path = contract_dir()
    if not (path / "transaction.schema.json").is_file():
        pytest.fail(f"contract schemas not found at {path}; set DUALUSE_CONTRACT_DIR")
    return path
