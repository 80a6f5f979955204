"""The ledger interface the engine reads, and an in-memory implementation.

Quotas are accounts (LPP per ultimate consignee per calendar year, a country allocation
per rulebook or scenario, an agreement cap); usage is the sum of the draws recorded
against them. A draw that would take an account past its limit is refused whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from dualuse.ledger.licence import Licence
from dualuse.screening.review import Review


def account_key(*parts: str | int) -> str:
    return ":".join(str(p) for p in parts)


@dataclass(frozen=True, slots=True)
class Draw:
    """An amount an order takes from an account, with what the account is."""

    account: str
    amount: float
    limit: float
    reference: str | None = None
    unit: str = "tpp"
    holder: str | None = None
    """Whose account: the party as named in the order, for the reader of the journal."""
    provision: str | None = None
    """The rule or licence that defines the account."""
    identity: str | None = None
    """The account holder's identity, which ``aliases`` are remembered as on commit."""
    aliases: tuple[str, ...] = ()


class QuotaExceeded(Exception):
    def __init__(self, account: str, used: float, amount: float, limit: float) -> None:
        super().__init__(f"{account}: {used} used + {amount} requested exceeds {limit}")
        self.account, self.used, self.amount, self.limit = account, used, amount, limit


def check_draws(draws: Iterable[Draw], usage: Callable[[str], float]) -> None:
    """Refuse the whole set if any draw is negative or would take its account past its
    limit, counting the earlier draws of the same set; ``usage`` reads what is drawn already."""
    pending: dict[str, float] = {}
    for draw in draws:
        if draw.amount < 0:
            raise ValueError(f"{draw.account}: a draw must not be negative")
        used = usage(draw.account) + pending.get(draw.account, 0.0)
        if used + draw.amount > draw.limit:
            raise QuotaExceeded(draw.account, used, draw.amount, draw.limit)
        pending[draw.account] = pending.get(draw.account, 0.0) + draw.amount


class Ledger(Protocol):
    """What the rules read: balances and licences. Writing is the ledger's own business."""

    def usage(self, account: str) -> float:
        """Total drawn so far on ``account`` (0 for an account never drawn)."""
        ...

    def licences(self, jurisdiction: str) -> Sequence[Licence]:
        """Licences held under ``jurisdiction``'s law, whatever their dates and balances."""
        ...

    def identities(self, aliases: Sequence[str]) -> dict[str, str]:
        """The account identity each already-known alias belongs to (unknown ones left out)."""
        ...

    def screening_reviews(self) -> Mapping[tuple[str, str], Review]:
        """Officers' decisions on screening hits, by (party key, list entry id)."""
        ...


class InMemoryLedger:
    """A process-local ledger for simulations and tests; thread-safe, never negative.

    Over a ``base`` ledger it adds its own draws to the base's balances without writing
    them anywhere: a what-if batch against the real books.
    """

    def __init__(
        self,
        licences: Iterable[Licence] = (),
        base: Ledger | None = None,
        keep_journal: bool = True,
    ) -> None:
        # A long stream keeps only balances: a million draws held would be most of its heap.
        self._keep_journal = keep_journal
        self._journal: list[Draw] = []
        self._usage: dict[str, float] = {}
        self._lock = threading.Lock()
        self._licences = tuple(licences)
        self._base = base
        self._aliases: dict[str, str] = {}

    def usage(self, account: str) -> float:
        below = self._base.usage(account) if self._base is not None else 0.0
        return below + self._usage.get(account, 0.0)

    def licences(self, jurisdiction: str) -> Sequence[Licence]:
        below = list(self._base.licences(jurisdiction)) if self._base is not None else []
        return below + [lic for lic in self._licences if lic.jurisdiction == jurisdiction]

    def identities(self, aliases: Sequence[str]) -> dict[str, str]:
        found = self._base.identities(aliases) if self._base is not None else {}
        return {**{a: self._aliases[a] for a in aliases if a in self._aliases}, **found}

    def screening_reviews(self) -> Mapping[tuple[str, str], Review]:
        """Review decisions on screening hits: the base ledger's (a what-if keeps none)."""
        return self._base.screening_reviews() if self._base is not None else {}

    def commit(self, draws: list[Draw]) -> None:
        with self._lock:
            check_draws(draws, self.usage)
            if self._keep_journal:
                self._journal.extend(draws)
            for draw in draws:
                self._usage[draw.account] = self._usage.get(draw.account, 0.0) + draw.amount
                for alias in draw.aliases:
                    if draw.identity is not None:
                        self._aliases.setdefault(alias, draw.identity)

    @property
    def journal(self) -> tuple[Draw, ...]:
        if not self._keep_journal:
            raise RuntimeError("this book was made with keep_journal=False")
        return tuple(self._journal)
