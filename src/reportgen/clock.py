"""The clocks: when something happens (deliveries, archive rows) and when a build says it ran.

`utc_now` is the wall clock, to the second. `build_time` is the time a pack is stamped with:
`SOURCE_DATE_EPOCH` when set (reproducible builds: identical inputs, identical bytes), else now.
Stages that need a time take a clock as an argument, so tests inject their own.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from .errors import ReportgenError

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when it is set (reproducible builds), else `utc_now()`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise ReportgenError(f"SOURCE_DATE_EPOCH={epoch[:20]}: not a time reportgen can "
                                 "stamp a pack with (seconds since 1970, before the year "
                                 "10000)") from None
    return utc_now()
