"""The ledger's tables: one schema for SQLite and PostgreSQL.

``journal`` is the only record of what happened; it is append-only and hash-chained.
``postings`` are the draws (positive) and releases (negative) each journal entry made;
a balance is the sum of an account's postings and is never stored. ``accounts`` and
``licences`` describe what the postings are drawn against. ``ledger_head`` holds the
chain's last entry, so that a deleted tail is noticed, and is the row every writer locks,
which puts all journal appends in one order.

Times are stored as ISO-8601 text and amounts as double precision, so that the bytes
hashed when an entry is written are exactly the bytes read back on either database.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("idempotency_key", String(300), nullable=True, unique=True),
    Column("request_hash", String(64), nullable=True),
    Column("refers_to", Integer, ForeignKey("journal.seq"), nullable=True),
    Column("body", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seq", Integer, ForeignKey("journal.seq"), nullable=False),
    Column("account", Text, nullable=False),
    Column("amount", Double, nullable=False),
    Index("ix_postings_account", "account"),
    Index("ix_postings_seq", "seq"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("unit", String(40), nullable=False),
    Column("limit", Double, nullable=False),
    Column("holder", Text, nullable=True),
    Column("provision", Text, nullable=True),
    Column("opened_seq", Integer, ForeignKey("journal.seq"), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("jurisdiction", String(8), nullable=False),
    Column("number", String(120), nullable=False),
    Column("record", Text, nullable=False),
    Column("seq", Integer, ForeignKey("journal.seq"), nullable=False),
    Index("ix_licences_jurisdiction", "jurisdiction"),
)

aliases = Table(
    "aliases",
    metadata,
    Column("alias", Text, primary_key=True),
    Column("identity", Text, nullable=False),
    Column("seq", Integer, ForeignKey("journal.seq"), nullable=False),
)
"""Which account identity each party alias (folded name, registry identifier) was first
committed as; written with the journal entry whose draw named it."""

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40), nullable=True),
)
"""API keys for the service: only a SHA-256 of each secret is kept (the secrets are 256-bit
random, so a plain hash cannot be brute-forced)."""

screening_reviews = Table(
    "screening_reviews",
    metadata,
    Column("party_key", Text, primary_key=True),
    Column("entry_id", String(64), primary_key=True),
    Column("decision", String(16), nullable=False),
    Column("entry_version", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("seq", Integer, ForeignKey("journal.seq"), nullable=False),
)
"""An officer's latest decision on a screening hit (party, list entry); every decision is
also a journal entry (kind ``screen_review``), which this row points to."""
