"""The archive's database engine: a SQLAlchemy URL in, a migrated engine out.

Input: the URL `Archive.open` was given. Output: an `Engine` whose schema is at `SCHEMA_HEAD`
and, for an SQLite file, the folder beside it for lock files. SQLite connections are set up
for durable WAL, enforced foreign keys and up-front write locks; `file_lock` and `lock_key`
are the cross-process locks (a `flock`ed file, a PostgreSQL advisory lock key). Alembic is
imported only when the schema is not already at head.

Opening an archive already at head writes nothing, so an archive in a folder the user may only
read can still be read (SQLite then opens it immutable: a WAL file needs its `-shm` beside it
otherwise). Every database error after opening becomes one line naming the archive and what to
do (`ArchiveError`), never a dump of SQL: a damaged file, a full disk, a read-only file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from ..errors import ReportgenError
from ..locks import file_lock, lock_holders

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_HEAD = "0007"  # the newest migration's revision; a test holds it to the scripts
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
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        shown = str(parsed.database)  # an SQLite archive is named by its file
    if backend not in ("sqlite", "postgresql"):
        raise ReportgenError(f"archive {shown}: the archive runs on SQLite or PostgreSQL only")
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _refuse_emptied(Path(parsed.database))
    try:
        engine, lock_dir = _engine(parsed)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ReportgenError(
            f"archive {shown}: no database driver for it ({exc}); for PostgreSQL install "
            "reportgen[postgres] and use postgresql+psycopg://"
        ) from None
    try:
        _migrate(engine, shown, lock_dir, _has_content(parsed.database))
    except DBAPIError as exc:
        engine.dispose()
        raise ReportgenError(f"cannot open the archive {shown}: "
                             f"{_explain(exc.orig, shown)}") from exc
    except OSError as exc:  # the lock file of a new or older archive cannot be made
        engine.dispose()
        raise ReportgenError(f"cannot open the archive {shown}: {exc.filename}: "
                             f"{exc.strerror}") from exc
    except BaseException:
        engine.dispose()
        raise
    event.listen(engine, "handle_error", partial(_one_line, shown))
    return engine, lock_dir


class ArchiveError(ReportgenError):
    """A database error once the archive is open, as one line: which archive, what to do."""


def _one_line(shown: str, context: ExceptionContext) -> None:
    """SQLAlchemy's error hook: a database error (but a refused write, which the repository
    handles) is raised as an `ArchiveError` instead of SQLAlchemy's dump of the statement."""
    if isinstance(context.sqlalchemy_exception, IntegrityError):
        return
    raise ArchiveError(f"archive {shown}: {_explain(context.original_exception, shown)}")


_ADVICE = {
    "SQLITE_CORRUPT": "the file is damaged; restore it from a backup (`sqlite3 FILE .recover` "
                      "salvages what can still be read); the packs on disk are not affected",
    "SQLITE_NOTADB": "the file is damaged or not an archive; restore it from a backup",
    "SQLITE_FULL": "the disk is full; free some space and run the command again "
                   "(nothing was recorded)",
    "SQLITE_READONLY": "it cannot be written here; check the permissions of the file and its "
                       "folder",
    "SQLITE_IOERR": "the disk could not be read or written; check the disk and run the "
                    "command again",
    "SQLITE_CANTOPEN": "the file cannot be opened; check that it and its folder exist and can "
                       "be read",
}


def _explain(error: BaseException | None, shown: str) -> str:
    """The database's own message, first line only, with what to do about it."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_BUSY"):
        return f"{message}: {_held(Path(shown))}"
    advice = next((text for code, text in _ADVICE.items() if name.startswith(code)), "")
    return f"{message}: {advice}" if advice else message


def _held(database: Path) -> str:
    """Which lock stayed taken, and by whom when the system says: the archive's file (or its
    `-wal` and `-shm` beside it) and the processes holding a write lock on them."""
    files = [database, database.with_name(database.name + "-wal"),
             database.with_name(database.name + "-shm")]
    holders = lock_holders(files)
    seconds = f"{SQLITE_BUSY_TIMEOUT_MS / 1000:g} seconds"
    who = (", ".join(holders) if holders else
           "a program that has it open (another reportgen, or an SQLite tool such as sqlite3)")
    return (f"the lock on {database} (and its -wal and -shm files) stayed taken for {seconds} "
            f"by {who}; let it finish or close it, then run the command again")


def _engine(url: URL) -> tuple[Engine, Path | None]:
    """The engine, and for an SQLite file the folder for its lock files."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True), None
    lock_dir = None
    writable = True
    if url.database in (None, "", ":memory:"):
        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        database = Path(url.database)
        lock_dir = database.with_name(database.name + ".locks")
        writable = not database.is_file() or os.access(database.parent, os.W_OK)
        if writable:
            database.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
        else:  # only readable here: read it as it is, needing no -shm file beside it
            location = f"file:{quote(str(database.resolve()))}?immutable=1"
            engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
                location, uri=True, check_same_thread=False))
    event.listen(engine, "connect", partial(_sqlite_connect, writable))
    event.listen(engine, "begin", _sqlite_begin)
    return engine, lock_dir


def _sqlite_connect(writable: bool, dbapi_connection: Any, _record: Any) -> None:
    """On every new SQLite connection: durable WAL, enforced foreign keys, wait when busy.

    `isolation_level = None` stops the sqlite3 module's implicit transactions; `_sqlite_begin`
    emits BEGIN itself, so a review's rows are committed together or not at all.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # Switching to WAL does not wait for a busy file, it fails at once: only the first
    # connection to a new archive switches (Archive.open holds the open lock), the rest see WAL.
    if writable and cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE), so they queue instead of failing."""
    write = conn.get_execution_options().get("reportgen_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def _refuse_emptied(database: Path) -> None:
    """An SQLite file of 0 bytes is a new archive only where no packs were archived before:
    with revision folders beside it (`<folder>/<quarter>/r<N>/manifest.json`, the outputs
    layout) it is an archive that lost its data, and opening it would start numbering again and
    give `site` an empty archive to publish."""
    wal = database.with_name(database.name + "-wal")
    if not database.is_file() or database.stat().st_size or (wal.is_file() and
                                                              wal.stat().st_size):
        return
    found = next(database.parent.glob("*/*/r*/manifest.json"), None)
    if found is not None:
        raise ReportgenError(
            f"archive {database}: the file is empty (0 bytes), yet revisions archived before "
            f"are beside it ({found.parent}): the archive has lost its data; restore it from a "
            "backup (reportgen will not start it again, which would number revisions anew and "
            "publish an empty site)")


def _has_content(database: str | None) -> bool:
    """Whether an SQLite file is there already, not empty."""
    path = Path(database) if database and database != ":memory:" else None
    return path is not None and path.is_file() and path.stat().st_size > 0


def _migrate(engine: Engine, shown: str, lock_dir: Path | None, existing: bool) -> None:
    """Bring the schema to head, once, even when several processes open a new archive at once.

    An archive already at `SCHEMA_HEAD` is recognised with one query, without importing Alembic
    (a third of a second that every `build` and `history` would otherwise pay) and without
    writing anything, not even a lock file. Otherwise, for an SQLite file, one process at a time
    creates the file, turns on WAL and migrates, under the open lock.
    """
    if (lock_dir is None or existing) and _at_head(engine):
        return
    if lock_dir is None:
        _upgrade(engine, shown)
        return
    with file_lock(lock_dir / "open.lock"):
        if not _at_head(engine):
            _upgrade(engine, shown)


def _at_head(engine: Engine) -> bool:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        versions = {row[0] for row in conn.execute(text("SELECT version_num FROM "
                                                        "alembic_version"))}
    return versions == {SCHEMA_HEAD}


def _upgrade(engine: Engine, shown: str) -> None:
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
        try:
            command.upgrade(config, "head")
        except ReportgenError as exc:  # a migration refusing this archive's data
            raise ReportgenError(f"archive {shown}: {exc}") from None


def lock_key(key: str) -> int:
    """A PostgreSQL advisory lock key: a signed 64-bit hash of `key`."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
