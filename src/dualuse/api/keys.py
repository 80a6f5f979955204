"""API keys: created, listed, revoked, and checked; only a hash of each secret is stored.

A key reads ``du_<id>_<secret>``: the id finds the row, the secret is compared by hash in
constant time. Roles are ordered: a ``viewer`` reads and determines without committing; an
``officer`` also commits, releases and records licences; an ``admin`` also manages keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update

from dualuse.errors import InputError, UnknownId
from dualuse.ledger import schema as t
from dualuse.ledger.database import WRITER
from dualuse.ledger.store import LedgerStore


class Role(StrEnum):
    viewer = "viewer"
    officer = "officer"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        return _RANK[self] >= _RANK[needed]


_RANK = {role: rank for rank, role in enumerate(Role)}
"""Each role's place in the order of declaration: a later role may do all an earlier may."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    role: Role
    created_at: str
    revoked_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_role(value: str, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InputError.single(field, value, "must be one of viewer, officer, admin") from None


def create_key(store: LedgerStore, name: str, role: Role) -> tuple[ApiKey, str]:
    """A new key; the full key text is returned once and never stored."""
    if not 0 < len(name.strip()) <= 200:
        raise InputError.single(
            "name", name[:50], "name the key's holder or use (200 characters at most)"
        )
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with store.engine.connect().execution_options(**{WRITER: True}) as c, c.begin():
        c.execute(
            insert(t.api_keys).values(
                id=key_id,
                name=name.strip(),
                role=role.value,
                secret_sha256=_digest(secret),
                created_at=now,
            )
        )
    return ApiKey(key_id, name.strip(), role, now, None), f"du_{key_id}_{secret}"


def list_keys(store: LedgerStore) -> list[ApiKey]:
    with store.reading() as c:
        rows = c.execute(select(t.api_keys).order_by(t.api_keys.c.created_at, t.api_keys.c.id))
        return [ApiKey(r.id, r.name, Role(r.role), r.created_at, r.revoked_at) for r in rows]


def revoke_key(store: LedgerStore, key_id: str) -> ApiKey:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with store.engine.connect().execution_options(**{WRITER: True}) as c, c.begin():
        row = c.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).one_or_none()
        if row is None:
            raise UnknownId.single("id", key_id, "no such key")
        if row.revoked_at is None:
            c.execute(update(t.api_keys).where(t.api_keys.c.id == key_id).values(revoked_at=now))
    return ApiKey(row.id, row.name, Role(row.role), row.created_at, row.revoked_at or now)


def authenticate(store: LedgerStore, presented: str) -> ApiKey | None:
    """The live key ``presented`` is, or None (unknown, malformed, wrong secret, revoked)."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != "du":
        return None
    with store.reading() as c:
        row = c.execute(select(t.api_keys).where(t.api_keys.c.id == parts[1])).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_sha256, _digest(parts[2])):
        return None
    return ApiKey(row.id, row.name, Role(row.role), row.created_at, None)


def any_keys(store: LedgerStore) -> bool:
    with store.reading() as c:
        return c.execute(select(t.api_keys.c.id).limit(1)).first() is not None
