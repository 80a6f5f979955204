"""Company names reduced to comparable tokens, whatever their script.

Latin names are folded to ASCII, stripped of legal forms and stop words, and their
abbreviations folded (``terms.yaml``). Han names are converted to simplified characters
(OpenCC), stripped of legal forms, segmented greedily against the generic words and place
names whose English a list prints (技术 -> technology, 北京 -> beijing) and the rest read
in pinyin (pypinyin), one token per run (华为 -> huawei). Hangul names are stripped of
legal forms, segmented the same way (테크놀로지스 -> technology) and the rest romanised
(Revised Romanization, korean-romanizer). So "华为技术有限公司", "華為技術有限公司" and
"Huawei Technologies Co., Ltd." all come to ``huawei technology``.

Each token keeps whether it is a place: places tell little about who a party is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import normality
import opencc
from korean_romanizer.romanizer import Romanizer
from pypinyin import lazy_pinyin

from dualuse.datafiles import data_dir, load_yaml


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    place: bool = False
    origin: str = "latin"  # latin | han | hangul: which script it was read from


@dataclass(frozen=True)
class Terms:
    latin_legal: frozenset[str]
    latin_stop: frozenset[str]
    latin_synonyms: dict[str, str]
    han_legal: tuple[str, ...]
    hangul_legal: tuple[str, ...]
    han_words: dict[str, tuple[str, bool]]
    hangul_words: dict[str, tuple[str, bool]]
    han_longest: int
    hangul_longest: int
    latin_places: frozenset[str]
    generic: frozenset[str]
    """Words that say what a party is (technology, institute), in every script's English."""


@lru_cache(maxsize=1)
def terms() -> Terms:
    raw: dict[str, Any] = load_yaml(data_dir("screening").joinpath("terms.yaml"))
    places = raw["places"]
    han = {k: (v, False) for k, v in raw["han_terms"].items()}
    han.update({k: (v, True) for k, v in places["han"].items()})
    hangul = {k: (v, False) for k, v in raw["hangul_terms"].items()}
    hangul.update({k: (v, True) for k, v in places["hangul"].items()})
    return Terms(
        latin_legal=frozenset(raw["latin_legal_forms"]),
        latin_stop=frozenset(raw["latin_stopwords"]),
        latin_synonyms=dict(raw["latin_synonyms"]),
        han_legal=tuple(sorted(raw["han_legal_forms"], key=len, reverse=True)),
        hangul_legal=tuple(sorted(raw["hangul_legal_forms"], key=len, reverse=True)),
        han_words=han,
        hangul_words=hangul,
        han_longest=max(len(k) for k in han),
        hangul_longest=max(len(k) for k in hangul),
        latin_places=frozenset(places["latin"]),
        generic=frozenset(
            w
            for table in (raw["han_terms"], raw["hangul_terms"])
            for english in table.values()
            for w in english.split()
        )
        | frozenset(raw["latin_generic_words"]),
    )


_T2S = opencc.OpenCC("t2s")
_SPLIT = re.compile(r"[^0-9a-z&]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Hangul words separated by spaces stay one run: Korean spacing of a company name is
# free ("유한 공사" is 유한공사), so legal forms are found across it.
_SCRIPT_RUNS = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|(?P<hangul>[\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)*)|(?P<other>[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]+)"
)


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[Token, ...]:
    """The comparable tokens of a name (cached: parties repeat across orders)."""
    text = unicodedata.normalize("NFKC", name)
    if _HANGUL.search(text):
        # Before the runs are cut: "(주)" straddles a Hangul run and its brackets.
        text = _hangul_legal_forms().sub(" ", text)
    out: list[Token] = []
    for m in _SCRIPT_RUNS.finditer(text):
        if m.group("han"):
            out += _han_tokens(m.group("han"))
        elif m.group("hangul"):
            out += _hangul_tokens(m.group("hangul"))
        else:
            out += _latin_tokens(m.group("other"))
    return tuple(out)


def _latin_tokens(text: str) -> list[Token]:
    t = terms()
    ascii_text = text if text.isascii() else (normality.ascii_text(text) or "")
    # An apostrophe joins a word ("Xi'an" is the city Xian, not "xi" and the article "an").
    folded = ascii_text.casefold().replace("&", " & ").replace("'", "").replace("\u2019", "")
    # "Co., Ltd." and "Co.,Ltd" alike: drop dots inside abbreviations before splitting.
    folded = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", folded)
    out = []
    for raw in _SPLIT.split(folded):
        if not raw:
            continue
        word = t.latin_synonyms.get(raw, raw)
        if word in t.latin_legal or word in t.latin_stop or word == "and":
            continue
        out.append(Token(word, word in t.latin_places))
    return out


def _segment(
    run: str, words: dict[str, tuple[str, bool]], longest: int
) -> list[tuple[str, str | None, bool]]:
    """Greedy longest match: (text, translation or None, is place) pieces of a run."""
    pieces: list[tuple[str, str | None, bool]] = []
    i, rest = 0, ""
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            chunk = run[i : i + size]
            if chunk in words:
                if rest:
                    pieces.append((rest, None, False))
                    rest = ""
                english, place = words[chunk]
                pieces.append((chunk, english, place))
                i += size
                break
        else:
            rest += run[i]
            i += 1
    if rest:
        pieces.append((rest, None, False))
    return pieces


def _strip(run: str, forms: tuple[str, ...]) -> str:
    for form in forms:
        run = run.replace(form, " ")
    return run


def _han_tokens(run: str) -> list[Token]:
    t = terms()
    out = []
    for part in _strip(_T2S.convert(run), t.han_legal).split():
        for text, english, place in _segment(part, t.han_words, t.han_longest):
            if english is not None:
                out += [Token(w, place, "han") for w in english.split()]
            else:
                out.append(Token("".join(lazy_pinyin(text)), False, "han"))
    return out


@lru_cache(maxsize=1)
def _hangul_legal_forms() -> re.Pattern[str]:
    """The Hangul legal forms, each written with or without spaces between its syllables."""
    forms = (r"\s*".join(re.escape(ch) for ch in form) for form in terms().hangul_legal)
    return re.compile("|".join(forms))


def _hangul_tokens(run: str) -> list[Token]:
    t = terms()
    out = []
    for part in run.split():
        for text, english, place in _segment(part, t.hangul_words, t.hangul_longest):
            if english is not None:
                out += [Token(w, place, "hangul") for w in english.split()]
            else:
                out.append(Token(_romanise(text), False, "hangul"))
    return out


@lru_cache(maxsize=16384)
def _romanise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", Romanizer(text).romanize().casefold())
