"""Decisions and actions archived with each review (the Decisions and Actions sheets as read),
append-only like every archive table. Reviews archived before keep no decisions: the next
quarter then lists every decided one as taken since last quarter.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("decisions", "actions")
MESSAGE = "archive records are append-only"


def _common(table: str) -> list[sa.schema.SchemaItem]:
    """The id, the review and the position (workbook row order) every table here has."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("review_id", sa.Integer,
                  sa.ForeignKey("reviews.id", name=f"fk_{table}_review_id_reviews"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("review_id", "position", name=f"uq_{table}_review_id_position"),
    ]


def upgrade() -> None:
    op.create_table(
        "decisions",
        *_common("decisions"),
        sa.Column("decision_id", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("state", sa.String(7), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("recommendation", sa.Text, nullable=False),
        sa.Column("financial_impact", sa.Text, nullable=False),
        sa.UniqueConstraint("review_id", "decision_id",
                            name="uq_decisions_review_id_decision_id"),
        sa.CheckConstraint("state IN ('Open', 'Decided')", name="ck_decisions_state"),
    )
    op.create_table(
        "actions",
        *_common("actions"),
        sa.Column("action_id", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("state", sa.String(4), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("review_id", "action_id", name="uq_actions_review_id_action_id"),
        sa.CheckConstraint("state IN ('Open', 'Done')", name="ck_actions_state"),
    )
    _append_only()


def _append_only() -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE) on the new tables, as 0001 does for its own;
    on PostgreSQL with 0001's trigger function."""
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION reportgen_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION reportgen_append_only()"
            )
        return
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")
