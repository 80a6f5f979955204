"""Party aliases: folded names and registry identifiers, mapped to account identities.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aliases",
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("identity", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, sa.ForeignKey("journal.seq"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("aliases")
