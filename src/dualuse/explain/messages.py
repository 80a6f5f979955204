"""Renders :class:`Notice` objects from the one message catalogue (``messages.yaml``)."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable
from functools import cache
from typing import Any

from dualuse.contract import Reason
from dualuse.datafiles import data_dir, load_yaml
from dualuse.errors import DataError
from dualuse.explain.notice import Notice, NoticeKey
from dualuse.memo import BoundedMemo

LANGUAGES = ("en", "ko")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    raw = load_yaml(data_dir("explain", "messages.yaml"))
    if not isinstance(raw, dict):
        raise DataError("messages.yaml: expected a mapping of code -> {en, ko}")
    for code, texts in raw.items():
        missing = [lang for lang in LANGUAGES if not isinstance(texts, dict) or lang not in texts]
        if missing:
            raise DataError(f"messages.yaml: {code} lacks {', '.join(missing)}")
    return raw


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Values(dict[str, Any]):
    """Formats values the way a reader expects them, whatever the template asks."""

    def __init__(self, params: dict[str, Any], language: str) -> None:
        super().__init__({k: _display(v, language) for k, v in params.items()})

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _display(value: Any, language: str) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:,.1f}"
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(_display(v, language)) for v in value)
    if isinstance(value, dict) and language in value:
        return value[language]
    if isinstance(value, str):
        return terms(language).get(value, value)
    return value


@cache
def terms(language: str) -> dict[str, str]:
    """Words for enum values (review policies, party roles) in ``language``."""
    table: dict[str, Any] = dict(catalogue().get("_terms", {}))
    words: dict[str, str] = table.get(language, {})
    return dict(words)


Said = tuple[str, str, str | None]
"""What a reader sees of a reason: its code, words and citation."""

Rendered = tuple[Said, Reason]

_RENDERED: dict[str, BoundedMemo[NoticeKey, Rendered]] = {}
"""Rendered reasons by language, then by what the notice says."""
RENDERED_KEPT = 20_000
"""Reasons remembered per language. Most reasons name the order's party or quantity, so
in a long run of new orders few repeat; at 100,000 a full memo was some 100 MB of a
million-order check's heap, for repeats that a few thousand entries already catch."""


def _memo(language: str) -> BoundedMemo[NoticeKey, Rendered]:
    memo = _RENDERED.get(language)
    if memo is None:
        memo = _RENDERED[language] = BoundedMemo(RENDERED_KEPT)
    return memo


def render(notice: Notice, language: str = "en") -> Reason:
    """The notice in words; identical notices are rendered once."""
    return rendered([notice], language)[0][1]


def render_all(notices: Iterable[Notice], language: str = "en") -> list[Reason]:
    """Render, dropping exact repeats (see :func:`distinct`) while keeping first-seen order."""
    return distinct(rendered(notices, language))


def rendered(notices: Iterable[Notice], language: str = "en") -> list[Rendered]:
    """Every notice in words, repeats kept, each with what the reader sees of it."""
    memo = _memo(language)
    return [memo.lookup(n.key()) or _render(memo, n, language) for n in notices]


def distinct(reasons: Iterable[Rendered]) -> list[Reason]:
    """The reasons without exact repeats, in first-seen order.

    A repeat is a reason the reader could not tell apart from an earlier one: the same
    code, words and citation. That triple is worked out once, when a notice is first
    rendered; every determination passes a few dozen reasons through here.
    """
    seen: set[Said] = set()
    out = []
    for said, reason in reasons:
        if said not in seen:
            seen.add(said)
            out.append(reason)
    return out


def _render(memo: BoundedMemo[NoticeKey, Rendered], notice: Notice, language: str) -> Rendered:
    texts = catalogue().get(notice.code)
    if texts is None:
        raise DataError(f"messages.yaml has no entry for reason code {notice.code}")
    template = texts.get(language) or texts["en"]
    message = template.format_map(_Values(notice.params, language))
    reason = Reason(code=notice.code, message=message, citation=notice.citation)
    return memo.store(notice.key(), ((reason.code, reason.message, reason.citation), reason))
