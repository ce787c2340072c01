"""The only code that writes pack files: atomic writes into revision folders, with a manifest.

Layout: `<out>/<slug>/<YYYY-Qn>/r<N>/<slug>-<YYYY-Qn>-qbr.{pdf,docx,html}` and
`manifest.json`. A file appears under its final name only complete (temporary file in the same
folder, fsync, rename, fsync of the folder), so a crash never leaves half a PDF behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_REVISION = re.compile(r"^r(\d+)$")


@dataclass(frozen=True)
class Artifact:
    kind: str  # "pdf", "docx", "html"
    data: bytes


@dataclass(frozen=True)
class WrittenFile:
    kind: str
    path: Path
    sha256: str
    size: int


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (names made, renamed or removed in it) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def quarter_dir(out: Path, slug: str, quarter: str) -> Path:
    return out / slug / quarter


def revision_dir(out: Path, slug: str, quarter: str, revision: int) -> Path:
    return quarter_dir(out, slug, quarter) / f"r{revision}"


def portfolio_dir(out: Path, quarter: str) -> Path:
    """Where a quarter's portfolio summaries go: `<out>/portfolio/<YYYY-Qn>/`."""
    return out / "portfolio" / quarter


def pack_name(slug: str, quarter: str, kind: str) -> str:
    return f"{slug}-{quarter}-qbr.{kind}"


def revision_number(name: str) -> int | None:
    """N for a revision folder's name `r<N>`, else None."""
    match = _REVISION.match(name)
    return int(match[1]) if match else None


def revisions_on_disk(folder: Path) -> list[int]:
    """Revision numbers of the `r<N>` folders that hold a manifest, ascending."""
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        number = revision_number(child.name)
        if number is not None and (child / "manifest.json").is_file():
            found.append(number)
    return sorted(found)


def read_manifest(folder: Path, name: str = "manifest.json") -> dict[str, Any] | None:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_revision(folder: Path, slug: str, quarter: str, artifacts: Sequence[Artifact],
                   manifest: dict[str, Any]) -> list[WrittenFile]:
    """Write the pack files, then the manifest listing them with their SHA-256 (written last)."""
    written = []
    for artifact in artifacts:
        path = folder / pack_name(slug, quarter, artifact.kind)
        atomic_write(path, artifact.data)
        written.append(WrittenFile(artifact.kind, path, sha256(artifact.data), len(artifact.data)))
    document = dict(manifest)
    document["outputs"] = [
        {"kind": f.kind, "file": f.path.name, "sha256": f.sha256, "bytes": f.size}
        for f in written
    ]
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    path = folder / "manifest.json"
    atomic_write(path, data)
    written.append(WrittenFile("manifest", path, sha256(data), len(data)))
    return written


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
