"""Which archived file a SHA-256 is: a file's digest in, its revision and (for a recipient's own
copy) its delivery out, for `reportgen verify`.

    SHA-256 ─ artifacts (a pack file as built) ─▶ FileRecord(review, kind)
            ─ deliveries.copy_sha256 (a recipient's copy, schema 0005) ─▶ FileRecord(review,
              "copy", every delivery row of that copy: 'sending', then 'sent' or 'refused')

Reads only; see repository.py for how the rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.history import ArchivedReview, Delivery
from . import tables as t
from .repository import Archive
from .rows import archived


@dataclass(frozen=True)
class FileRecord:
    """An archived file: the revision it belongs to, its kind, and for a copy its deliveries."""

    review: ArchivedReview
    kind: str  # an artifact kind ("pdf", "docx", …) or "copy"
    language: str = ""  # a reader's language the file is written in ("": the pack's)
    deliveries: tuple[Delivery, ...] = ()  # a copy's delivery rows, oldest first


def find_file(archive: Archive, digest: str) -> FileRecord | None:
    """The archived file whose SHA-256 is `digest`, or None when the archive has none."""
    a, d, r = t.artifacts, t.deliveries, t.reviews
    with archive.engine.connect() as conn:
        found = conn.execute(select(a.c.kind, a.c.language, r).join(r, r.c.id == a.c.review_id)
                             .where(a.c.sha256 == digest).order_by(a.c.id).limit(1)).first()
        if found is not None:
            return FileRecord(archived(found), found.kind, found.language or "")
        rows = conn.execute(select(d).where(d.c.copy_sha256 == digest).order_by(d.c.id)).all()
        if not rows:
            return None
        review = conn.execute(select(r).where(r.c.id == rows[0].review_id)).one()
    deliveries = tuple(Delivery(row.recipient, row.state, row.message_id, row.server_reply,
                                row.created_at, row.copy_sha256) for row in rows)
    return FileRecord(archived(review), "copy", deliveries=deliveries)
