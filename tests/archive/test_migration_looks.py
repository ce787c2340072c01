"""Schema 0002 on SQLite and PostgreSQL: each KPI's actual is archived with its look and read
back as its workbook showed it, the risk register's due date and target are archived, and an
archive made at 0001 (before both) upgrades in place, its rows kept and still append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from factories import example_review
from reportgen.archive import Archive, tables
from reportgen.archive import rows as archive_rows
from reportgen.archive.engine import SCHEMA_HEAD, _alembic_config
from reportgen.domain.measures import format_measure
from reportgen.domain.text import normalise

SLUG = example_review(2).input.partnership.slug
KEY = example_review(2).input.partnership.key  # how the archive knows a partnership
AT = dt.datetime(2025, 7, 1, 9, 0, tzinfo=dt.UTC)


def record(archive: Archive, quarter: int) -> int:
    return archive.record(example_review(quarter), revision=1, inputs_sha256="a" * 64,
                          config_digest="b" * 64, tool_version="0.1.0", created_at=AT,
                          artifacts=[], distribution=[])


def test_last_quarters_actuals_come_back_as_their_workbook_showed_them(archive: Archive):
    record(archive, 2)
    previous = archive.previous_review(KEY, "2025-Q3")
    assert previous is not None
    shown = {name: format_measure(m) for name, m in previous.kpi_measure.items()}
    assert shown == {
        "joint revenue growth": "4.6%", "cost synergy realization": "$1.6M",
        "service level agreement (sla) adherence": "99.92%",
        "joint project milestone delivery": "96%",
        "customer satisfaction (joint offering)": "+52", "executive engagement score": "4.5"}
    assert previous.kpi_measure == {normalise(k.kpi.name): k.kpi.actual
                                    for k in example_review(2).kpis}
    (entry,) = archive.history(KEY, "2025-Q3")
    assert entry.kpi_actual["Cost Synergy Realization"] == pytest.approx(1.6)
    assert format_measure(entry.kpi_measure["Cost Synergy Realization"]) == "$1.6M"


def test_the_risk_registers_due_dates_and_targets_are_archived(archive: Archive):
    review_id = record(archive, 3)
    with archive.engine.connect() as conn:
        rows = conn.execute(select(tables.risk_results).where(
            tables.risk_results.c.review_id == review_id).order_by("position")).all()
    assert [(r.risk_id, r.due, r.target_probability, r.target_impact) for r in rows] == [
        ("SR-02", dt.date(2025, 11, 28), 2, 3), ("SR-03", dt.date(2026, 1, 16), 2, 3),
        ("SR-01", dt.date(2025, 12, 31), 1, 5), ("SR-04", dt.date(2025, 10, 31), 2, 3)]


def test_a_target_outside_1_to_5_is_refused_by_the_database(archive: Archive):
    review_id = record(archive, 3)
    row = archive_rows.risk_rows(review_id, example_review(3))[0]
    with archive.engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(insert(tables.risk_results), [row | {"position": 9, "risk_id": "SR-09",
                                                          "target_impact": 6}])


def test_an_archive_made_at_0001_upgrades_and_keeps_its_rows(archive_url: str):
    from alembic import command

    engine = create_engine(archive_url)
    config = _alembic_config()
    with engine.begin() as conn:  # the schema as the first release made it, with one review
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        review = example_review(2)
        review_id = conn.execute(insert(tables.reviews).values(
            partnership=review.input.partnership.name, partnership_slug=SLUG,
            partner="TechDrive Inc.", quarter="2025-Q2", revision=1, inputs_sha256="a" * 64,
            config_digest="b" * 64, score=88, status="Green", source_file="q2.xlsx",
            tool_version="0.1.0", created_at=AT)).inserted_primary_key[0]
        old = {"actual_look", "due", "target_probability", "target_impact"}
        for table, rows in ((tables.kpi_results, archive_rows.kpi_rows(review_id, review)),
                            (tables.risk_results, archive_rows.risk_rows(review_id, review))):
            conn.execute(insert(table), [{k: v for k, v in r.items() if k not in old}
                                         for r in rows])
    engine.dispose()

    with Archive.open(archive_url) as archive:
        with archive.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == SCHEMA_HEAD
        previous = archive.previous_review(KEY, "2025-Q3")
        assert previous is not None and previous.score == 88
        assert previous.kpi_actual["cost synergy realization"] == pytest.approx(1.6)
        assert previous.kpi_measure == {}  # archived before looks were kept
        assert archive.history(KEY, "2025-Q3")[0].kpi_measure == {}
        record(archive, 3)  # and the upgraded archive takes new reviews
        assert len(archive.history(KEY, "2025-Q4")) == 2
        for statement in ("UPDATE kpi_results SET actual_look = NULL",
                          "UPDATE risk_results SET target_impact = 1"):
            with archive.engine.connect() as conn, pytest.raises(IntegrityError,
                                                                 match="append-only"):
                conn.execute(text(statement))
