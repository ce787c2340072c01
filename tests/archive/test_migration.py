"""Schema 0003 on SQLite and PostgreSQL: an 0001 archive upgrades (keys and folders backfilled
past the append-only triggers), INSERT OR REPLACE cannot replace a row, and the schema version
can be changed by the migrations only."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import IntegrityError

from factories import example_review
from reportgen.archive import Archive, engine, tables
from reportgen.domain.model import folder_names
from reportgen.domain.scoring import ScoredReview
from reportgen.domain.text import normalise
from reportgen.errors import ReportgenError

FINCORP = "FinCorp–TechDrive Wealth Platform"
AT = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)
OLD_REVIEWS = [  # (id given, name, slug, quarter, revision): what reportgen 0.1 recorded
    (1, "Acme & Beta", "acme-beta", "2025-Q2", 1),
    (2, "Acme/Beta", "acme-beta", "2025-Q2", 2),  # the slug's shared numbering: the old bug
    (3, FINCORP, "fincorp-techdrive-wealth-platform", "2025-Q3", 1),
    (4, "  FINCORP–TechDrive   Wealth Platform", "fincorp-techdrive-wealth-platform",
     "2025-Q3", 2),
]


def at_0001(url: str) -> None:
    """An archive as reportgen 0.1 left it: schema 0001 and rows recorded by slug."""
    config = engine._alembic_config()
    old = create_engine(url)
    with old.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        for review_id, name, slug, quarter, revision in OLD_REVIEWS:
            conn.execute(text(
                "INSERT INTO reviews (partnership, partnership_slug, partner, quarter, "
                "revision, inputs_sha256, config_digest, score, status, source_file, "
                "tool_version, created_at) VALUES (:name, :slug, 'Partner', :quarter, "
                ":revision, :digest, :digest, 80, 'Amber', 'q.xlsx', '0.1.0', :at)"),
                {"name": name, "slug": slug, "quarter": quarter,
                 "revision": revision, "digest": f"{review_id:064x}", "at": AT})
        conn.execute(text(
            "INSERT INTO kpi_results (review_id, position, category, kpi, metric, target, "
            "direction, status, status_source, computed_status, weight, points, owner, "
            "commentary) VALUES (3, 1, 'Financial', 'Revenue', '%', 0.05, 'higher', 'Green', "
            "'computed', 'Green', 1.0, 100, '', '')"))
    old.dispose()


def named(review: ScoredReview, name: str, quarter: str = "") -> ScoredReview:
    p = review.input.partnership
    partnership = replace(p, name=name)
    if quarter:
        from reportgen.domain.model import Quarter

        partnership = replace(partnership, quarter=Quarter.parse(quarter))
    return replace(review, input=replace(review.input, partnership=partnership))


def record(archive: Archive, review: ScoredReview, revision: int, **changes: Any) -> int:
    arguments: dict[str, Any] = {
        "revision": revision, "inputs_sha256": "a" * 64, "config_digest": "b" * 64,
        "tool_version": "0.1.0", "created_at": AT, "artifacts": [],
        "distribution": ["cfo@fincorp.example"],
    }
    return archive.record(review, **(arguments | changes))


def test_an_0001_archive_upgrades_with_keys_and_folders(archive_url: str) -> None:
    at_0001(archive_url)
    with Archive.open(archive_url) as archive:
        with archive.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == engine.SCHEMA_HEAD
            assert compare_metadata(MigrationContext.configure(conn), tables.metadata) == []
            keys = dict(conn.execute(text("SELECT id, partnership_key FROM reviews")).all())
            linked = conn.scalar(text("SELECT count(*) FROM kpi_results k "
                                      "JOIN reviews r ON r.id = k.review_id WHERE r.id = 3"))
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            for statement in ("UPDATE reviews SET score = 1", "DELETE FROM reviews"):
                with pytest.raises(IntegrityError, match="append-only"):
                    conn.execute(text(statement))
                conn.rollback()
        assert keys == {1: "acme & beta", 2: "acme/beta", 3: normalise(FINCORP),
                        4: normalise(FINCORP)}
        assert linked == 1
        acme, slash = archive.latest("acme & beta", "2025-Q2"), archive.latest("acme/beta",
                                                                                 "2025-Q2")
        assert acme is not None and slash is not None
        assert (acme.revision, slash.revision) == (1, 2)
        latest = archive.latest(normalise(FINCORP), "2025-Q3")
        assert latest is not None and latest.revision == 2  # one partnership, two spellings
        assert archive.folder("acme & beta") == "acme-beta"  # first archived keeps the slug
        assert archive.folder("acme/beta") == folder_names("Acme/Beta")[1]
        assert archive.folder(normalise(FINCORP)) == "fincorp-techdrive-wealth-platform"
        # numbered by partnership now: Acme & Beta's r2 no longer collides with Acme/Beta's
        record(archive, named(example_review(2), "Acme & Beta"), 2)
        with pytest.raises(Exception, match="revision 2 is already archived"):
            record(archive, named(example_review(2), "Acme/Beta"), 2)


def test_insert_or_replace_cannot_replace_an_archived_row(tmp_path) -> None:
    path = tmp_path / "archive.sqlite"
    with Archive.open(f"sqlite:///{path}") as archive:
        review_id = record(archive, example_review(2), 1)
        archive.claim_folder("fincorp", "FinCorp", ["fincorp"], AT)
    plain = sqlite3.connect(path)  # any client, with SQLite's defaults
    attempts = [
        f"REPLACE INTO distribution (id, review_id, position, recipient) "
        f"VALUES (1, {review_id}, 1, 'eve@example.com')",
        f"INSERT OR REPLACE INTO distribution (review_id, position, recipient) "
        f"VALUES ({review_id}, 1, 'eve@example.com')",
        "INSERT OR REPLACE INTO reviews SELECT * FROM reviews",
        "INSERT OR REPLACE INTO reviews (partnership, partnership_slug, partner, quarter, "
        "revision, inputs_sha256, config_digest, score, status, source_file, tool_version, "
        "created_at, partnership_key) SELECT partnership, partnership_slug, partner, quarter, "
        "revision, inputs_sha256, config_digest, 100, status, source_file, tool_version, "
        "created_at, partnership_key FROM reviews",
        "INSERT OR REPLACE INTO folders (partnership_key, partnership, folder, created_at) "
        "VALUES ('eve', 'Eve', 'fincorp', '2025-01-01 00:00:00')",
    ]
    for statement in attempts:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            plain.execute(statement)
    assert plain.execute("SELECT recipient FROM distribution").fetchall() == [
        ("cfo@fincorp.example",)]
    assert plain.execute("SELECT id, score FROM reviews").fetchall() == [(review_id, 88)]
    assert plain.execute("SELECT partnership_key FROM folders").fetchall() == [("fincorp",)]
    plain.close()


def test_the_schema_version_is_changed_by_the_migrations_only(archive_url: str) -> None:
    at_0001(archive_url)  # the guard is lifted and put back by the upgrade to 0003
    with Archive.open(archive_url) as archive, archive.engine.connect() as conn:
        statements = ["UPDATE alembic_version SET version_num = '0001'",
                      "DELETE FROM alembic_version",
                      "INSERT INTO alembic_version VALUES ('9999')"]
        if conn.dialect.name == "postgresql":
            statements.append("TRUNCATE alembic_version")
        else:
            statements.append("INSERT OR REPLACE INTO alembic_version VALUES ('0003')")
        for statement in statements:
            with pytest.raises(IntegrityError, match="set by its migrations only"):
                conn.execute(text(statement))
            conn.rollback()
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == engine.SCHEMA_HEAD
    with Archive.open(archive_url):  # and the archive still opens at head
        pass
    assert make_url(archive_url).get_backend_name() in ("sqlite", "postgresql")


CAFE, CAFE_DECOMPOSED = "Caf\u00e9 Partners", "Cafe\u0301 Partners"


def at_0004(url: str, reviews: list[tuple[str, str, str]]) -> None:
    """An archive as schema 0004 left it: keys with case and spaces folded but not NFKC, and
    each key's folder; `reviews` are (name, quarter, folder)."""
    config = engine._alembic_config()
    old = create_engine(url)
    with old.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        for number, (name, quarter, folder) in enumerate(reviews, start=1):
            key = " ".join(name.split()).casefold()
            conn.execute(text(
                "INSERT INTO reviews (partnership, partnership_slug, partner, quarter, "
                "revision, inputs_sha256, config_digest, score, status, source_file, "
                "tool_version, created_at, partnership_key) VALUES (:name, :folder, 'Partner', "
                ":quarter, 1, :digest, :digest, 80, 'Amber', 'q.xlsx', '0.4.0', :at, :key)"),
                {"name": name, "folder": folder, "quarter": quarter,
                 "digest": f"{number:064x}", "at": AT, "key": key})
            if not conn.scalar(text("SELECT count(*) FROM folders WHERE partnership_key = :key"),
                               {"key": key}):
                conn.execute(text("INSERT INTO folders (partnership_key, partnership, folder, "
                                  "created_at) VALUES (:key, :name, :folder, :at)"),
                             {"key": key, "name": name, "folder": folder, "at": AT})
    old.dispose()


def test_names_alike_in_nfkc_are_merged_into_one_history(archive_url: str) -> None:
    at_0004(archive_url, [(CAFE, "2025-Q2", "cafe-partners"),
                          (CAFE_DECOMPOSED, "2025-Q3", "cafe-partners-1a2b3c")])
    key = normalise(CAFE)
    assert key == normalise(CAFE_DECOMPOSED)
    with Archive.open(archive_url) as archive:
        with archive.engine.connect() as conn:
            keys = conn.execute(text("SELECT DISTINCT partnership_key FROM reviews")).scalars()
            assert list(keys) == [key]
            assert conn.execute(text("SELECT partnership_key, folder FROM folders")).all() == [
                (key, "cafe-partners")]
            for statement in ("UPDATE reviews SET score = 1", "DELETE FROM folders",
                              "UPDATE folders SET folder = 'x'"):
                with pytest.raises(IntegrityError, match="append-only"):
                    conn.execute(text(statement))
                conn.rollback()
        assert archive.folder(key) == "cafe-partners"
        q2, q3 = archive.latest(key, "2025-Q2"), archive.latest(key, "2025-Q3")
        assert q2 is not None and q3 is not None
        _, revisions = archive.reviews(CAFE_DECOMPOSED)
        assert len(revisions) == 2
        record(archive, named(example_review(3), CAFE_DECOMPOSED, "2025-Q3"), 2)
        with pytest.raises(Exception, match="revision 2 is already archived"):
            record(archive, named(example_review(3), CAFE, "2025-Q3"), 2)


def test_names_alike_in_nfkc_with_one_quarter_each_are_a_located_error(
        archive_url: str) -> None:
    at_0004(archive_url, [(CAFE, "2025-Q3", "cafe-partners"),
                          (CAFE_DECOMPOSED, "2025-Q3", "cafe-partners-1a2b3c")])
    with pytest.raises(ReportgenError) as caught:
        Archive.open(archive_url).close()
    message = str(caught.value)
    assert message.startswith("archive ")
    assert "Caf\\xe9 Partners" in message and "Cafe\\u0301 Partners" in message
    assert "2025-Q3" in message and "\n" not in message
    check = create_engine(archive_url)
    with check.connect() as conn:  # nothing changed: still 0004, both keys
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0004"
        assert conn.scalar(text("SELECT count(DISTINCT partnership_key) FROM reviews")) == 2
    check.dispose()
