"""How each KPI's actual looked, and the risk register's mitigation due date and target.

Input: an archive at the revision below. Output: `kpi_results.actual_look` (the actual's
display fields as JSON, so a later pack shows last quarter's actual as that workbook wrote it:
`$1.6M`, `4.6%`) and `risk_results.due`, `target_probability`, `target_impact`. Every new
column is nullable: rows archived before stay as they were (the tables are append-only, and
their triggers are untouched: only columns are added).

Revision ID: 0002
Revises: 0001
Create Date: 2025-10-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (column, condition) of the risk target columns: whole numbers 1 to 5, like P and I
TARGETS = (("target_probability", "target_probability BETWEEN 1 AND 5"),
           ("target_impact", "target_impact BETWEEN 1 AND 5"))


def upgrade() -> None:
    op.add_column("kpi_results", sa.Column("actual_look", sa.JSON(none_as_null=True),
                                           nullable=True))
    op.add_column("risk_results", sa.Column("due", sa.Date, nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, condition in TARGETS:
        name = f"ck_risk_results_{column}"
        if sqlite:  # SQLite adds no constraint to an existing table, but a column may carry one
            op.execute(f"ALTER TABLE risk_results ADD COLUMN {column} INTEGER "
                       f"CONSTRAINT {name} CHECK ({condition})")
        else:
            op.add_column("risk_results", sa.Column(column, sa.Integer, nullable=True))
            op.create_check_constraint(op.f(name), "risk_results", condition)


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")
