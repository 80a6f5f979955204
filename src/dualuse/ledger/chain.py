"""The audit journal's hash chain.

Each entry's hash covers its own fields, its postings and the previous entry's hash, so
changing or removing any entry, or any posting, changes every hash after it. The genesis
hash is 64 zeros. The hash is SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8),
which reads the same on every platform and database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount: float


@dataclass(frozen=True, slots=True)
class Entry:
    """A journal entry as hashed: every stored field except the hash itself."""

    seq: int
    kind: str
    recorded_at: str
    actor: str
    idempotency_key: str | None
    request_hash: str | None
    refers_to: int | None
    body: str
    postings: tuple[Posting, ...]
    prev_hash: str

    def hash(self) -> str:
        return digest(
            canonical(
                {
                    "seq": self.seq,
                    "kind": self.kind,
                    "recorded_at": self.recorded_at,
                    "actor": self.actor,
                    "idempotency_key": self.idempotency_key,
                    "request_hash": self.request_hash,
                    "refers_to": self.refers_to,
                    "body": self.body,
                    # Postings in a fixed order, amounts as their shortest exact repr.
                    "postings": sorted([p.account, repr(float(p.amount))] for p in self.postings),
                    "prev_hash": self.prev_hash,
                }
            )
        )
