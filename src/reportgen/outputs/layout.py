"""The only code that writes pack files: a revision's files in, a complete `r<N>/` folder out.

Layout: `<out>/<folder>/<YYYY-Qn>/r<N>/<folder>-<YYYY-Qn>-qbr.{pdf,docx,html}` and
`manifest.json`, where `<folder>` is the partnership's folder name (its slug, or its slug with a
hash when another partnership has the slug; see `build`). A revision is written into a hidden
staging folder `.r<N>.partial` (every file fsynced, the manifest last), and appears as `r<N>/`
only by renaming that folder, complete: a crash or a full disk never leaves half a revision
under its final name. A file in an existing `r<N>/` is never written again.

`recover` tidies a quarter's folder before a build writes in it (under the folder's lock): a
staging folder left by a build that died is moved into place when its revision was recorded,
removed otherwise, and stray temporary files are removed. `atomic_write` replaces a single file
(portfolio summaries, outbox messages) the same way: temporary file, fsync, rename. Files are
created with the usual permissions (0666 less the umask), like any other program's. A symbolic
link inside the outputs folder (a partnership's folder, a quarter's, `portfolio`, `.locks`, a
revision) is never followed out of it: `confined` refuses it, naming the link.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.text import normalise
from ..locks import file_lock

_REVISION = re.compile(r"^r(\d+)$")
_STAGING = re.compile(r"^\.r(\d+)\.partial$")
PORTFOLIO = "portfolio"  # <out>/portfolio/ holds the portfolio summaries: no partnership's folder
LOCKS = ".locks"


@dataclass(frozen=True)
class Artifact:
    kind: str  # "pdf", "docx", "html"
    data: bytes
    language: str = ""  # a reader's language, beside the pack's own ("": the pack's)

    @property
    def suffix(self) -> str:
        """The file name's ending: "pdf", or "ja.pdf" for a reader's Japanese copy."""
        return f"{self.language}.{self.kind}" if self.language else self.kind


@dataclass(frozen=True)
class WrittenFile:
    kind: str
    path: Path  # where it is once the revision is in place
    sha256: str
    size: int
    language: str = ""  # as `Artifact.language`


@dataclass(frozen=True)
class StagedRevision:
    """A revision written in full to its staging folder, not yet in place."""

    staging: Path
    folder: Path  # r<N>
    files: tuple[WrittenFile, ...]

    def publish(self) -> None:
        """Rename the staging folder to `r<N>` (which never replaces a folder with files)."""
        os.rename(self.staging, self.folder)
        fsync_dir(self.folder.parent)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _create(path: Path, data: bytes) -> None:
    """Write a new file (never an existing one) and flush it to disk; an error names the file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        if exc.filename is None:  # a full disk shows in write or fsync, which name no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def confined(out: Path, path: Path) -> Path:
    """`path`, a place under the outputs folder `out`, when nothing between `out` and it is a
    symbolic link; else an error naming the link (reportgen never follows one out of `out`)."""
    current = out
    for part in path.relative_to(out).parts:
        current = current / part
        if current.is_symlink():
            raise OSError(errno.ELOOP, "a symbolic link inside the outputs folder, which "
                          "reportgen never follows; remove it (or move what it leads to here)",
                          str(current))
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the whole new one."""
    confined(path.parent.parent, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _create(temporary, data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (names made, renamed or removed in it) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def folder_lock(out: Path, name: str) -> Iterator[None]:
    """Hold the lock on the outputs folder's `name` (a partnership's slug, or `portfolio`):
    whoever writes there, with an archive or without, takes it first."""
    out.mkdir(parents=True, exist_ok=True)
    with file_lock(confined(out, out / LOCKS / f"{name}.lock")):
        yield


def quarter_dir(out: Path, folder: str, quarter: str) -> Path:
    return confined(out, out / folder / quarter)


def portfolio_dir(out: Path, quarter: str) -> Path:
    """Where a quarter's portfolio summaries go: `<out>/portfolio/<YYYY-Qn>/`."""
    return confined(out, out / PORTFOLIO / quarter)


def pack_stem(folder: str, quarter: str) -> str:
    """A pack file's name without its extension: `<folder>-<YYYY-Qn>-qbr`."""
    return f"{folder}-{quarter}-qbr"


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


def highest_revision(folder: Path) -> int:
    """The highest N of anything named `r<N>` in a quarter's folder (0 for none): a number
    that is taken, whatever is in it."""
    if not folder.is_dir():
        return 0
    return max((revision_number(child.name) or 0 for child in folder.iterdir()), default=0)


def folder_owners(out: Path, folder: str) -> set[str]:
    """The keys of the partnerships whose revisions are in `<out>/<folder>/`, by manifest."""
    owners = set()
    for manifest in (out / folder).glob("*/r*/manifest.json"):
        name = (read_manifest(manifest.parent) or {}).get("partnership")
        if isinstance(name, str) and revision_number(manifest.parent.name) is not None:
            owners.add(normalise(name))
    return owners


def read_manifest(folder: Path, name: str = "manifest.json") -> dict[str, Any] | None:
    try:
        found = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def staged_revision(place: Path, revision: int) -> Path:
    """Where revision N of a quarter's folder is written before it is put in place."""
    return place / f".r{revision}.partial"


def stage_revision(folder: Path, stem: str, artifacts: Sequence[Artifact],
                   manifest: dict[str, Any]) -> StagedRevision:
    """Write the pack files, then the manifest listing them with their SHA-256 (written last),
    into the staging folder of `folder` (an `r<N>` not yet there). On any failure the staging
    folder is removed and nothing is left."""
    if folder.exists():
        raise FileExistsError(17, "a revision folder is never written twice", str(folder))
    staging = staged_revision(folder.parent, revision_number(folder.name) or 0)
    shutil.rmtree(staging, ignore_errors=True)  # left by a build that died: never published
    try:
        staging.mkdir(parents=True)
        written = []
        for artifact in artifacts:
            name = f"{stem}.{artifact.suffix}"
            _create(staging / name, artifact.data)
            written.append(WrittenFile(artifact.kind, folder / name, sha256(artifact.data),
                                       len(artifact.data), artifact.language))
        document = dict(manifest)
        document["outputs"] = [
            {"kind": f.kind, "file": f.path.name, "sha256": f.sha256, "bytes": f.size}
            | ({"language": f.language} if f.language else {})
            for f in written
        ]
        data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        _create(staging / "manifest.json", data)
        fsync_dir(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written.append(WrittenFile("manifest", folder / "manifest.json", sha256(data), len(data)))
    return StagedRevision(staging, folder, tuple(written))


def recover(folder: Path, recorded: Callable[[int, str], bool]) -> None:
    """Tidy a quarter's folder after builds that died, before writing in it (under its lock).

    A staging folder `.r<N>.partial` whose files all match its manifest is moved into place as
    `r<N>` when `recorded(N, SHA-256 of its manifest)` says the archive recorded that revision
    (the build died between recording it and the rename); any other is removed, as are stray
    temporary files (`.<name>.<random>.tmp`) in the folder and its revisions.
    """
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        staged = _STAGING.match(child.name)
        if staged and child.is_dir() and not child.is_symlink():
            number = int(staged[1])
            target = folder / f"r{number}"
            digest = _complete(child)
            if digest and not target.exists() and recorded(number, digest):
                StagedRevision(child, target, ()).publish()
            else:
                shutil.rmtree(child, ignore_errors=True)
    remove_strays(folder)
    for revision in folder.glob("r*/"):
        if not revision.is_symlink():  # never followed out of the outputs folder
            remove_strays(revision)


def remove_strays(folder: Path) -> None:
    """Remove the temporary files (`.<name>.<random>.tmp`) that writers which died left in
    `folder`; call it holding the lock of whoever writes there."""
    for stray in folder.glob(".*.tmp"):
        stray.unlink(missing_ok=True)


def _complete(staging: Path) -> str | None:
    """The SHA-256 of the staging folder's manifest when every file it lists is there with its
    digest, else None."""
    try:
        data = (staging / "manifest.json").read_bytes()
        outputs = json.loads(data)["outputs"]
        for entry in outputs:
            if sha256((staging / Path(entry["file"]).name).read_bytes()) != entry["sha256"]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return sha256(data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
