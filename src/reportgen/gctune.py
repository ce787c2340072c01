"""Fewer cyclic garbage collections during bursts of allocation.

Reading a big portfolio and laying out a long pack each make hundreds of thousands of small
objects that live until the job is done. With the default thresholds the collector walks them
again and again, which cost a quarter of a long render and a third of reading a 1,000-partnership
workbook. Raising the first threshold (not switching the collector off) keeps memory bounded if
something does build cycles.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
