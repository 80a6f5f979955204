"""The ledger: hash-chained journal, postings, accounts, licences.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("idempotency_key", sa.String(300), nullable=True, unique=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("refers_to", sa.Integer, sa.ForeignKey("journal.seq"), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("seq", sa.Integer, sa.ForeignKey("journal.seq"), nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("amount", sa.Double, nullable=False),
    )
    op.create_index("ix_postings_account", "postings", ["account"])
    op.create_index("ix_postings_seq", "postings", ["seq"])
    op.create_table(
        "accounts",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("limit", sa.Double, nullable=False),
        sa.Column("holder", sa.Text, nullable=True),
        sa.Column("provision", sa.Text, nullable=True),
        sa.Column("opened_seq", sa.Integer, sa.ForeignKey("journal.seq"), nullable=False),
    )
    op.create_table(
        "licences",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("jurisdiction", sa.String(8), nullable=False),
        sa.Column("number", sa.String(120), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, sa.ForeignKey("journal.seq"), nullable=False),
    )
    op.create_index("ix_licences_jurisdiction", "licences", ["jurisdiction"])
    # The genesis row: an empty chain whose head hash is all zeros.
    op.execute(
        "INSERT INTO ledger_head (id, last_seq, last_hash) VALUES (1, 0, '" + "0" * 64 + "')"
    )


def downgrade() -> None:
    for table in ("licences", "accounts", "postings", "journal", "ledger_head"):
        op.drop_table(table)
