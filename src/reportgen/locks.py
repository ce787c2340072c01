"""Cross-process locks on files: a path in, an exclusive `flock` held for a `with` block out;
and `lock_holders`, which processes hold a write lock on some files (to name them when a file
stays locked).

Shared by the archive (its lock files beside an SQLite archive) and the outputs folder (one
lock per partnership's folders, so two builds never write one quarter's folder at once, with
or without an archive). The system drops a `flock` when its process dies, so a crashed build
never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
import os
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


def lock_holders(paths: list[Path]) -> list[str]:
    """The other processes holding a write lock (POSIX, `flock` or open file description) on any
    of `paths`, as "process 4242 (sqlite3)", from Linux's /proc/locks; [] where it cannot tell."""
    wanted = set()
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        wanted.add((os.major(stat.st_dev), os.minor(stat.st_dev), stat.st_ino))
    try:
        lines = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return []
    pids: list[int] = []
    for line in lines:
        fields = [f for f in line.split() if f != "->"]
        if len(fields) < 6 or fields[3] != "WRITE" or not fields[4].lstrip("-").isdigit():
            continue
        major, minor, inode = [*fields[5].split(":"), "", "", ""][:3]
        try:
            where = (int(major, 16), int(minor, 16), int(inode))
        except ValueError:
            continue
        pid = int(fields[4])
        if where in wanted and pid > 0 and pid != os.getpid() and pid not in pids:
            pids.append(pid)
    return [f"process {pid} ({_command(pid)})" for pid in pids]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "ended since"
