"""Decisions and actions in the archive (migration 0004), on SQLite and PostgreSQL: recorded with
their review, read back as the previous quarter's decision states, and an archive made at 0001
upgrades in place, its reviews kept."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import insert, make_url, select

from factories import example_review
from reportgen.archive import Archive, engine, tables
from reportgen.domain.model import DecisionState


def record(archive: Archive, quarter: int) -> int:
    return archive.record(
        example_review(quarter), revision=1, inputs_sha256=f"{quarter:064x}",
        config_digest="b" * 64, tool_version="0.1.0",
        created_at=dt.datetime(2025, 7, quarter, tzinfo=dt.UTC), artifacts=[], distribution=[])


def test_decisions_and_actions_are_recorded_with_the_review(archive: Archive) -> None:
    review_id = record(archive, 3)
    d, a = tables.decisions, tables.actions
    with archive.engine.connect() as conn:
        decisions = conn.execute(select(d).where(d.c.review_id == review_id)
                                 .order_by(d.c.position)).all()
        actions = conn.execute(select(a).where(a.c.review_id == review_id)
                               .order_by(a.c.position)).all()
    assert [(r.decision_id, r.state, r.due) for r in decisions] == [
        ("D-01", "Decided", dt.date(2025, 9, 30)), ("D-02", "Open", dt.date(2025, 10, 31)),
        ("D-03", "Open", dt.date(2025, 11, 15))]
    assert (decisions[1].recommendation, decisions[1].financial_impact) == (
        "Approve: four dedicated engineers for 12 months", "$1.2M")
    assert [(r.action_id, r.owner, r.state) for r in actions] == [
        ("A-01", "Joint PMO", "Done"), ("A-02", "Marcus Lee", "Open"),
        ("A-03", "Partnership Finance Lead", "Open")]


def test_the_previous_quarter_brings_its_decisions_states(archive: Archive) -> None:
    record(archive, 2)
    previous = archive.previous_review(example_review(3).input.partnership.key, "2025-Q3")
    assert previous is not None
    assert previous.decision_state == {"D-01": DecisionState.OPEN}
    assert [d.id for d in example_review(3, previous).decisions_taken] == ["D-01"]


def test_an_archive_at_0001_upgrades_and_keeps_its_reviews(archive_url: str) -> None:
    raw, _ = engine._engine(make_url(archive_url))  # an engine that does not migrate
    try:
        config = engine._alembic_config()
        with raw.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.execute(insert(tables.reviews).values(
                partnership="FinCorp–TechDrive Wealth Platform",
                partnership_slug="fincorp-techdrive-wealth-platform", partner="TechDrive Inc.",
                quarter="2025-Q2", revision=1, inputs_sha256="a" * 64, config_digest="b" * 64,
                score=88, status="Green", source_file="q2.xlsx", tool_version="0.1.0",
                created_at=dt.datetime(2025, 7, 15, tzinfo=dt.UTC)))
    finally:
        raw.dispose()
    with Archive.open(archive_url) as archive:  # migrates to head
        previous = archive.previous_review(example_review(3).input.partnership.key, "2025-Q3")
        assert previous is not None and previous.score == 88
        assert previous.decision_state == {}  # archived before decisions were
        record(archive, 3)
        with archive.engine.connect() as conn:
            assert conn.scalar(select(tables.decisions.c.decision_id)
                               .order_by(tables.decisions.c.id)) == "D-01"
