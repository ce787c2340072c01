"""The first archive schema: reviews with their KPI and risk results, artifacts, distribution
lists and email deliveries, all append-only (triggers refuse UPDATE and DELETE).

Revision ID: 0001
Revises:
Create Date: 2025-10-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("reviews", "kpi_results", "risk_results", "artifacts", "distribution", "deliveries")
MESSAGE = "archive records are append-only"
STATUSES = "('Green', 'Amber', 'Red', 'No data')"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _review_id(table: str) -> sa.Column[int]:
    return sa.Column(
        "review_id", sa.Integer,
        sa.ForeignKey("reviews.id", name=f"fk_{table}_review_id_reviews"), nullable=False,
    )


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=False)


def _check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=f"ck_{table}_{name}")


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=f"uq_{table}_{'_'.join(columns)}")


def upgrade() -> None:
    op.create_table(
        "reviews",
        _id(),
        _text("partnership"),
        sa.Column("partnership_slug", sa.String(80), nullable=False),
        _text("partner"),
        sa.Column("quarter", sa.String(7), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("inputs_sha256", sa.String(64), nullable=False),
        sa.Column("config_digest", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("status", sa.String(7), nullable=False),
        _text("source_file"),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "previous_review_id", sa.Integer,
            sa.ForeignKey("reviews.id", name="fk_reviews_previous_review_id_reviews"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        _unique("reviews", "partnership_slug", "quarter", "revision"),
        _check("reviews", "revision", "revision >= 1"),
        _check("reviews", "status", f"status IN {STATUSES}"),
    )
    op.create_table(
        "kpi_results",
        _id(),
        _review_id("kpi_results"),
        sa.Column("position", sa.Integer, nullable=False),
        _text("category"),
        _text("kpi"),
        _text("metric"),
        sa.Column("target", sa.Double, nullable=False),
        sa.Column("actual", sa.Double, nullable=True),
        sa.Column("amber_threshold", sa.Double, nullable=True),
        sa.Column("direction", sa.String(6), nullable=False),
        sa.Column("status", sa.String(7), nullable=False),
        sa.Column("status_source", sa.String(8), nullable=False),
        sa.Column("computed_status", sa.String(7), nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        _text("owner"),
        _text("commentary"),
        sa.PrimaryKeyConstraint("id", name="pk_kpi_results"),
        _unique("kpi_results", "review_id", "position"),
        _check("kpi_results", "direction", "direction IN ('higher', 'lower')"),
        _check("kpi_results", "status", f"status IN {STATUSES}"),
        _check("kpi_results", "computed_status", f"computed_status IN {STATUSES}"),
        _check("kpi_results", "status_source",
               "status_source IN ('computed', 'override', 'no-data')"),
    )
    op.create_table(
        "risk_results",
        _id(),
        _review_id("risk_results"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("risk_id", sa.String(40), nullable=False),
        _text("description"),
        _text("category"),
        sa.Column("probability", sa.Integer, nullable=False),
        sa.Column("impact", sa.Integer, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("state", sa.String(6), nullable=False),
        _text("mitigation"),
        _text("owner"),
        sa.PrimaryKeyConstraint("id", name="pk_risk_results"),
        _unique("risk_results", "review_id", "position"),
        _unique("risk_results", "review_id", "risk_id"),
        _check("risk_results", "probability", "probability BETWEEN 1 AND 5"),
        _check("risk_results", "impact", "impact BETWEEN 1 AND 5"),
        _check("risk_results", "rating", "rating IN ('Low', 'Medium', 'High', 'Critical')"),
        _check("risk_results", "state", "state IN ('Open', 'Closed')"),
    )
    op.create_table(
        "artifacts",
        _id(),
        _review_id("artifacts"),
        sa.Column("kind", sa.String(8), nullable=False),
        _text("path"),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_artifacts"),
        _unique("artifacts", "review_id", "path"),
        _check("artifacts", "kind", "kind IN ('pdf', 'docx', 'html', 'manifest')"),
        _check("artifacts", "size", "size >= 0"),
    )
    op.create_table(
        "distribution",
        _id(),
        _review_id("distribution"),
        sa.Column("position", sa.Integer, nullable=False),
        _text("recipient"),
        sa.PrimaryKeyConstraint("id", name="pk_distribution"),
        _unique("distribution", "review_id", "position"),
    )
    op.create_table(
        "deliveries",
        _id(),
        _review_id("deliveries"),
        _text("recipient"),
        sa.Column("state", sa.String(8), nullable=False),
        _text("message_id"),
        _text("server_reply"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        _check("deliveries", "state", "state IN ('sending', 'sent', 'refused')"),
    )
    op.create_index("ix_deliveries_review_id_recipient", "deliveries", ["review_id", "recipient"])
    _append_only()


def _append_only() -> None:
    """Triggers that make every archive table refuse UPDATE and DELETE (and TRUNCATE)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION reportgen_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END $$"
        )
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
