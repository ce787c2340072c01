"""Putting a new site in place whole: files in, the site folder replaced in one step out.

The new site is written into a fresh folder beside the target (`.site.new-…`); only when every
file is written (and flushed to disk) is it swapped in by rename: on Linux with one atomic
`renameat2(RENAME_EXCHANGE)`, elsewhere by two renames (the old site aside, the new one in).
A reader sees the old site or the new one, never half of one; a failure before the swap removes
the new folder and leaves the old site untouched. One run at a time per outputs folder (a
`flock`); leftovers of a run that was killed are removed by the next.

A folder is replaced only if a previous run wrote it (it holds the `MARKER` file): a folder of
the same name that reportgen did not write, such as a partnership's packs, is never touched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..archive.engine import file_lock
from ..errors import ReportgenError
from ..outputs.layout import fsync_dir

MARKER = ".reportgen-site"
_MARKER_TEXT = b"Written by `reportgen site`; the whole folder is replaced on every run.\n"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Staging:
    """The folder a new site is written into before it is swapped in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = 0
        self.bytes = 0

    def write(self, path: str, data: bytes) -> None:
        """Write one file of the site; `path` is relative to the site folder, with "/"."""
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or ".." in parts:
            raise ValueError(f"{path!r} is not a path inside the site")
        target = self.folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as stream:  # each path once: a duplicate is a bug
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        self.files += 1
        self.bytes += len(data)


@contextmanager
def staged(target: Path) -> Iterator[Staging]:
    """Yield a `Staging` beside `target`; on a clean exit it becomes `target` in one step, on
    an error it is removed and `target` stays as it was."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with file_lock(parent / f".{target.name}.lock"):
        _check_replaceable(target)
        for leftover in parent.glob(f".{target.name}.new-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in parent.glob(f".{target.name}.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
        try:
            staging = Staging(folder)
            yield staging
            staging.write(MARKER, _MARKER_TEXT)
            _fsync_folders(folder)
            _swap(folder, target)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _check_replaceable(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ReportgenError(f"{target}: is not a folder; move it aside to write the site there")
    if target.is_dir() and not (target / MARKER).is_file():
        raise ReportgenError(
            f"{target}: this folder was not written by `reportgen site` (a partnership's packs "
            "may be in it), so it is left alone; move it aside to write the site there"
        )


def _fsync_folders(root: Path) -> None:
    """Flush every folder of the new site, so its entries survive a crash after the swap."""
    for folder, _, _ in os.walk(root, topdown=False):
        fsync_dir(Path(folder))


def _swap(new: Path, target: Path) -> None:
    """Put `new` where `target` is, in one step where the system allows it."""
    if not target.exists():
        os.rename(new, target)
    elif _exchange(new, target):
        shutil.rmtree(new)  # it now holds the previous site
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / target.name)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old / target.name, target)
            raise
        shutil.rmtree(old)
    fsync_dir(target.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2; False where that is not supported
    (another system, an old kernel or C library, a file system without it)."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))
