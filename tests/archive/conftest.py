"""Archive fixtures: every test runs on SQLite (a temporary file) and on PostgreSQL.

PostgreSQL comes from `REPORTGEN_TEST_POSTGRES` (a SQLAlchemy URL, as printed by
`scripts/start-postgres.sh`). Unset: the PostgreSQL cases are skipped, saying so. Set but the
server cannot be reached: they fail. Each PostgreSQL test gets a schema of its own, dropped after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from reportgen.archive import Archive

POSTGRES_ENV = "REPORTGEN_TEST_POSTGRES"


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty archive database; nothing has been created in it yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite'}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} is not set; export it from scripts/start-postgres.sh")
    schema = f"reportgen_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    unreachable = ""
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        unreachable = str(exc.orig)
    if unreachable:
        admin.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL cannot be reached: {unreachable}")
    try:
        yield make_url(server).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        ).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def archive(archive_url: str) -> Iterator[Archive]:
    with Archive.open(archive_url) as opened:
        yield opened


@pytest.fixture
def backend(archive_url: str) -> str:
    return make_url(archive_url).get_backend_name()
