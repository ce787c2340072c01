"""Cross-process locks on files: a path in, an exclusive `flock` held for a `with` block out.

Shared by the archive (its lock files beside an SQLite archive) and the outputs folder (one
lock per partnership's folders, so two builds never write one quarter's folder at once, with
or without an archive). The system drops a `flock` when its process dies, so a crashed build
never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (created, with its folder, when missing)."""
    path.parent.mkdir(exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
