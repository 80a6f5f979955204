"""Who an account belongs to: normalised ultimate-consignee identity.

LPP is counted per ultimate consignee, so the same company written two ways must draw on
one account. Names are folded (case, punctuation, common legal-form words) and combined
with the country; registry identifiers (LEI, DUNS, GSTIN, ...) are folded to
``scheme:VALUE``. Each is an *alias*. The ledger remembers which account identity every
alias it has seen belongs to, so a later order that shares any alias -- the same LEI under
another trading name -- draws on the same account.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

# Legal-form words and their long forms fold to one token, so "Pvt. Ltd." and
# "PRIVATE LIMITED" agree.
_LEGAL_FORMS = {
    "private": "pvt",
    "pvt": "pvt",
    "limited": "ltd",
    "ltd": "ltd",
    "incorporated": "inc",
    "inc": "inc",
    "corporation": "corp",
    "corp": "corp",
    "company": "co",
    "co": "co",
    "pte": "pte",
    "llc": "llc",
    "gmbh": "gmbh",
    "plc": "plc",
    "sa": "sa",
    "bv": "bv",
}


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    # Memoised: the same consignees recur across orders, and every determination folds one.
    text = unicodedata.normalize("NFKC", name).casefold()
    words = _WORD.findall(text)
    return "-".join(_LEGAL_FORMS.get(w, w) for w in words)


def consignee_key(name: str, country: str) -> str:
    return f"{country}/{normalise_name(name)}"


def normalise_identifier(scheme: str, value: str) -> str:
    """``LEI``, ``5493 00-1KJT`` -> ``lei:5493001KJT``: case, spaces and punctuation dropped."""
    folded = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", value)).upper()
    return f"{scheme.casefold()}:{folded}"


def party_aliases(name: str, country: str, identifiers: Mapping[str, str]) -> tuple[str, ...]:
    """Every alias of a party, identifiers first (they are the stronger evidence)."""
    ids = [normalise_identifier(s, v) for s, v in sorted(identifiers.items())]
    return (*ids, consignee_key(name, country))


class KnowsAliases(Protocol):
    def identities(self, aliases: Sequence[str]) -> dict[str, str]: ...


@dataclass(frozen=True)
class Holder:
    """The party an account belongs to: as named, the identity found, and its aliases."""

    role: str
    name: str
    identity: str
    aliases: tuple[str, ...]
    conflicting: tuple[str, ...] = ()
    """Other identities some alias was already remembered as (the first alias wins)."""

    def describe(self) -> str:
        return f"{self.role} {self.name} = {self.identity}"


def resolve_holder(
    ledger: KnowsAliases, role: str, name: str, country: str, identifiers: Mapping[str, str]
) -> Holder:
    """The account identity for a party: the one any of its aliases is already known as
    (identifiers before the name), else its folded name."""
    aliases = party_aliases(name, country, identifiers)
    known = ledger.identities(aliases)
    found = [known[a] for a in aliases if a in known]
    identity = found[0] if found else aliases[-1]
    others = tuple(dict.fromkeys(i for i in found if i != identity))
    return Holder(role, name, identity, aliases, others)
