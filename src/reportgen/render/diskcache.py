"""Measurements kept between runs: a key and a JSON value in, the value back on a later run.

Reading the shipped fonts' metrics with fontTools takes a tenth of a second or more, and every
`reportgen build` process needs them (to size the tables' columns and to find the characters no
font has). They are kept in the user's cache folder (`$XDG_CACHE_HOME/reportgen`, else
`~/.cache/reportgen`), one file per key; the caller makes the key from the digests of what the
value was measured from, so a changed font is measured again, never served stale.

The cache is never required: a folder that cannot be made or written, a missing file, one cut
short or damaged, or one that does not hold what the caller expects (`load` returns what was
stored; the caller checks it) all mean "measure again". Files are written whole to a temporary
name and renamed into place, so a concurrent reader sees the old file, the new one or none, and
concurrent writers of one key (which write the same value) cannot mix their bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def folder() -> Path:
    """The cache folder: `$XDG_CACHE_HOME/reportgen`, else `~/.cache/reportgen`."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # as the spec says
    return root / "reportgen"


def load(key: str) -> Any:
    """What was stored under `key`, or None when there is nothing readable."""
    try:
        return json.loads((folder() / f"{key}.json").read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def store(key: str, value: Any) -> None:
    """Keep `value` (JSON-able) under `key`, if the cache folder can be written at all."""
    place = folder()
    try:
        place.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=place, prefix=f".{key}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(json.dumps(value, separators=(",", ":")).encode())
        os.replace(name, place / f"{key}.json")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(name)
