"""The ledger interface the engine reads, and an in-memory implementation.

Quotas are accounts (LPP per ultimate consignee per calendar year, a country allocation
per rulebook or scenario, an agreement cap); usage is the sum of the draws recorded
against them. A draw that would take an account past its limit is refused whole.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol


def account_key(*parts: str | int) -> str:
    return ":".join(str(p) for p in parts)


@dataclass(frozen=True, slots=True)
class Draw:
    account: str
    amount: float
    limit: float
    reference: str | None = None


class QuotaExceeded(Exception):
    def __init__(self, account: str, used: float, amount: float, limit: float) -> None:
        super().__init__(f"{account}: {used} used + {amount} requested exceeds {limit}")
        self.account, self.used, self.amount, self.limit = account, used, amount, limit


class Ledger(Protocol):
    def usage(self, account: str) -> float:
        """Total drawn so far on ``account`` (0 for an account never drawn)."""
        ...

    def commit(self, draws: list[Draw]) -> None:
        """Record every draw or none; refuse if any account would exceed its limit."""
        ...


class InMemoryLedger:
    """A process-local ledger for simulations and tests; thread-safe, never negative."""

    def __init__(self) -> None:
        self._journal: list[Draw] = []
        self._usage: dict[str, float] = {}
        self._lock = threading.Lock()

    def usage(self, account: str) -> float:
        return self._usage.get(account, 0.0)

    def commit(self, draws: list[Draw]) -> None:
        with self._lock:
            pending: dict[str, float] = {}
            for draw in draws:
                if draw.amount < 0:
                    raise ValueError(f"{draw.account}: a draw must not be negative")
                used = self._usage.get(draw.account, 0.0) + pending.get(draw.account, 0.0)
                if used + draw.amount > draw.limit:
                    raise QuotaExceeded(draw.account, used, draw.amount, draw.limit)
                pending[draw.account] = pending.get(draw.account, 0.0) + draw.amount
            for draw in draws:
                self._journal.append(draw)
                self._usage[draw.account] = self._usage.get(draw.account, 0.0) + draw.amount

    @property
    def journal(self) -> tuple[Draw, ...]:
        return tuple(self._journal)
