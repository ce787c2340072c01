"""The archive's tables (SQLAlchemy Core): what one recorded review is stored as.

Input: nothing. Output: `metadata` and the `Table` objects the repository queries. The schema
itself is created by the migrations in `migrations/versions`, which must match these definitions
(a test compares them). Every table is append-only; the migrations add triggers that refuse
UPDATE and DELETE (and, on SQLite, an INSERT that would REPLACE a row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import JSON, TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

STATUSES = ("Green", "Amber", "Red", "No data")
ARTIFACT_KINDS = ("pdf", "docx", "html", "manifest")
DELIVERY_STATES = ("sending", "sent", "refused")
DECISION_STATES = ("Open", "Decided")
ACTION_STATES = ("Open", "Done")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp, stored in UTC and read back aware on every backend.

    SQLite has no time zone type, so the value is normalised to UTC before it is written and
    tagged UTC when read. Naive datetimes are refused: the archive never guesses a zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            raise ValueError(f"archive timestamps must be timezone-aware, not {value!r}")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership", Text, nullable=False),
    Column("partnership_slug", String(80), nullable=False),  # the slug then (not the identity)
    Column("partner", Text, nullable=False),
    Column("quarter", String(7), nullable=False),  # canonical "2025-Q3": sorts as text
    Column("revision", Integer, nullable=False),
    Column("inputs_sha256", String(64), nullable=False),
    Column("config_digest", String(64), nullable=False),
    Column("score", Integer, nullable=False),
    Column("status", String(7), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # the previous quarter's latest revision when this one was recorded (what it was compared to)
    Column("previous_review_id", Integer, ForeignKey("reviews.id"), nullable=True),
    # who the partnership is: its name with case and runs of spaces folded (Partnership.key)
    Column("partnership_key", Text, nullable=False),
    UniqueConstraint("partnership_key", "quarter", "revision"),
    CheckConstraint("revision >= 1", name="revision"),
    CheckConstraint(_one_of("status", STATUSES), name="status"),
)

kpi_results = Table(
    "kpi_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("position", Integer, nullable=False),  # the workbook's row order
    Column("category", Text, nullable=False),
    Column("kpi", Text, nullable=False),
    Column("metric", Text, nullable=False),
    Column("target", Double, nullable=False),
    Column("actual", Double, nullable=True),  # NULL: no data this quarter
    Column("amber_threshold", Double, nullable=True),
    Column("direction", String(6), nullable=False),
    Column("status", String(7), nullable=False),
    Column("status_source", String(8), nullable=False),
    Column("computed_status", String(7), nullable=False),
    Column("weight", Double, nullable=False),  # a fraction: 0.3 for 30%
    Column("points", Integer, nullable=False),
    Column("owner", Text, nullable=False),
    Column("commentary", Text, nullable=False),
    # how the workbook showed the actual (Measure's display fields: percent, decimals, prefix,
    # suffix, plus, thousands, scale); NULL for no data, and for rows archived before 0002
    Column("actual_look", JSON(none_as_null=True), nullable=True),
    UniqueConstraint("review_id", "position"),
    CheckConstraint(_one_of("direction", ("higher", "lower")), name="direction"),
    CheckConstraint(_one_of("status", STATUSES), name="status"),
    CheckConstraint(_one_of("computed_status", STATUSES), name="computed_status"),
    CheckConstraint(
        _one_of("status_source", ("computed", "override", "no-data")), name="status_source"
    ),
)

risk_results = Table(
    "risk_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("position", Integer, nullable=False),  # rank order: open by score, then closed
    Column("risk_id", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("probability", Integer, nullable=False),
    Column("impact", Integer, nullable=False),
    Column("score", Integer, nullable=False),
    Column("rating", String(8), nullable=False),
    Column("state", String(6), nullable=False),
    Column("mitigation", Text, nullable=False),
    Column("owner", Text, nullable=False),
    # optional (schema 0002): the mitigation's due date and the score it aims for
    Column("due", Date, nullable=True),
    Column("target_probability", Integer, nullable=True),
    Column("target_impact", Integer, nullable=True),
    UniqueConstraint("review_id", "position"),
    UniqueConstraint("review_id", "risk_id"),
    CheckConstraint("probability BETWEEN 1 AND 5", name="probability"),
    CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
    CheckConstraint("target_probability BETWEEN 1 AND 5", name="target_probability"),
    CheckConstraint("target_impact BETWEEN 1 AND 5", name="target_impact"),
    CheckConstraint(_one_of("rating", ("Low", "Medium", "High", "Critical")), name="rating"),
    CheckConstraint(_one_of("state", ("Open", "Closed")), name="state"),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("path", Text, nullable=False),  # relative to the outputs folder, with "/"
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("language", String(35), nullable=True),  # a reader's language; NULL: the pack's
    UniqueConstraint("review_id", "path"),
    CheckConstraint(_one_of("kind", ARTIFACT_KINDS), name="kind"),
    CheckConstraint("size >= 0", name="size"),
)

distribution = Table(
    "distribution",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("recipient", Text, nullable=False),  # "Name <addr>" or a bare address
    UniqueConstraint("review_id", "position"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),  # a recipient's latest state is its highest id
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("state", String(8), nullable=False),
    Column("message_id", Text, nullable=False),
    Column("server_reply", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # the SHA-256 of the recipient's own copy (marked, encrypted or signed for them; schema
    # 0005); NULL when they were sent the pack as built, and for deliveries before 0005
    Column("copy_sha256", String(64), nullable=True),
    Index("ix_deliveries_review_id_recipient", "review_id", "recipient"),
    Index("ix_deliveries_copy_sha256", "copy_sha256"),
    CheckConstraint(_one_of("state", DELIVERY_STATES), name="state"),
)

folders = Table(
    "folders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_key", Text, nullable=False),
    Column("partnership", Text, nullable=False),  # its name when the folder was chosen
    Column("folder", Text, nullable=False),  # the folder's name under any outputs folder
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("partnership_key"),  # one folder per partnership, chosen once
    UniqueConstraint("folder"),  # and one partnership per folder
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("position", Integer, nullable=False),  # the workbook's row order
    Column("decision_id", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due", Date, nullable=True),
    Column("state", String(7), nullable=False),
    Column("notes", Text, nullable=False),
    Column("recommendation", Text, nullable=False),
    Column("financial_impact", Text, nullable=False),  # as the workbook showed it
    UniqueConstraint("review_id", "position"),
    UniqueConstraint("review_id", "decision_id"),
    CheckConstraint(_one_of("state", DECISION_STATES), name="state"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("position", Integer, nullable=False),  # the workbook's row order
    Column("action_id", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due", Date, nullable=True),
    Column("state", String(4), nullable=False),
    Column("notes", Text, nullable=False),
    UniqueConstraint("review_id", "position"),
    UniqueConstraint("review_id", "action_id"),
    CheckConstraint(_one_of("state", ACTION_STATES), name="state"),
)

ARCHIVE_TABLES = (reviews, kpi_results, risk_results, artifacts, distribution, deliveries,
                  folders, decisions, actions)
