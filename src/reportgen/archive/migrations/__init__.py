"""Alembic migrations of the archive schema; `Archive.open` runs them to head."""
