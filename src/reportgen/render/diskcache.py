"""Work kept between runs: a key and a value in, the value back on a later run.

Reading the shipped fonts' metrics with fontTools takes a tenth of a second, compiling the pack's
templates as long again, and every `reportgen build` process needs both. They are kept in the
user's cache folder (`$XDG_CACHE_HOME/reportgen`, else `~/.cache/reportgen`), one file per key:
JSON values (`load`, `store`) and bytes (`load_bytes`, `store_bytes`, for Jinja's compiled
templates: `render.html`). The caller makes the key from the digests of what the value was made
from, so a changed font or template is measured or compiled again, never served stale.

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
    """What was stored under `key` (as JSON), or None when there is nothing readable."""
    data = load_bytes(f"{key}.json")
    try:
        return None if data is None else json.loads(data)
    except (ValueError, RecursionError):
        return None


def store(key: str, value: Any) -> None:
    """Keep `value` (JSON-able) under `key`, if the cache folder can be written at all."""
    store_bytes(f"{key}.json", json.dumps(value, separators=(",", ":")).encode())


def load_bytes(name: str) -> bytes | None:
    """The file `name` in the cache folder, or None when it cannot be read."""
    try:
        return (folder() / name).read_bytes()
    except OSError:
        return None


def store_bytes(name: str, data: bytes) -> None:
    """Write `data` to the file `name` in the cache folder, whole or not at all."""
    place = folder()
    try:
        place.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=place, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, place / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
