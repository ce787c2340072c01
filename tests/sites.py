"""Reading a generated site back in tests: an outputs folder with an archive (`Outputs`), the
hostile partnership names, and each page parsed (`Page`) with its links, elements and text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reportgen.config import Settings
from reportgen.site.generate import SiteResult, generate_site

GENERATED = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
HOSTILE = (
    "<script>alert('name')</script> Alliance",
    '"><img src=x onerror=alert(1)> Partners',
    "javascript:alert(document.cookie)",
    "' onmouseover='alert(2)' x='",
)
# a scheme followed by //, anywhere in a page, but for the SVG namespace name
EXTERNAL = re.compile(r"\b[a-z][a-z0-9+.-]*://(?!www\.w3\.org/2000/svg\")", re.I)


@dataclass
class Outputs:
    folder: Path
    url: str

    @property
    def site(self) -> Path:
        return self.folder / "site"

    def generate(self, settings: Settings | None = None) -> SiteResult:
        return generate_site(self.folder, self.url, settings or Settings(), lambda: GENERATED)


class Page(HTMLParser):
    """One generated page, parsed: its links, its elements and its text."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[str] = []  # every href and src
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.source = path.read_text(encoding="utf-8")
        self.feed(self.source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.ids.update(value or "" for name, value in attrs if name == "id")
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def target(self, link: str) -> Path:
        """The file a relative link names, from this page (the page itself for "#id")."""
        path = unquote(urlsplit(link).path)
        return (self.path.parent / path).resolve() if path else self.path.resolve()


def pages(site: Path) -> list[Page]:
    return [Page(path) for path in sorted(site.rglob("*.html"))]
