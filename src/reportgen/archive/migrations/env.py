"""Alembic environment: runs the archive migrations on the connection `Archive.open` hands over.

Input: `config.attributes["connection"]`, a SQLAlchemy connection already inside the transaction
(and lock) that `Archive.open` took. Output: the schema at the requested revision. There is no
offline (`--sql`) mode and no alembic.ini: the archive is always migrated in code.
"""

from __future__ import annotations

from alembic import context

from reportgen.archive.tables import metadata

if context.is_offline_mode():
    raise RuntimeError("the reportgen archive is migrated online only, by Archive.open")

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
