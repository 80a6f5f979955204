"""No rendered message, in either language, shows a Python value instead of words.

Every case file's transaction is decided in English and in Korean; a message containing
"None" (a missing value formatted into a template) is a defect the reader would see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dualuse.cases import iter_case_files, load_case
from dualuse.contract import CaseFile, Determination, Language
from dualuse.engine import determine

from .conftest import CASES

TRANSACTIONS = [p for p in iter_case_files(CASES) if isinstance(load_case(p), CaseFile)]
PLACEHOLDER = re.compile(r"\bNone\b|\{[a-z_]+\}")


def _messages(det: Determination) -> list[str]:
    found = [w.message for w in det.warnings]
    for j in det.jurisdictions:
        found += [r.message for r in j.reasons] + [o.message for o in j.obligations]
        found += [r.message for i in j.items for r in i.reasons]
    return found


@pytest.mark.parametrize("language", [Language.en, Language.ko])
def test_no_message_shows_none_or_a_placeholder(language: Language) -> None:
    bad: list[str] = []
    for path in TRANSACTIONS:
        case = load_case(path)
        assert isinstance(case, CaseFile)
        tx = case.transaction.model_copy(update={"language": language})
        for message in _messages(determine(tx)):
            if PLACEHOLDER.search(message):
                bad.append(f"{Path(path).name}: {message}")
    assert not bad, "\n".join(bad[:20])
