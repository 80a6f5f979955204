"""Every setting dualuse reads from its environment, in one place.

Settings are read when asked for, not at import, so a test or a service can set the
environment first.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

DATABASE_URL = "DUALUSE_DATABASE_URL"
"""SQLAlchemy URL of the ledger; default an SQLite file under the user's data folder."""
DATA_HOME = "DUALUSE_HOME"
"""Folder for the embedded SQLite ledger when no URL is given."""
ACTOR = "DUALUSE_ACTOR"
"""Who commits, recorded in the audit journal; default the operating-system user."""
SERVE_OPEN = "DUALUSE_SERVE_OPEN"
"""``1`` when the service runs without API keys. ``dualuse serve`` sets it for its worker
processes, which build the app from settings; they refuse it unless SERVE_HOST is loopback."""
SERVE_HOST = "DUALUSE_SERVE_HOST"
"""The address ``dualuse serve`` listens on, handed to its worker processes with SERVE_OPEN."""


def data_home() -> Path:
    explicit = os.environ.get(DATA_HOME)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dualuse"


def database_url() -> str:
    url = os.environ.get(DATABASE_URL)
    if url:
        return url
    return f"sqlite:///{data_home() / 'ledger.db'}"


def actor() -> str:
    explicit = os.environ.get(ACTOR)
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. an arbitrary container uid
        return "unknown"


def serve_open() -> bool:
    return os.environ.get(SERVE_OPEN) == "1"


def serve_host() -> str:
    return os.environ.get(SERVE_HOST, "127.0.0.1")


def cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
