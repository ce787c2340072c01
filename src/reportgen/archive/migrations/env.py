"""Alembic environment: runs the archive migrations on the connection `Archive.open` hands over.

Input: `config.attributes["connection"]`, a SQLAlchemy connection already inside the transaction
(and lock) that `Archive.open` took. Output: the schema at the requested revision. There is no
offline (`--sql`) mode and no alembic.ini: the archive is always migrated in code.

`alembic_version` (which schema the archive is at) is guarded like the archive's own tables:
triggers refuse any INSERT, UPDATE or DELETE on it. Migrations must stamp it, so the guard is
lifted at the start of a run and put back at its end, inside the one transaction of the run:
no other connection ever sees the table unguarded.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, inspect

from reportgen.archive.tables import metadata

GUARD_MESSAGE = "the archive schema version is set by its migrations only"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _unguard(conn: Connection) -> None:
    if not inspect(conn).has_table("alembic_version"):
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS alembic_version_guard ON alembic_version")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS alembic_version_no_truncate "
                             "ON alembic_version")
        return
    for event in EVENTS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS alembic_version_no_{event.lower()}")


def _guard(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION reportgen_schema_version_guard() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{GUARD_MESSAGE}' "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER alembic_version_guard BEFORE INSERT OR UPDATE OR DELETE "
            "ON alembic_version FOR EACH ROW EXECUTE FUNCTION reportgen_schema_version_guard()"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER alembic_version_no_truncate BEFORE TRUNCATE ON alembic_version "
            "FOR EACH STATEMENT EXECUTE FUNCTION reportgen_schema_version_guard()"
        )
        return
    for event in EVENTS:
        conn.exec_driver_sql(
            f"CREATE TRIGGER alembic_version_no_{event.lower()} BEFORE {event} "
            f"ON alembic_version BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END"
        )


if context.is_offline_mode():
    raise RuntimeError("the reportgen archive is migrated online only, by Archive.open")

connection: Connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    _unguard(connection)
    context.run_migrations()
    _guard(connection)
