"""Where a partnership's packs go: a partnership in, its folder under the outputs folder out.

A partnership is its key (its name with case and spaces folded); its folder is its slug unless
another partnership already has that folder, in the archive (`folders` table) or on disk (the
`partnership` named in the folder's manifests, which is all there is without an archive), or the
slug is `portfolio` (the summaries' folder). Then it gets the slug with a short hash of its key
(`domain.model.folder_names`). With an archive the choice is recorded the first time the
partnership's files are written and kept for good; without one it is made again from the disk
each time, which gives the same answer as long as the folders stay where they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..domain.model import Partnership, folder_names
from ..outputs.layout import PORTFOLIO, folder_owners
from .ports import ReviewArchive


def find_folder(archive: ReviewArchive | None, out: Path, partnership: Partnership) -> str:
    """The partnership's folder, without recording anything (for reading and reporting)."""
    chosen = archive.folder(partnership.key) if archive is not None else None
    return chosen or _candidates(out, partnership)[0]


def claim_folder(archive: ReviewArchive | None, out: Path, partnership: Partnership,
                 at: dt.datetime) -> str:
    """The partnership's folder, recorded in the archive if it was not yet (call it holding the
    outputs lock of the partnership's slug, so the disk cannot change meanwhile)."""
    if archive is None:
        return _candidates(out, partnership)[0]
    chosen = archive.folder(partnership.key)
    if chosen is not None:
        return chosen
    return archive.claim_folder(partnership.key, partnership.name,
                                _candidates(out, partnership), at)


def _candidates(out: Path, partnership: Partnership) -> list[str]:
    """The partnership's folder names that no other partnership's revisions are in on disk."""
    free = [name for name in folder_names(partnership.name)
            if name != PORTFOLIO and folder_owners(out, name) <= {partnership.key}]
    if not free:
        raise FileExistsError(17, "every folder name this partnership could have holds another "
                              "partnership's packs", str(out / folder_names(partnership.name)[0]))
    return free


def recorded_check(archive: ReviewArchive | None, partnership: Partnership,
                   quarter: str) -> Callable[[int, str], bool]:
    """For `outputs.layout.recover`: was revision N, with a manifest of this SHA-256, recorded?
    Without an archive, a complete revision left unpublished is published as it is."""
    if archive is None:
        return lambda revision, manifest_sha256: True

    def recorded(revision: int, manifest_sha256: str) -> bool:
        row = archive.find_review(partnership.key, quarter, revision)
        return row is not None and any(a.kind == "manifest" and a.sha256 == manifest_sha256
                                       for a in archive.artifacts(row.id))
    return recorded
