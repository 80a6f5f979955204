"""Who is calling: an API key's role, or the open local mode.

Keys come as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. In open mode (the
local default, bound to 127.0.0.1 only) every caller acts as an officer, so the page can
commit orders on one's own machine; managing keys always needs an admin key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from dualuse.api.keys import Role, authenticate


@dataclass(frozen=True)
class Caller:
    role: Role
    key_id: str | None
    name: str

    @property
    def actor(self) -> str:
        return f"key:{self.key_id} ({self.name})" if self.key_id else self.name


KEY_COOKIE = "dualuse_key"
"""Where the web page keeps a key the user typed in (HttpOnly, SameSite=Strict)."""


def header_values(request: Request, *names: bytes) -> list[str | None]:
    """Several headers (lower-case names, as ASGI gives them) in one pass over the raw
    headers; looking each up through ``request.headers`` scans them once per name, on
    every request of the hot path."""
    raw = dict(request.scope["headers"])
    return [None if (value := raw.get(name)) is None else value.decode("latin-1") for name in names]


def _presented(request: Request) -> str | None:
    header, key, cookie = header_values(request, b"authorization", b"x-api-key", b"cookie")
    if header is not None and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    if key:
        return key
    # Cookies are parsed only when sent.
    return (request.cookies.get(KEY_COOKIE) or None) if cookie is not None else None


OPEN_MODE_CALLER = Caller(Role.officer, None, "local (open mode)")


def caller(request: Request) -> Caller:
    presented = _presented(request)
    state = request.app.state
    if presented is not None:
        key = authenticate(state.store, presented)
        if key is None:
            raise HTTPException(
                401, "The API key is unknown or revoked.", {"WWW-Authenticate": "Bearer"}
            )
        return Caller(key.role, key.id, key.name)
    if state.open_mode:
        return OPEN_MODE_CALLER
    raise HTTPException(
        401, "Send an API key as 'Authorization: Bearer <key>'.", {"WWW-Authenticate": "Bearer"}
    )


def allowed(request: Request, role: Role) -> Caller:
    """The caller, if their role allows ``role``; else 403."""
    who = caller(request)
    if not who.role.allows(role):
        raise HTTPException(403, f"This needs the {role.value} role; this caller is {who.role}.")
    return who


def requires(role: Role) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency for ``role``. It is a coroutine so FastAPI runs it on the event loop,
    not in a worker thread (a key lookup is one indexed read)."""

    async def check(request: Request) -> Caller:
        return allowed(request, role)

    return check
