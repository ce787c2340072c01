"""A partnership is its name, not its folder: `reviews.partnership_key`, the `folders` table, and
no INSERT that replaces a row on SQLite.

Until now a partnership was known by its slug, so "Acme & Beta" and "Acme/Beta" (or two names
alike in their first 80 characters) shared one history and one folder. From here:

- `reviews.partnership_key` is the partnership's name with case and runs of spaces folded
  (`Partnership.key`), backfilled from each row's stored name; revisions are unique per key,
  quarter and revision, no longer per slug;
- `folders` records the one folder each partnership's packs go to, chosen once; the backfill
  gives each slug's first partnership (by first review) its slug, as before, and any later
  partnership that shared it the slug with a hash (`domain.model.folder_names`);
- on SQLite every table gets a BEFORE INSERT trigger refusing a row whose id or unique key is
  already there, since `INSERT OR REPLACE` deletes the old row without firing DELETE triggers.

The backfill cannot UPDATE `reviews` past its append-only triggers: PostgreSQL disables them for
this one transaction; SQLite, which cannot change a table's unique constraint in place, rebuilds
the table with the keys (its rows copied aside and put back, foreign keys deferred to the commit,
since they cannot be switched off inside the migration's transaction).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reportgen.domain.model import folder_names

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "archive records are append-only"
# every table's id and unique keys: a new row equal to an old one on any of them is refused
UNIQUE: dict[str, list[tuple[str, ...]]] = {
    "reviews": [("partnership_key", "quarter", "revision")],
    "kpi_results": [("review_id", "position")],
    "risk_results": [("review_id", "position"), ("review_id", "risk_id")],
    "artifacts": [("review_id", "path")],
    "distribution": [("review_id", "position")],
    "deliveries": [],
    "folders": [("partnership_key",), ("folder",)],
}
REVIEW_COLUMNS = (
    "id, partnership, partnership_slug, partner, quarter, revision, inputs_sha256, "
    "config_digest, score, status, source_file, tool_version, created_at, previous_review_id"
)


def upgrade() -> None:
    bind = op.get_bind()
    keys = {name: _key(name)
            for name in bind.execute(sa.text("SELECT DISTINCT partnership FROM reviews")).scalars()}
    if bind.dialect.name == "postgresql":
        _add_keys_postgresql(keys)
    else:
        _add_keys_sqlite(keys)
    op.create_table(
        "folders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("partnership_key", sa.Text, nullable=False),
        sa.Column("partnership", sa.Text, nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_folders"),
        sa.UniqueConstraint("partnership_key", name="uq_folders_partnership_key"),
        sa.UniqueConstraint("folder", name="uq_folders_folder"),
    )
    _backfill_folders()
    if bind.dialect.name == "postgresql":
        _append_only_postgresql("folders")
    else:
        _append_only_sqlite("folders")
        for table in UNIQUE:
            _no_replace_sqlite(table)


def _key(name: str) -> str:
    """The key as this schema defined it: case and runs of spaces folded (0006 adds NFKC)."""
    return " ".join(name.split()).casefold()


def _add_keys_postgresql(keys: dict[str, str]) -> None:
    op.add_column("reviews", sa.Column("partnership_key", sa.Text, nullable=True))
    op.execute("ALTER TABLE reviews DISABLE TRIGGER reviews_append_only")  # this transaction only
    for name, key in keys.items():
        op.get_bind().execute(sa.text("UPDATE reviews SET partnership_key = :key "
                                      "WHERE partnership = :name"), {"key": key, "name": name})
    op.execute("ALTER TABLE reviews ENABLE TRIGGER reviews_append_only")
    op.alter_column("reviews", "partnership_key", nullable=False)
    op.drop_constraint("uq_reviews_partnership_slug_quarter_revision", "reviews", type_="unique")
    op.create_unique_constraint("uq_reviews_partnership_key_quarter_revision", "reviews",
                                ["partnership_key", "quarter", "revision"])


def _add_keys_sqlite(keys: dict[str, str]) -> None:
    """Rebuild `reviews` with the keys and its new unique constraint.

    The rows are copied aside, the table dropped (which deletes its rows without firing its
    triggers) and created anew, and the rows put back with their ids. The other tables' foreign
    keys point at the name `reviews`: with `defer_foreign_keys` SQLite counts the references the
    DROP left dangling and the same ids put back settle them, all checked at the commit.
    """
    bind = op.get_bind()
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("CREATE TEMPORARY TABLE reportgen_keys (name TEXT PRIMARY KEY, key TEXT NOT NULL)")
    if keys:
        bind.execute(sa.text("INSERT INTO reportgen_keys VALUES (:name, :key)"),
                     [{"name": name, "key": key} for name, key in keys.items()])
    op.execute(
        "CREATE TEMPORARY TABLE reportgen_reviews AS SELECT "
        f"{', '.join('r.' + c for c in REVIEW_COLUMNS.split(', '))}, k.key AS partnership_key "
        "FROM reviews AS r JOIN reportgen_keys AS k ON k.name = r.partnership"
    )
    op.execute("DROP TABLE reviews")
    op.execute(
        "CREATE TABLE reviews ("
        "id INTEGER NOT NULL, partnership TEXT NOT NULL, partnership_slug VARCHAR(80) NOT NULL, "
        "partner TEXT NOT NULL, quarter VARCHAR(7) NOT NULL, revision INTEGER NOT NULL, "
        "inputs_sha256 VARCHAR(64) NOT NULL, config_digest VARCHAR(64) NOT NULL, "
        "score INTEGER NOT NULL, status VARCHAR(7) NOT NULL, source_file TEXT NOT NULL, "
        "tool_version VARCHAR(40) NOT NULL, created_at DATETIME NOT NULL, "
        "previous_review_id INTEGER, partnership_key TEXT NOT NULL, "
        "CONSTRAINT pk_reviews PRIMARY KEY (id), "
        "CONSTRAINT uq_reviews_partnership_key_quarter_revision "
        "UNIQUE (partnership_key, quarter, revision), "
        "CONSTRAINT ck_reviews_revision CHECK (revision >= 1), "
        "CONSTRAINT ck_reviews_status CHECK (status IN ('Green', 'Amber', 'Red', 'No data')), "
        "CONSTRAINT fk_reviews_previous_review_id_reviews "
        "FOREIGN KEY(previous_review_id) REFERENCES reviews (id))"
    )
    op.execute(f"INSERT INTO reviews ({REVIEW_COLUMNS}, partnership_key) "
               f"SELECT {REVIEW_COLUMNS}, partnership_key FROM reportgen_reviews ORDER BY id")
    op.execute("DROP TABLE reportgen_reviews")
    op.execute("DROP TABLE reportgen_keys")
    _append_only_sqlite("reviews")


def _backfill_folders() -> None:
    """Each partnership already archived gets the folder it has been using (its slug), unless
    a partnership archived before it had that slug: then the next of its `folder_names`."""
    bind = op.get_bind()
    firsts = bind.execute(sa.text(
        "SELECT r.partnership_key, r.partnership, r.partnership_slug, r.created_at FROM reviews r "
        "JOIN (SELECT partnership_key, min(id) AS first FROM reviews GROUP BY partnership_key) f "
        "ON r.id = f.first ORDER BY r.id"
    )).all()
    taken: set[str] = set()
    rows = []
    for key, name, slug, created_at in firsts:
        folder = next(f for f in (slug, *folder_names(name)[1:]) if f not in taken)
        taken.add(folder)
        rows.append({"key": key, "name": name, "folder": folder, "at": created_at})
    if rows:
        bind.execute(sa.text("INSERT INTO folders (partnership_key, partnership, folder, "
                             "created_at) VALUES (:key, :name, :folder, :at)"), rows)


def _append_only_postgresql(table: str) -> None:
    op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
               "FOR EACH ROW EXECUTE FUNCTION reportgen_append_only()")
    op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
               "FOR EACH STATEMENT EXECUTE FUNCTION reportgen_append_only()")


def _append_only_sqlite(table: str) -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def _no_replace_sqlite(table: str) -> None:
    """Refuse a new row that would collide with an old one: `INSERT OR REPLACE` (and `REPLACE`)
    would otherwise delete the old row silently, since SQLite fires no DELETE trigger for it
    unless `recursive_triggers` is on in the connection doing it."""
    same = ["id = NEW.id"] + [
        "(" + " AND ".join(f"{column} = NEW.{column}" for column in columns) + ")"
        for columns in UNIQUE[table]
    ]
    op.execute(f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
               f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {' OR '.join(same)}) "
               f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")
