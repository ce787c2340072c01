"""The PDF and the Word pack say the same things: section titles, table headings, every cell's
figures and statuses, the facts tables, for several workbooks.

The PDF side is read from the HTML WeasyPrint lays out (the PDF's text is that HTML's, laid
out); the Word side from the .docx, reopened. A table is matched across the two by its headings.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml import html as lxml_html

from factories import GENERATED_AT
from reportgen.config import Page, Settings
from reportgen.domain.scoring import score_review
from reportgen.intake.validation import load
from reportgen.present.view import PackView, build_view
from reportgen.present.wording import WORDS
from reportgen.render.html import render_html
from reportgen.render.word.pack import render_docx
from stress import first_quarter_sheets, write_quiet, write_stress
from workbooks import write_example

Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]  # headings, rows


def _view(path: Path, page: Page) -> PackView:
    settings = Settings(page=page)
    review = load(path).reviews[0]
    scored = score_review(review, settings.scoring.rules, settings.risk_bands.rules, None)
    return build_view(scored, settings, GENERATED_AT)


WORKBOOKS = {
    "example": lambda path: write_example(path),
    "stress": lambda path: write_stress(path),
    "first quarter": lambda path: write_stress(path, first_quarter_sheets()),
    "no risks or decisions": lambda path: write_quiet(path),
}


@pytest.fixture(scope="module", params=list(WORKBOOKS))
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[PackView, etree._Element, docx.document.Document]:
    path = WORKBOOKS[request.param](tmp_path_factory.mktemp("parity") / "book.xlsx")
    view = _view(path, Page(size="A4", orientation="portrait"))
    return (view, lxml_html.fromstring(render_html(view)),
            docx.Document(io.BytesIO(render_docx(view))))


def _words(text: str) -> str:
    """Text with its runs of white space as one space (and no invisible break points)."""
    return " ".join(text.replace("\u200b", "").replace("\u2060", "").split())


def _html_text(element: etree._Element) -> str:
    return _words(" ".join(element.itertext()))


def _docx_text(element: etree._Element) -> str:
    """A cell's or block's text, its paragraphs and line breaks as spaces."""
    pieces = {qn("w:t"): None, qn("w:br"): " ", qn("w:tab"): " ", qn("w:p"): " ",
              qn("w:noBreakHyphen"): "-"}
    return _words("".join((e.text or "") if pieces[e.tag] is None else pieces[e.tag]
                          for e in element.iter(*pieces)))


def html_titles(page: etree._Element) -> list[str]:
    return [_html_text(h) for h in page.iter("h1", "h2")]


def docx_titles(doc: docx.document.Document) -> list[str]:
    """The titles in document order, those in a table cell (a column of the appendix) too."""
    styles = {"TOC Heading", "Heading 1", "Heading 2"}
    paragraphs = (Paragraph(p, doc._body) for p in doc.element.body.iter(qn("w:p")))
    return [p.text for p in paragraphs if p.style.name in styles]


def html_tables(page: etree._Element) -> list[Table]:
    """Every data table: its headings and its rows (a cell a row span covers is not repeated)."""
    found = []
    for table in page.xpath("//table[contains(concat(' ', @class, ' '), ' grid ')]"):
        heads = tuple(_html_text(th) for th in table.xpath("./thead/tr/th"))
        rows = tuple(tuple(_html_text(c) for c in tr.xpath("./th|./td"))
                     for tr in table.xpath("./tbody/tr"))
        found.append((heads, rows))
    return found


def docx_tables(doc: docx.document.Document
                ) -> dict[tuple[str, ...], list[tuple[tuple[str, ...], ...]]]:
    """Every table with a heading row, by its headings, in document order (two tables may share
    headings: the summary's attention list and Appendix A); a vertically merged cell counted
    once."""
    found: dict[tuple[str, ...], list[tuple[tuple[str, ...], ...]]] = {}
    for table in doc.element.body.iter(qn("w:tbl")):
        rows = [[c for c in tr.findall(qn("w:tc"))
                 if c.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is None
                 or c.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"]
                for tr in table.findall(qn("w:tr"))]
        first = table.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}")
        if first is not None and rows:
            heads = tuple(_docx_text(c) for c in rows[0])
            found.setdefault(heads, []).append(
                tuple(tuple(_docx_text(c) for c in row) for row in rows[1:]))
    return found


def test_section_titles_are_the_same_in_order(both):
    _, page, doc = both
    assert docx_titles(doc) == html_titles(page)


def test_every_table_has_the_same_headings_figures_and_statuses(both):
    _, page, doc = both
    word = docx_tables(doc)
    tables = html_tables(page)
    assert tables  # every pack has its scorecard
    seen: dict[tuple[str, ...], int] = {}
    for heads, rows in tables:
        assert heads in word, f"no Word table headed {heads}"
        index = seen.get(heads, 0)
        assert word[heads][index] == rows, f"the table headed {heads} differs"
        seen[heads] = index + 1


def test_facts_are_the_same(both):
    view, page, doc = both
    body = _docx_text(doc.element.body)
    for label, value in (*view.cover_facts, *view.governance_facts, *view.provenance_facts):
        assert _words(f"{label} {value}") in body
        assert _words(f"{label} {value}") in _html_text(page)


def test_sentences_are_the_same(both):
    view, page, doc = both
    html, word = _html_text(page), _docx_text(doc.element.body)
    sentences = [WORDS.heat_key, *view.heat_legend, view.trend_lead, WORDS.points_note,
                 f"{WORDS.kpis_lead} {view.kpi_counts}",
                 *(f"{lead} {text}" for lead, text in view.contents_notes),
                 *(f"{row.label} {row.value}" for row in view.glance)]
    sentences += view.summary.headline
    if view.decisions:
        sentences.append(view.agenda.decisions_lead)
    if view.agenda.actions:
        sentences.append(view.agenda.actions_lead)
    for sentence in sentences:
        assert _words(sentence) in html, sentence
        assert _words(sentence) in word, sentence


def test_cover_says_the_same(both):
    view, page, doc = both
    cover_html = _html_text(page.get_element_by_id("cover"))
    cover_word = _docx_text(doc.element.body.find(qn("w:tbl")))  # the band across the cover
    for text in (view.title, view.partnership, f"with {view.partner}", view.quarter_label):
        assert text in cover_html and text in cover_word


def test_the_stress_pack_has_every_kind_of_content(tmp_path: Path) -> None:
    """The stress workbook does hold what the other tests rely on it for."""
    view = _view(write_stress(tmp_path / "book.xlsx"), Page())
    assert len(view.kpis) == 40 and len(view.risks) >= 10 and view.closed_risks
    assert max(len(r.description) for r in view.risks) >= 400
    text = " ".join([view.partnership, view.partner, view.executive_sponsor,
                     view.partner_sponsor, view.alliance_manager,
                     *(k.name for k in view.kpis), *(k.owner for k in view.kpis)])
    for sample in ("株式会社", "김민준", "فاطمة", "כהן", "प्रिया", "สมชาย", "🌸"):
        assert sample in text
    assert view.risks[0].id.startswith("SR-2025-")
    assert any("$" in k.target for k in view.kpis) and any("%" in k.actual for k in view.kpis)
