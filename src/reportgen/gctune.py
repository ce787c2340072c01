"""Fewer cyclic garbage collections during bursts of allocation.

Reading a big portfolio and laying out a long pack each make hundreds of thousands of small
objects that live until the job is done. With the default thresholds the collector walks them
again and again, which cost a quarter of a long render and a third of reading a 1,000-partnership
workbook. Raising the first threshold (not switching the collector off) keeps memory bounded if
something does build cycles. `release_memory` collects once a pack is done, so that long builds
stay within their memory.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

RENDERING = 50_000  # WeasyPrint does make cycles: collect them now and then, or memory grows
LOADING = 1_000_000  # workbook rows, cells and review objects hold no cycles at all

_lock = threading.Lock()
_users = 0
_saved = gc.get_threshold()


@contextmanager
def fewer_collections(threshold: int = RENDERING) -> Iterator[None]:
    """Collect after `threshold` net new objects instead of 700 while inside. Nests and is
    thread-safe: the first to enter sets the threshold, the last to leave restores it."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(threshold, 50, 100)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_saved)


def release_memory() -> None:
    """After a pack is rendered: collect the cycles it left and give freed memory back.

    WeasyPrint leaves many reference cycles; under the raised threshold they outlive the young
    generations and pile up in the oldest one, which Python collects only when it has grown by
    a quarter, so a worker's memory climbed pack after pack (to 370 MiB within 80 packs in one
    process). A full collection per pack keeps Python's part flat; glibc's `malloc_trim` then
    returns the freed arenas to the system instead of keeping them (a no-op without glibc).
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim
    if _trim is False:
        import ctypes

        try:
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc
            _trim = None
    return _trim if callable(_trim) else None


_trim: Any = False  # not looked up yet
