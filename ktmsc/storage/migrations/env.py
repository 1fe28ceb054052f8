"""Alembic environment for the KTMSC storage.

Migrations run only through :func:`ktmsc.storage.migrate.upgrade`, which opens the
transaction (and takes the lock that serialises concurrent first starts) and passes the
connection in ``config.attributes["connection"]``. There is no ``alembic.ini``: the
configuration is built in code so it works from any working directory.
"""

from __future__ import annotations

from alembic import context

from ktmsc.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("run KTMSC migrations with ktmsc.storage.migrate.upgrade(engine) (or by opening a Store)")

context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
