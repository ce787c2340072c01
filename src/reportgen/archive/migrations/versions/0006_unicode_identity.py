"""A partnership's key is its name in Unicode NFKC too: "Café" typed with a composed "é" and with
"e" + a combining accent is one partnership, one history and one folder.

Keys were the name with case and runs of spaces folded (0003); now they are `normalise(name)`,
which also takes the name in NFKC. Every review whose key changes is given the new one. Two
partnerships whose keys now meet become one, with one history, only when no quarter has reviews
under both: otherwise the upgrade stops, changing nothing, with one line naming both names (each
with its characters spelt out, since they look alike) and the quarters they share. Of their
`folders` rows the first recorded stays, given the new key, and the others go: their revisions
stay where they are on disk and in the archive, and new ones go to the kept folder.

The append-only guards on `reviews` and `folders` are lifted for this transaction only
(PostgreSQL disables the triggers, SQLite drops and recreates them), as 0003 did.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from reportgen.errors import ReportgenError

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MESSAGE = "archive records are append-only"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT partnership_key, partnership, quarter FROM reviews ORDER BY id")).all()
    names: dict[str, str] = {}  # old key → its latest name
    quarters: dict[str, set[str]] = defaultdict(set)
    for key, name, quarter in rows:
        names[key] = name
        quarters[key].add(quarter)
    groups: dict[str, list[str]] = defaultdict(list)  # new key → old keys, first archived first
    for key in names:
        groups[_key(names[key])].append(key)
    _refuse_overlaps(groups, names, quarters)
    changed = {old: new for new, olds in groups.items() for old in olds if old != new}
    if not changed:
        return
    _lift_guards(bind.dialect.name)
    for old, new in changed.items():
        bind.execute(sa.text("UPDATE reviews SET partnership_key = :new "
                             "WHERE partnership_key = :old"), {"new": new, "old": old})
    for new, olds in groups.items():
        if any(old in changed for old in olds):
            _merge_folders(new, olds)
    _restore_guards(bind.dialect.name)


def _refuse_overlaps(groups: dict[str, list[str]], names: dict[str, str],
                     quarters: dict[str, set[str]]) -> None:
    for olds in groups.values():
        for i, first in enumerate(olds):
            for second in olds[i + 1:]:
                shared = sorted(quarters[first] & quarters[second])
                if shared:
                    raise ReportgenError(
                        f"partnerships {_spelt(names[first])} and {_spelt(names[second])} are "
                        "one partnership now that names are compared in Unicode NFKC, but both "
                        f"have reviews of {', '.join(shared)}, so their histories cannot be "
                        "merged; keep this archive with the reportgen that made it, or start a "
                        "new archive (--archive) and rebuild the packs you need")


def _spelt(name: str) -> str:
    """The name quoted, with any character outside ASCII given as its code point as well."""
    if name.isascii():
        return repr(name)
    return f"{name!r} ({name!a})"


def _merge_folders(new: str, olds: list[str]) -> None:
    bind = op.get_bind()
    found = bind.execute(sa.text(
        "SELECT id, partnership_key FROM folders WHERE partnership_key IN :keys ORDER BY id"
    ).bindparams(sa.bindparam("keys", expanding=True)), {"keys": olds}).all()
    if not found:
        return
    kept, *dropped = found
    for row in dropped:
        bind.execute(sa.text("DELETE FROM folders WHERE id = :id"), {"id": row.id})
    bind.execute(sa.text("UPDATE folders SET partnership_key = :new WHERE id = :id"),
                 {"new": new, "id": kept.id})


def _lift_guards(dialect: str) -> None:
    if dialect == "postgresql":
        for table in ("reviews", "folders"):
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        return
    for trigger in ("reviews_no_update", "folders_no_update", "folders_no_delete"):
        op.execute(f"DROP TRIGGER {trigger}")


def _restore_guards(dialect: str) -> None:
    if dialect == "postgresql":
        for table in ("reviews", "folders"):
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        return
    for table, event in (("reviews", "UPDATE"), ("folders", "UPDATE"), ("folders", "DELETE")):
        op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    raise NotImplementedError("the archive is append-only: its schema is never downgraded")


def _key(name: str) -> str:
    """The key as this schema defines it (frozen here, as a migration is a record of its step):
    NFKC, case and runs of spaces folded, NFKC again after folding."""
    folded = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return unicodedata.normalize("NFKC", folded)
