"""Where the site's pages live and how they link to each other and to the outputs folder.

Input: a partnership's key, a quarter, a page number, or a file's path as archived. Output:
the page's path inside the site folder and relative hrefs, which work the same from `file://`
and from a web server that serves the outputs folder. A file of the outputs folder is linked
only when it is there, inside the outputs folder (symbolic links followed), and not part of the
site itself; anything else gets no link at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import quote

from ..domain.model import slugify

SITE_DIR = "site"  # the site's folder inside the outputs folder
ASSETS = "assets"

T = TypeVar("T")


def index_page(number: int = 1) -> str:
    return "index.html" if number == 1 else f"index-{number}.html"


def partnership_page(key: str, number: int = 1) -> str:
    """`partnerships/<readable part>-<hash of the key>.html`: stable for a partnership, distinct
    for two partnerships whose names give the same readable part."""
    stem = f"{slugify(key)[:60].rstrip('-')}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    return f"partnerships/{stem}.html" if number == 1 else f"partnerships/{stem}-{number}.html"


def quarter_page(quarter: str, number: int = 1) -> str:
    return f"quarters/{quarter}.html" if number == 1 else f"quarters/{quarter}-{number}.html"


QUARTERS_PAGE = "quarters/index.html"


def href(page: str, target: str) -> str:
    """The relative href from the site page `page` to the site page or asset `target`."""
    return "../" * page.count("/") + quote(target)


@dataclass(frozen=True)
class PageLink:
    number: int
    href: str
    current: bool


@dataclass(frozen=True)
class Pager:
    """Which page of how many, with links to each (empty when there is one page)."""

    number: int
    count: int
    links: tuple[PageLink, ...]
    previous: str | None
    next: str | None
    first_item: int  # 1-based position of the page's first item
    last_item: int
    total: int


def paged(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` cut into pages of `size` (at least one page, which may be empty)."""
    return [items[start:start + size] for start in range(0, len(items), size)] or [items]


def pager(page_path: str, number: int, chunks: Sequence[Sequence[object]],
          path_of: Callable[[int], str]) -> Pager:
    """The pager of page `number` (1-based) among `chunks`; `path_of(n)` is page n's path."""
    count = len(chunks)
    links = tuple(PageLink(n, href(page_path, path_of(n)), n == number)
                  for n in range(1, count + 1)) if count > 1 else ()
    first = sum(len(chunk) for chunk in chunks[:number - 1])
    return Pager(
        number=number, count=count, links=links,
        previous=href(page_path, path_of(number - 1)) if number > 1 else None,
        next=href(page_path, path_of(number + 1)) if number < count else None,
        first_item=first + 1 if chunks[number - 1] else 0,
        last_item=first + len(chunks[number - 1]),
        total=sum(len(chunk) for chunk in chunks),
    )


class OutputsLinks:
    """Hrefs from site pages to files in the outputs folder, for files that are really there.
    Each path is checked on disk once."""

    def __init__(self, outputs: Path) -> None:
        self.root = os.path.realpath(outputs)
        self.site = os.path.join(self.root, SITE_DIR)
        self._checked: dict[str, bool] = {}

    def href(self, page: str, archived_path: str) -> str | None:
        """The href from site page `page` to `archived_path` (relative to the outputs folder),
        or None when that file is missing, outside the outputs folder, or inside the site."""
        if not self.linkable(archived_path):
            return None
        return "../" * (page.count("/") + 1) + quote(archived_path)

    def linkable(self, archived_path: str) -> bool:
        """Whether `archived_path` names a file of the outputs folder (not of the site)."""
        known = self._checked.get(archived_path)
        if known is None:
            known = self._checked[archived_path] = self._check(archived_path)
        return known

    def _check(self, archived_path: str) -> bool:
        posix = PurePosixPath(archived_path)
        if (not archived_path or posix.is_absolute() or "\\" in archived_path
                or ".." in posix.parts or ":" in posix.parts[0]):
            return False
        try:
            target = os.path.realpath(os.path.join(self.root, *posix.parts), strict=True)
        except (OSError, RuntimeError):  # missing, or a symlink loop
            return False
        inside = target.startswith(self.root + os.sep) and not (
            target == self.site or target.startswith(self.site + os.sep))
        return inside and os.path.isfile(target)
