"""A reason or warning before it is put into words.

Rule code produces :class:`Notice` objects (a stable code, the values that fill its
message, and a citation); :mod:`dualuse.explain.messages` renders them in English or
Korean from one message catalogue. Keeping the two apart means every language sees the
same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NoticeKey = tuple[str, str | None, tuple[tuple[str, type, Any], ...] | str]
"""What a notice says: code, citation, and its values (typed, so that 1 and True differ)."""


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    citation: str | None = None
    _key: NoticeKey | None = field(default=None, init=False, compare=False, repr=False)

    def key(self) -> NoticeKey:
        """Identity of what the notice says; computed once (notices are immutable)."""
        if self._key is None:
            object.__setattr__(self, "_key", (self.code, self.citation, _values_key(self.params)))
        assert self._key is not None
        return self._key


def _values_key(params: dict[str, Any]) -> tuple[tuple[str, type, Any], ...] | str:
    # A tuple hashes in a fraction of the time a repr takes (every determination keys a
    # dozen fresh notices); values that cannot be hashed (lists, dicts) fall back to repr.
    values = tuple([(k, v.__class__, v) for k, v in sorted(params.items())])
    try:
        hash(values)
    except TypeError:
        return repr(sorted(params.items()))
    return values
