"""Alembic's entry point: migrate the connection Fabrique hands over (see fabrique/schema.py)."""

from alembic import context

from fabrique.extensions import db
from fabrique import models  # noqa: F401  (registers the tables on db.metadata)

connection = context.config.attributes["connection"]
# SQLite cannot ALTER most things: batch mode rebuilds the table instead.
context.configure(connection=connection, target_metadata=db.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
