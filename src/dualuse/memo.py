"""A bounded memo for pure functions whose inputs repeat (classifications, rendered reasons)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """Remembers results until ``max_size`` keys, then starts afresh (no unbounded growth)."""

    def __init__(self, max_size: int) -> None:
        self._max_size = max_size
        self._values: dict[K, V] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        value = self._values.get(key)
        return value if value is not None else self.store(key, compute())

    def lookup(self, key: K) -> V | None:
        """The remembered value, or None (for loops too hot for a closure per call)."""
        return self._values.get(key)

    def store(self, key: K, value: V) -> V:
        if len(self._values) >= self._max_size:
            self._values.clear()
        self._values[key] = value
        return value
