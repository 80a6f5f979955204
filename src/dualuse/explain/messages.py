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


_RENDERED: dict[str, BoundedMemo[NoticeKey, Reason]] = {}
"""Rendered reasons by language, then by what the notice says."""


def _memo(language: str) -> BoundedMemo[NoticeKey, Reason]:
    memo = _RENDERED.get(language)
    if memo is None:
        memo = _RENDERED[language] = BoundedMemo(100_000)
    return memo


def render(notice: Notice, language: str = "en") -> Reason:
    """The notice in words; identical notices are rendered once."""
    memo = _memo(language)
    return memo.lookup(notice.key()) or _rendered(memo, notice, language)


def render_all(notices: Iterable[Notice], language: str = "en") -> list[Reason]:
    """Render, dropping exact repeats (see :func:`unique`) while keeping first-seen order."""
    memo = _memo(language)
    return unique([memo.lookup(n.key()) or _rendered(memo, n, language) for n in notices])


def _rendered(memo: BoundedMemo[NoticeKey, Reason], notice: Notice, language: str) -> Reason:
    texts = catalogue().get(notice.code)
    if texts is None:
        raise DataError(f"messages.yaml has no entry for reason code {notice.code}")
    template = texts.get(language) or texts["en"]
    message = template.format_map(_Values(notice.params, language))
    return memo.store(
        notice.key(), Reason(code=notice.code, message=message, citation=notice.citation)
    )


def unique(reasons: Iterable[Reason]) -> list[Reason]:
    """The reasons without exact repeats, in first-seen order.

    A repeat is a reason the reader could not tell apart from an earlier one: the same
    code, words and citation. The key is three strings, which hash cheaply; every
    determination passes a few dozen reasons through here.
    """
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for reason in reasons:
        said = (reason.code, reason.message, reason.citation)
        if said not in seen:
            seen.add(said)
            out.append(reason)
    return out
