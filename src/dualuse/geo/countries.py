"""ISO 3166-1 codes via pycountry; English and Korean names via Babel (CLDR)."""

from __future__ import annotations

from functools import cache


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    return code in _codes()


@cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str = "en") -> str:
    """The CLDR name of a territory in ``language`` ("en" or "ko"); the code if unknown."""
    return _territories(language).get(code, code)


def suggest_codes(text: str, n: int = 3) -> list[str]:
    """Codes whose English name or code resembles ``text`` (for error messages)."""
    import difflib

    names = _territories("en")
    folded = text.strip().casefold()
    by_name = {name.casefold(): code for code, name in names.items() if code in _codes()}
    hits = difflib.get_close_matches(folded, list(by_name), n=n, cutoff=0.6)
    codes = [by_name[h] for h in hits]
    codes += [
        c for c in difflib.get_close_matches(text.upper(), sorted(_codes()), n=n) if c not in codes
    ]
    return codes[:n]
