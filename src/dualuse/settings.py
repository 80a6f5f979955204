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
