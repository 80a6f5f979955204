"""Alembic environment: migrations run on the connection dualuse hands over.

dualuse runs its migrations itself when it opens a ledger (see
:func:`dualuse.ledger.database.migrate`); there is no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
