"""The seam between the build and the review archive: what a build needs of an archive.

`ReviewArchive` is the part of `archive.Archive` the build uses, as a `Protocol`, so the build
depends on this interface rather than on SQLAlchemy; tests may hand in any object that has these
methods. `open_archive` opens the real one (imported only when a build uses an archive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from ..domain.history import ArchivedReview, ArtifactRecord, HistoryEntry, PreviousReview
from ..domain.scoring import ScoredReview


class ReviewArchive(Protocol):
    """Reads a partnership's history and records its new revisions. A partnership is known by
    its key (`Partnership.key`), never by its slug."""

    def previous_review(self, partnership_key: str, quarter: str) -> PreviousReview | None:
        """The latest revision of the quarter before `quarter`, or None."""
        ...

    def history(self, partnership_key: str, before_quarter: str,
                limit: int = 7) -> list[HistoryEntry]:
        """The latest revision of each of the last `limit` quarters before this one."""
        ...

    def latest(self, partnership_key: str, quarter: str) -> ArchivedReview | None:
        """The highest revision of this quarter, or None."""
        ...

    def find_review(self, partnership_key: str, quarter: str,
                    revision: int) -> ArchivedReview | None:
        """That revision of this quarter, or None."""
        ...

    def artifacts(self, review_id: int) -> list[ArtifactRecord]:
        """The files recorded with a revision."""
        ...

    def revision_lock(self, partnership_key: str, quarter: str) -> AbstractContextManager[None]:
        """Held while a revision is chosen, written and recorded: one builder at a time."""
        ...

    def folder(self, partnership_key: str) -> str | None:
        """The folder chosen for this partnership's packs, if any was."""
        ...

    def claim_folder(self, partnership_key: str, partnership: str, candidates: Sequence[str],
                     at: dt.datetime) -> str:
        """The partnership's folder: its own, else the first candidate no other one has."""
        ...

    def record(self, review: ScoredReview, *, revision: int, inputs_sha256: str,
               config_digest: str, tool_version: str, created_at: dt.datetime,
               artifacts: Sequence[ArtifactRecord], distribution: Sequence[str]) -> int:
        """Archive one revision with its results, files and distribution list."""
        ...

    def close(self) -> None:
        ...


@contextmanager
def open_archive(url: str | None) -> Iterator[ReviewArchive | None]:
    """The archive at `url` (migrated to the current schema), or None when `url` is None."""
    if url is None:
        yield None
        return
    from ..archive.repository import Archive

    with Archive.open(url) as archive:
        yield archive
