"""The archive on SQLite and PostgreSQL: schema by migration, recording, reading back, the
append-only guarantee, atomic records, concurrent builds, deliveries and the history exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from rich.console import Console
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from factories import example_review
from reportgen.archive import Archive, engine, repository, tables
from reportgen.archive.engine import SCHEMA_HEAD
from reportgen.domain.history import ArtifactRecord
from reportgen.domain.model import Quarter, Status
from reportgen.domain.scoring import ScoredReview
from reportgen.domain.text import normalise
from reportgen.errors import ReportgenError
from reportgen.present.history import history_csv, history_json, history_table

SLUG = example_review(2).input.partnership.slug
KEY = example_review(2).input.partnership.key
NAME = example_review(2).input.partnership.name
AT = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)
PDF = ArtifactRecord("pdf", f"{SLUG}/2025-Q2/r1/{SLUG}-2025-Q2-qbr.pdf", "c" * 64, 123_456)
MANIFEST = ArtifactRecord("manifest", f"{SLUG}/2025-Q2/r1/manifest.json", "d" * 64, 2_048)
UPDATES = {
    "reviews": "score = 100",
    "kpi_results": "status = 'Green'",
    "risk_results": "score = 1",
    "artifacts": "sha256 = 'tampered'",
    "distribution": "recipient = 'eve@example.com'",
    "deliveries": "state = 'sent'",
    "decisions": "state = 'Decided'",
    "actions": "state = 'Done'",
}


def record(archive: Archive, review: ScoredReview, revision: int = 1, **changes: Any) -> int:
    arguments: dict[str, Any] = {
        "revision": revision,
        "inputs_sha256": f"{revision:064x}",
        "config_digest": "b" * 64,
        "tool_version": "0.1.0",
        "created_at": AT + dt.timedelta(days=revision),
        "artifacts": [PDF, MANIFEST],
        "distribution": ["Marcus Lee <marcus.lee@techdrive.example>", "cfo@fincorp.example"],
    }
    return archive.record(review, **(arguments | changes))


def relabel(review: ScoredReview, *, quarter: str = "", name: str = "") -> ScoredReview:
    """The same figures, as another quarter or another partnership."""
    p = review.input.partnership
    partnership = replace(p, quarter=Quarter.parse(quarter) if quarter else p.quarter,
                          name=name or p.name)
    return replace(review, input=replace(review.input, partnership=partnership))


def count(archive: Archive, table: str) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# --- schema -------------------------------------------------------------------------------


def test_migrations_build_the_schema_the_tables_describe(archive_url: str) -> None:
    with Archive.open(archive_url) as archive:
        names = set(inspect(archive.engine).get_table_names())
        assert names >= {t.name for t in tables.ARCHIVE_TABLES} | {"alembic_version"}
        with archive.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == SCHEMA_HEAD
            assert compare_metadata(MigrationContext.configure(conn), tables.metadata) == []
    with Archive.open(archive_url) as again:  # already at head: opening changes nothing
        assert count(again, "alembic_version") == 1


def test_sqlite_connections_are_durable_wal_with_foreign_keys(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'new' / 'archive.sqlite'}") as archive:
        with archive.engine.connect() as conn:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                      "busy_timeout": engine.SQLITE_BUSY_TIMEOUT_MS}


def test_an_in_memory_archive_works_for_one_process() -> None:
    with Archive.open("sqlite://") as archive:
        with archive.revision_lock(KEY, "2025-Q2"):
            record(archive, example_review(2))
        latest = archive.latest(KEY, "2025-Q2")
    assert latest is not None and latest.score == 88


@pytest.mark.parametrize(("url", "expected"), [
    ("not a url", "is not a database URL"),
    ("mysql://user@localhost/reportgen", "runs on SQLite or PostgreSQL only"),
    ("postgresql+psycopg://postgres:secret@127.0.0.1:1/none", "cannot open the archive"),
])
def test_unusable_archive_urls_are_clear_errors(url: str, expected: str) -> None:
    with pytest.raises(ReportgenError, match=expected) as caught:
        Archive.open(url)
    assert "secret" not in str(caught.value)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "archive.sqlite"
    bogus.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(ReportgenError, match="cannot open the archive"):
        Archive.open(f"sqlite:///{bogus}")


# --- recording and reading back -----------------------------------------------------------


def test_previous_review_is_the_previous_quarters_figures(archive: Archive) -> None:
    record(archive, example_review(2))
    record(archive, example_review(3))

    previous = archive.previous_review(KEY, "2025-Q3")

    assert previous is not None
    assert (previous.quarter, previous.score, previous.status) == ("2025-Q2", 88, Status.GREEN)
    milestone = normalise("Joint Project Milestone Delivery")
    assert previous.kpi_status[milestone] is Status.GREEN
    assert previous.kpi_actual[milestone] == pytest.approx(0.96)
    assert previous.risk_score["SR-02"] == 9
    assert previous.risk_cell["SR-02"] == (3, 3)
    assert len(previous.kpi_status) == 6 and set(previous.risk_score) == {
        "SR-01", "SR-02", "SR-03", "SR-04"}
    assert archive.previous_review(KEY, "Q2 2025") is None  # nothing archived for 2025-Q1


def test_previous_review_feeds_the_change_since_last_quarter(archive: Archive) -> None:
    record(archive, example_review(2))
    q3 = example_review(3, previous=archive.previous_review(KEY, "2025-Q3"))
    milestone = next(k for k in q3.kpis if k.kpi.name == "Joint Project Milestone Delivery")
    sr02 = next(r for r in q3.risks if r.risk.id == "SR-02")
    assert q3.score_delta == 83 - 88
    assert (milestone.previous_status, milestone.status) == (Status.GREEN, Status.RED)
    assert (sr02.previous_score, sr02.score, sr02.move.value if sr02.move else "") == (9, 12, "Up")
    assert {k.kpi.name: k.previous_status for k in q3.kpis} == {
        k.kpi.name: k.status for k in example_review(2).kpis}


def test_previous_quarter_crosses_the_year(archive: Archive) -> None:
    record(archive, relabel(example_review(2), quarter="2024-Q4"))
    previous = archive.previous_review(KEY, "2025-Q1")
    assert previous is not None and previous.quarter == "2024-Q4"


def test_every_kpi_and_risk_result_is_archived(archive: Archive) -> None:
    review = example_review(3)
    review_id = record(archive, review)
    with archive.engine.connect() as conn:
        kpis = conn.execute(select(tables.kpi_results).where(
            tables.kpi_results.c.review_id == review_id).order_by("position")).all()
        risks = conn.execute(select(tables.risk_results).where(
            tables.risk_results.c.review_id == review_id).order_by("position")).all()
        recipients = conn.execute(select(tables.distribution.c.recipient).where(
            tables.distribution.c.review_id == review_id).order_by("position")).scalars().all()
    assert [(k.kpi, k.status, k.points) for k in kpis] == [
        (k.kpi.name, k.status.value, k.points) for k in review.kpis]
    assert [k.points for k in kpis] == [30, 15, 15, 5, 10, 8]
    first = kpis[0]
    assert (first.target, first.actual, first.weight, first.direction) == pytest.approx(
        (0.05, 0.062, 0.3, "higher"))
    assert (first.status_source, first.computed_status) == ("computed", "Green")
    assert [(r.risk_id, r.score, r.rating) for r in risks] == [
        ("SR-02", 12, "High"), ("SR-03", 12, "High"), ("SR-01", 10, "High"),
        ("SR-04", 9, "Medium")]
    assert recipients == ["Marcus Lee <marcus.lee@techdrive.example>", "cfo@fincorp.example"]
    assert archive.artifacts(review_id) == [PDF, MANIFEST]


def test_latest_is_the_highest_revision(archive: Archive) -> None:
    assert archive.latest(KEY, "2025-Q2") is None
    record(archive, example_review(2), 1)
    second = record(archive, replace(example_review(2), score=87), 2)

    latest = archive.latest(KEY, "Q2 2025")

    assert latest is not None
    assert (latest.id, latest.revision, latest.score, latest.status) == (second, 2, 87, "Green")
    assert (latest.partnership, latest.partnership_slug, latest.quarter) == (NAME, SLUG, "2025-Q2")
    assert latest.partnership_key == KEY == "fincorp–techdrive wealth platform"
    assert latest.inputs_sha256 == f"{2:064x}" and latest.tool_version == "0.1.0"
    assert latest.created_at == AT + dt.timedelta(days=2)
    assert latest.created_at.utcoffset() == dt.timedelta(0)


def test_an_archived_revision_cannot_be_recorded_twice(archive: Archive) -> None:
    record(archive, example_review(2), 1)
    with pytest.raises(ReportgenError, match="revision 1 is already archived"):
        record(archive, replace(example_review(2), score=50), 1)
    assert count(archive, "reviews") == 1
    assert count(archive, "kpi_results") == 6
    latest = archive.latest(KEY, "2025-Q2")
    assert latest is not None and latest.score == 88


def test_timestamps_are_stored_in_utc(archive: Archive) -> None:
    paris = dt.datetime(2025, 7, 1, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    review_id = record(archive, example_review(2), created_at=paris)
    latest = archive.latest(KEY, "2025-Q2")
    assert latest is not None and latest.id == review_id
    assert latest.created_at == paris and latest.created_at.tzinfo == dt.UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        record(archive, example_review(2), 2, created_at=dt.datetime(2025, 7, 1))


@pytest.mark.parametrize(("artifact", "problem"), [
    (ArtifactRecord("zip", "a/b.zip", "c" * 64, 1), "kind"),
    (ArtifactRecord("pdf", "/etc/passwd", "c" * 64, 1), "relative"),
    (ArtifactRecord("pdf", "a/../../b.pdf", "c" * 64, 1), "relative"),
    (ArtifactRecord("pdf", "a/b.pdf", "not a digest", 1), "hex"),
])
def test_bad_artifacts_are_refused_before_writing(
    archive: Archive, artifact: ArtifactRecord, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        record(archive, example_review(2), artifacts=[artifact])
    assert count(archive, "reviews") == 0


# --- history --------------------------------------------------------------------------------


def test_history_is_the_latest_revision_of_each_earlier_quarter_oldest_first(
    archive: Archive,
) -> None:
    record(archive, example_review(3))  # recorded first, listed last
    record(archive, relabel(example_review(3), quarter="2024-Q4"))
    record(archive, example_review(2), 1)
    record(archive, replace(example_review(2), score=87), 2)

    history = archive.history(KEY, "2025-Q4")

    assert [(h.quarter, h.score, h.status) for h in history] == [
        ("2024-Q4", 83, Status.AMBER), ("2025-Q2", 87, Status.GREEN),
        ("2025-Q3", 83, Status.AMBER)]
    assert history[1].kpi_status["Joint Project Milestone Delivery"] is Status.GREEN
    assert history[2].kpi_status["Joint Project Milestone Delivery"] is Status.RED
    assert list(history[2].kpi_status) == [k.kpi.name for k in example_review(3).kpis]
    assert [h.quarter for h in archive.history(KEY, "2025-Q3")] == ["2024-Q4", "2025-Q2"]
    assert [h.quarter for h in archive.history(KEY, "2025-Q4", limit=2)] == [
        "2025-Q2", "2025-Q3"]
    assert archive.history(KEY, "2024-Q4") == []
    assert archive.history("another-partnership", "2025-Q4") == []


def test_reviews_lists_every_revision_of_the_one_matching_partnership(archive: Archive) -> None:
    record(archive, example_review(3), 1)
    record(archive, example_review(2), 1)
    record(archive, example_review(3), 2)
    record(archive, relabel(example_review(3), name="FinCorp Payments Alliance"))

    name, rows = archive.reviews("WEALTH platform")

    assert name == NAME
    assert [(r.quarter, r.revision, r.score, r.status) for r in rows] == [
        ("2025-Q2", 1, 88, Status.GREEN), ("2025-Q3", 1, 83, Status.AMBER),
        ("2025-Q3", 2, 83, Status.AMBER)]
    assert archive.reviews(SLUG)[0] == NAME
    assert archive.reviews("payments")[0] == "FinCorp Payments Alliance"
    with pytest.raises(ReportgenError) as ambiguous:
        archive.reviews("fincorp")
    assert str(ambiguous.value) == (
        f"2 archived partnerships match 'fincorp': FinCorp Payments Alliance; {NAME}; "
        "give more of the name")
    with pytest.raises(ReportgenError, match="no archived partnership matches 'globex'"):
        archive.reviews("globex")


def test_an_exact_name_wins_over_partial_matches(archive: Archive) -> None:
    record(archive, relabel(example_review(2), name="FinCorp"))
    record(archive, relabel(example_review(2), name="FinCorp Payments"))
    assert archive.reviews("fincorp")[0] == "FinCorp"


def test_history_json_is_spec_8_2(archive: Archive) -> None:
    record(archive, example_review(3))
    record(archive, example_review(2))

    document = json.loads(history_json(*archive.reviews("fincorp")))

    assert document == {"partnership": NAME, "reviews": [
        {"quarter": "2025-Q2", "revision": 1, "score": 88, "status": "Green",
         "created_at": "2025-07-02T09:00:00+00:00", "inputs_sha256": f"{1:064x}"},
        {"quarter": "2025-Q3", "revision": 1, "score": 83, "status": "Amber",
         "created_at": "2025-07-02T09:00:00+00:00", "inputs_sha256": f"{1:064x}"},
    ]}
    assert list(document["reviews"][0]) == [
        "quarter", "revision", "score", "status", "created_at", "inputs_sha256"]


def test_history_csv_and_table(archive: Archive) -> None:
    record(archive, example_review(2), 1)
    record(archive, example_review(2), 2)
    name, rows = archive.reviews("fincorp")

    lines = list(csv.DictReader(io.StringIO(history_csv(name, rows))))
    assert lines == [
        {"partnership": NAME, "quarter": "2025-Q2", "revision": str(n), "score": "88",
         "status": "Green", "created_at": (AT + dt.timedelta(days=n)).isoformat(),
         "inputs_sha256": f"{n:064x}"}
        for n in (1, 2)]

    console = Console(record=True, width=120, color_system=None)
    console.print(history_table(name, rows))
    shown = console.export_text()
    assert NAME in shown and "Q2 2025" in shown and "Green" in shown
    assert "r1" in shown and "r2" in shown and "2025-07-03 09:00" in shown


# --- append-only and atomic -------------------------------------------------------------------


@pytest.mark.parametrize("table", list(UPDATES))
def test_archived_rows_cannot_be_changed_or_deleted(archive: Archive, table: str) -> None:
    review_id = record(archive, example_review(2))
    archive.record_delivery(review_id, "cfo@fincorp.example", "sending", at=AT)
    before = count(archive, table)
    assert before > 0

    for statement in (f"UPDATE {table} SET {UPDATES[table]}", f"DELETE FROM {table}"):
        with archive.engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text(statement))
    if archive.engine.dialect.name == "postgresql":
        with archive.engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text(f"TRUNCATE {table} CASCADE"))

    assert count(archive, table) == before


def test_a_failure_midway_through_record_leaves_no_rows(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = repository._insert
    seen: dict[str, int] = {}

    def fail_after_the_kpis(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        real_insert(conn, table, rows)
        if table is tables.kpi_results:
            seen["kpi rows inside the transaction"] = conn.scalar(
                select(func.count()).select_from(tables.kpi_results))
            raise OSError("disk full")

    monkeypatch.setattr(repository, "_insert", fail_after_the_kpis)
    with pytest.raises(OSError, match="disk full"):
        record(archive, example_review(2))

    assert seen == {"kpi rows inside the transaction": 6}
    assert {t.name: count(archive, t.name) for t in tables.ARCHIVE_TABLES} == dict.fromkeys(
        [*UPDATES, "folders"], 0)
    monkeypatch.undo()
    record(archive, example_review(2))  # the same revision records cleanly afterwards
    assert count(archive, "kpi_results") == 6


# --- concurrency ------------------------------------------------------------------------------


def build_five_times(url: str, start: Any) -> None:
    """One build process: open the archive, then take the next revision five times."""
    review = example_review(3)
    start.wait(60)
    with Archive.open(url) as archive:
        for _ in range(5):
            with archive.revision_lock(KEY, "2025-Q3"):
                latest = archive.latest(KEY, "2025-Q3")
                revision = 1 if latest is None else latest.revision + 1
                time.sleep(0.02)  # rendering: where an unlocked second build would collide
                record(archive, review, revision)


def test_concurrent_builds_of_one_quarter_get_distinct_revisions(archive_url: str) -> None:
    context = multiprocessing.get_context("fork")  # two builds, each opening its own archive
    start = context.Event()
    builds = [context.Process(target=build_five_times, args=(archive_url, start))
              for _ in range(2)]
    for build in builds:
        build.start()
    start.set()  # both open a brand-new archive at once, then race for revisions
    for build in builds:
        build.join(120)
    assert [build.exitcode for build in builds] == [0, 0]

    with Archive.open(archive_url) as archive:
        _, rows = archive.reviews(SLUG)
    assert [row.revision for row in rows] == list(range(1, 11))


# --- deliveries ------------------------------------------------------------------------------


def test_delivery_state_is_each_recipients_latest_row(archive: Archive) -> None:
    review_id = record(archive, example_review(2))
    other_id = record(archive, example_review(3))
    assert archive.delivery_states(review_id) == {}
    minute = dt.timedelta(minutes=1)
    archive.record_delivery(review_id, "a@example.com", "sending", at=AT)
    archive.record_delivery(review_id, "b@example.com", "sending", at=AT)
    archive.record_delivery(review_id, "c@example.com", "sending", at=AT)
    archive.record_delivery(review_id, "a@example.com", "sent", message_id="<1@reportgen>",
                            server_reply="250 2.0.0 Ok: queued", at=AT + minute)
    archive.record_delivery(review_id, "b@example.com", "refused",
                            server_reply="550 5.1.1 No such user", at=AT + minute)
    archive.record_delivery(other_id, "a@example.com", "sent", at=AT + 2 * minute)

    states = archive.delivery_states(review_id)

    assert {r: d.state for r, d in states.items()} == {
        "a@example.com": "sent", "b@example.com": "refused", "c@example.com": "sending"}
    sent = states["a@example.com"]
    assert (sent.message_id, sent.server_reply, sent.created_at) == (
        "<1@reportgen>", "250 2.0.0 Ok: queued", AT + minute)
    assert states["b@example.com"].server_reply == "550 5.1.1 No such user"
    assert count(archive, "deliveries") == 6  # a state change is a new row
    assert list(archive.delivery_states(other_id)) == ["a@example.com"]


def test_deliveries_are_checked(archive: Archive) -> None:
    review_id = record(archive, example_review(2))
    with pytest.raises(ValueError, match="delivery state 'bounced'"):
        archive.record_delivery(review_id, "a@example.com", "bounced", at=AT)
    with pytest.raises(IntegrityError):  # foreign keys are enforced, SQLite included
        archive.record_delivery(review_id + 99, "a@example.com", "sent", at=AT)
    assert count(archive, "deliveries") == 0



def test_schema_head_constant_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    from reportgen.archive.engine import SCHEMA_HEAD, _alembic_config

    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == SCHEMA_HEAD


# --- folders ----------------------------------------------------------------------------------


def test_a_folder_is_chosen_once_and_never_shared(archive: Archive) -> None:
    assert archive.folder("acme & beta") is None
    assert archive.claim_folder("acme & beta", "Acme & Beta", ["acme-beta", "acme-beta-1a2b3c"],
                                AT) == "acme-beta"
    assert archive.claim_folder("acme/beta", "Acme/Beta", ["acme-beta", "acme-beta-4d5e6f"],
                                AT) == "acme-beta-4d5e6f"
    assert archive.claim_folder("acme & beta", "ACME & Beta", ["elsewhere"], AT) == "acme-beta"
    assert (archive.folder("acme & beta"), archive.folder("acme/beta")) == (
        "acme-beta", "acme-beta-4d5e6f")
    with pytest.raises(ReportgenError, match="every folder name it could have"):
        archive.claim_folder("acme beta", "Acme Beta", ["acme-beta", "acme-beta-4d5e6f"], AT)
    with archive.engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.execute(text("UPDATE folders SET folder = 'stolen'"))
    assert count(archive, "folders") == 2
