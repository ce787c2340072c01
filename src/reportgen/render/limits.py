"""A wall-clock limit on rendering: seconds and a message in, `RenderError` out when they run out.

`time_limit` arms SIGALRM, so it works on the main thread of a process only (the CLI's and each
forked worker's); elsewhere it sets no limit. Limits do not stack: inside a limit already
armed, an inner one changes nothing, so a pack's limit covers all of its render (templates,
PDF, Word) and a PDF rendered within it gets no fresh allowance; `paused` stops its clock for a
wait that is not the pack's. The alarm raises `_Expired`, a
BaseException, so that no library's `except Exception` can swallow it on its way out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from ..errors import RenderError

_armed = False  # a limit is running in this process (signals reach the main thread only)


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so WeasyPrint's `except Exception` cannot eat it."""


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise RenderError(`message`) when the block runs longer than `seconds`.

    No limit off the main thread, and none added inside a running limit (see the module)."""
    global _armed
    if _armed or threading.current_thread() is not threading.main_thread():
        yield
        return
    active = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if active:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    _armed = True
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except _Expired:
        raise RenderError(message) from None
    finally:
        active = _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def paused() -> Iterator[None]:
    """Stop the running limit's clock inside the block (a wait that is not the pack's own
    time, such as another process's first import of WeasyPrint), and restart it after."""
    if not _armed or threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining = signal.setitimer(signal.ITIMER_REAL, 0)[0]
    try:
        yield
    finally:
        if _armed and remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining)


def seconds_text(seconds: float) -> str:
    """`1 second`, `0.5 seconds`, `120 seconds`."""
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"
