"""The archive's database engine: a SQLAlchemy URL in, a migrated engine out.

Input: the URL `Archive.open` was given. Output: an `Engine` whose schema is at `SCHEMA_HEAD`
and, for an SQLite file, the folder beside it for lock files. SQLite connections are set up
for durable WAL, enforced foreign keys and up-front write locks; `file_lock` and `lock_key`
are the cross-process locks (a `flock`ed file, a PostgreSQL advisory lock key). Alembic is
imported only when the schema is not already at head.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from ..errors import ReportgenError

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0004"  # the newest migration's revision; a test holds it to the scripts
SQLITE_BUSY_TIMEOUT_MS = 30_000


def open_engine(url: str) -> tuple[Engine, Path | None]:
    """Connect and migrate the schema to head: the engine, and for an SQLite file the folder
    for its lock files. A bad URL or an unreachable server is an error.

    SQLite: the file (and its folder) are created when missing, and a `<file>.locks` folder
    beside it holds the lock files.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ReportgenError(
            f"{url!r} is not a database URL; write it like sqlite:///outputs/archive.sqlite "
            "or postgresql+psycopg://user@host/database"
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ReportgenError(f"archive {shown}: the archive runs on SQLite or PostgreSQL only")
    try:
        engine, lock_dir = _engine(parsed)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ReportgenError(
            f"archive {shown}: no database driver for it ({exc}); for PostgreSQL install "
            "reportgen[postgres] and use postgresql+psycopg://"
        ) from None
    # SQLite: one process at a time creates the file, turns on WAL and migrates
    opening = nullcontext() if lock_dir is None else file_lock(lock_dir / "open.lock")
    try:
        with opening:
            _migrate(engine, shown)
    except DBAPIError as exc:
        engine.dispose()
        raise ReportgenError(f"cannot open the archive {shown}: {exc.orig}") from exc
    except BaseException:
        engine.dispose()
        raise
    return engine, lock_dir


def _engine(url: URL) -> tuple[Engine, Path | None]:
    """The engine, and for an SQLite file the folder for its lock files."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True), None
    lock_dir = None
    if url.database in (None, "", ":memory:"):
        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        database = Path(url.database)
        database.parent.mkdir(parents=True, exist_ok=True)
        lock_dir = database.with_name(database.name + ".locks")
        engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine, lock_dir


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """On every new SQLite connection: durable WAL, enforced foreign keys, wait when busy.

    `isolation_level = None` stops the sqlite3 module's implicit transactions; `_sqlite_begin`
    emits BEGIN itself, so a review's rows are committed together or not at all.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # Switching to WAL does not wait for a busy file, it fails at once: only the first
    # connection to a new archive switches (Archive.open holds the open lock), the rest see WAL.
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE), so they queue instead of failing."""
    write = conn.get_execution_options().get("reportgen_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (created when missing); the system drops it if the
    process dies, so a crashed build never leaves the lock behind."""
    path.parent.mkdir(exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def _migrate(engine: Engine, shown: str) -> None:
    """Bring the schema to head, once, even when several processes open a new archive at once.

    An archive already at `SCHEMA_HEAD` is recognised with one query, without importing Alembic
    (a third of a second that every `build` and `history` would otherwise pay).
    """
    with engine.connect() as conn:
        if inspect(conn).has_table("alembic_version"):
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM "
                                                            "alembic_version"))}
            if versions == {SCHEMA_HEAD}:
                return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise ReportgenError(
            f"archive {shown}: its schema ({current}) is newer than this reportgen knows; "
            "upgrade reportgen"
        )
    with engine.execution_options(reportgen_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                         {"key": lock_key("reportgen archive migrations")})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def lock_key(key: str) -> int:
    """A PostgreSQL advisory lock key: a signed 64-bit hash of `key`."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
