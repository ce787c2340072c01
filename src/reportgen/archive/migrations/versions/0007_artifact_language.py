"""Each archived file keeps the language it is written in when it is not the pack's own: a
revision whose distribution list asks for a reader's language (`Name <addr> [ja]`) holds that
reader's PDF and Word pack beside the pack's, and `send` picks a recipient's files by it. A new
nullable column: earlier files keep NULL, which means the pack's language.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("artifacts", sa.Column("language", sa.String(35), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")
