"""Each delivery keeps the SHA-256 of the copy made for its recipient (marked, encrypted or
signed for them), so `reportgen verify` can say whose copy a file is. A new nullable column and
its index: the table stays append-only (0001's triggers still refuse UPDATE and DELETE), and
earlier deliveries keep NULL (they were sent the pack as built).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("copy_sha256", sa.String(64), nullable=True))
    op.create_index("ix_deliveries_copy_sha256", "deliveries", ["copy_sha256"])


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")
