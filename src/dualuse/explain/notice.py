"""A reason or warning before it is put into words.

Rule code produces :class:`Notice` objects (a stable code, the values that fill its
message, and a citation); :mod:`dualuse.explain.messages` renders them in English or
Korean from one message catalogue. Keeping the two apart means every language sees the
same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    citation: str | None = None
    _key: tuple[str, str | None, str] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    def key(self) -> tuple[str, str | None, str]:
        """Identity of what the notice says; computed once (notices are immutable)."""
        if self._key is None:
            object.__setattr__(
                self, "_key", (self.code, self.citation, repr(sorted(self.params.items())))
            )
        assert self._key is not None
        return self._key
