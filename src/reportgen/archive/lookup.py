"""Read-only archive queries for `reportgen send`: which review a pack is, and who it goes to.

Input: an open `Archive` and a pack's (partnership slug, quarter, revision), or a review id.
Output: the `ArchivedReview` of that revision, and its distribution list as archived (the
workbook's `Name <addr>` strings, in the workbook's order).
"""

from __future__ import annotations

from sqlalchemy import select

from ..model import Quarter
from . import tables as t
from .repository import Archive, ArchivedReview, _archived


def find_review(archive: Archive, slug: str, quarter: str, revision: int) -> ArchivedReview | None:
    """The archived revision `revision` of this partnership's quarter, or None."""
    r = t.reviews
    with archive.engine.connect() as conn:
        row = conn.execute(select(r).where(
            r.c.partnership_slug == slug,
            r.c.quarter == Quarter.parse(quarter).canonical,
            r.c.revision == revision,
        )).first()
    return None if row is None else _archived(row)


def distribution(archive: Archive, review_id: int) -> list[str]:
    """The review's distribution list as archived, in the workbook's order."""
    d = t.distribution
    with archive.engine.connect() as conn:
        return list(conn.scalars(
            select(d.c.recipient).where(d.c.review_id == review_id).order_by(d.c.position)
        ))
