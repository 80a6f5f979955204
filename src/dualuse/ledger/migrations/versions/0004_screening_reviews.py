"""Review decisions on restricted-party screening hits.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_reviews",
        sa.Column("party_key", sa.Text, primary_key=True),
        sa.Column("entry_id", sa.String(64), primary_key=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("entry_version", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, sa.ForeignKey("journal.seq"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("screening_reviews")
