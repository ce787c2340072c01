"""The web site in the settings' language: every page's fixed words through the catalogues,
`lang` on every page, the filter's words and its count, and numbers by locale; the workbooks'
own text (partnership names, KPI names, risk texts) as typed."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

import pytest
from babel.messages.pofile import read_po

from reportgen.config import Settings
from reportgen.domain.language import SHIPPED
from sites import Outputs

PLACEHOLDER = re.compile(r"\{\w*\}")
TAG = re.compile(r"<[^>]+>")


def site_fragments(language: str) -> set[str]:
    """The English words of the catalogue's entries that the site's templates and views mark,
    which `language` words differently (and does not use itself)."""
    path = resources.files("reportgen") / "locale" / language / "LC_MESSAGES" / "reportgen.po"
    catalogue = [m for m in read_po(path.open("rb")) if m.id]
    translated = " ".join(s for m in catalogue
                          for s in ((m.string,) if isinstance(m.string, str) else m.string))
    found = set()
    for message in catalogue:
        if not any("site" in where for where, _ in message.locations):
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        if set(ids) <= set(strings):
            continue
        for text in ids:
            for piece in PLACEHOLDER.split(text):
                piece = piece.strip(" ,.;:()–-/")
                if sum(c.isalpha() for c in piece) >= 4 and not re.search(
                        rf"(?<![\w-]){re.escape(piece)}(?![\w-])", translated):
                    found.add(piece)
    return found


def archived_text(outputs: Outputs) -> str:
    """Every text the archive holds (names, KPIs, risk texts, replies): shown as typed."""
    found: list[str] = []
    with sqlite3.connect(outputs.folder / "archive.sqlite") as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):
                found += [v for v in row if isinstance(v, str)]
    return " ".join(found)


@pytest.mark.parametrize("language", [tag for tag in SHIPPED if tag != "en"])
def test_every_page_speaks_the_settings_language(outputs: Outputs, language: str) -> None:
    outputs.generate(Settings(language=language))
    pages = sorted(outputs.site.rglob("*.html"))
    typed = archived_text(outputs)
    fragments = {p for p in site_fragments(language) if p not in typed}
    assert len(fragments) > 40  # the check has English words to look for
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in html, page
        text = " ".join(TAG.sub(" ", html.replace("<wbr>", "")).split())
        left = sorted(p for p in fragments
                      if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text))
        assert left == [], f"{page.relative_to(outputs.site)} in {language} still says {left}"
    index = (outputs.site / "index.html").read_text(encoding="utf-8")
    assert 'value="red"' in index and 'data-status="' in index
    assert 'data-shown="' in index and "{shown}" in index and "{total}" in index
