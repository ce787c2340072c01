"""Stress packs in every page set-up: no word, number, ID or heading is split inside itself.

The stress workbook (tests/stress.py: many scripts, 400-character risks, 40 KPIs with long
names, IDs like SR-2025-0001) is rendered on A4, Letter, A3 and Legal paper, portrait and
landscape. Every word the PDF shows (pdfplumber) must then be a whole word of the pack's text:
a word split at a line end leaves a fragment ("Performanc", "SR-", "99.9") that is not one.
Words in scripts that break between characters (CJK, Thai) or run right to left are not
checked this way; a compound of more than 15 characters may break after a hyphen, and a run of
more than 60 characters (a SHA-256) anywhere. The Word pack, converted by LibreOffice, is held
to the same in the two set-ups the pack is most often printed in.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from factories import GENERATED_AT
from reportgen.config import Page, Settings
from reportgen.domain.scoring import score_review
from reportgen.intake.validation import load
from reportgen.present.language import speaking, words
from reportgen.present.view import PackView, build_view
from reportgen.present.wording import WORDS
from reportgen.render.columns import MM, SHORT_COMPOUND
from reportgen.render.html import pack_relayout, render_html
from reportgen.render.pdf import render_pdf
from reportgen.render.widths import PackWidths, text_width
from reportgen.render.word.pack import render_docx
from stress import RISK_TEXT, many_kpis_sheets, stress_sheets, write_stress

SETUPS = [(size, orientation) for size in ("A4", "Letter", "A3", "Legal")
          for orientation in ("portrait", "landscape")]
_LEADER = re.compile(r"\.{3,}$")
_PUNCTUATION = ",.;:·•()[]-–—'’\"“”"
_LATIN = re.compile(r"^[\u0020-\u024f\u2010-\u2027\u2190-\u21ff\u2200-\u22ff\u25a0-\u25ff"
                    r"\u2713\u2212]+$")


@pytest.fixture(scope="module")
def stress_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_stress(tmp_path_factory.mktemp("stress") / "stress.xlsx")


def stress_view(book: Path, size: str, orientation: str, language: str = "en") -> PackView:
    settings = Settings(page=Page(size=size, orientation=orientation), language=language)
    scored = score_review(load(book).reviews[0], settings.scoring.rules,
                          settings.risk_bands.rules, None)
    return build_view(scored, settings, GENERATED_AT)


def vocabulary(html: str) -> set[str]:
    """Every whole word of the pack's text, as written and in capitals (CSS may set it so)."""
    page = lxml_html.fromstring(html)
    for hidden in page.xpath("//head | //style"):
        hidden.getparent().remove(hidden)
    return _words(" ".join(page.itertext()))


def word_vocabulary(data: bytes) -> set[str]:
    """Every whole word of the Word pack's text (its paragraphs, tables, header and footer)."""
    doc = docx.Document(io.BytesIO(data))
    parts = [doc.element.body, *(story._element for section in doc.sections
                                 for story in (section.header, section.footer))]
    hyphen = {qn("w:noBreakHyphen"): "-", qn("w:br"): " ", qn("w:tab"): " ", qn("w:p"): " "}
    text = " ".join("".join(hyphen.get(e.tag, e.text or "") for e in part.iter(
        qn("w:t"), *hyphen)) for part in parts)
    return _words(text)


def _words(text: str) -> set[str]:
    """The words of `text`, and those the stylesheet writes (the page footer's "Page 3 of 12",
    a category's "(cont.)") in the language in force."""
    text = text.replace("\u2060", "").replace("\u200b", "")
    fixed = words()
    found = set(text.split()) | set(fixed.continued.split()) | {fixed.page, fixed.page_of, "·"}
    return found | {w.upper() for w in found}


def fragments(pdf: bytes, words: set[str]) -> list[str]:
    """The words on the PDF's pages that are not whole words of the pack's text."""
    allowed = {piece for w in words if len(w) > SHORT_COMPOUND or "–" in w
               for piece in _pieces(w)}
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words |= {str(n) for n in range(1, len(document.pages) + 1)}
        for number, page in enumerate(document.pages, start=1):
            for word in page.extract_words():
                text = _LEADER.sub("", word["text"])  # the contents' dot leaders
                if not text.strip(_PUNCTUATION) or not _LATIN.match(text) or text in allowed \
                        or _whole(text, words):
                    continue
                found.append(f"page {number}: {text!r}")
    return found


def _whole(text: str, words: set[str]) -> bool:
    """Whether `text` is a whole word of `words`, allowing for how the PDF's text comes back:
    a leader dot after it, read backwards (the heat map's turned axis title), reordered
    beside right-to-left text, or run together with the next word (the chart's labels)."""
    if text in words or text.rstrip(".") in words or text[::-1] in words:
        return True
    if any(text[i:] + text[:i] in words for i in range(len(text))):
        return True
    return any(text[:i] in words and text[i:] in words for i in range(1, len(text))) or any(
        text[:i] in words and text[i:j] in words and text[j:] in words
        for i in range(1, len(text)) for j in range(i + 1, len(text)))


def _pieces(word: str) -> Iterator[str]:
    """What a long word may break into: its hyphenated parts (an en dash, as in
    "Sakura–Han", is a place to break too), or any run of it."""
    if "-" in word or "–" in word:
        parts = re.split(r"(?<=[-–])", word)
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                yield "".join(parts[start:end])
    if len(word) > 60:
        for start in range(len(word)):
            for end in range(start + 1, len(word) + 1):
                yield word[start:end]


@pytest.mark.slow
@pytest.mark.parametrize(("size", "orientation"), SETUPS)
def test_no_token_is_split_in_any_page_setup(stress_book: Path, size: str,
                                             orientation: str) -> None:
    view = stress_view(stress_book, size, orientation)
    html = render_html(view)
    result = render_pdf(view, html, relayout=pack_relayout(view))
    assert not fragments(result.data, vocabulary(html))
    assert not result.missing and not result.warnings
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:  # nothing runs into the margins
        for page in pdf.pages:
            right = page.width - 15 * MM + 1  # pack.css @page: 15 mm left and right
            over = [w["text"] for w in page.extract_words() if w["x1"] > right]
            assert not over, f"page {page.page_number}: past the right margin: {over}"


def test_the_check_finds_a_split_word(stress_book: Path) -> None:
    """Squeeze the scorecard's first two columns (KPI, Owner) and the check names the broken
    words."""
    view = stress_view(stress_book, "A4", "portrait")
    html = render_html(view)
    narrow = re.sub(r'(<table class="grid kpis">\s*<colgroup>)(<col style="width: [0-9.]+%">){2}',
                    r'\1<col style="width: 3%"><col style="width: 5%">', html, count=1)
    assert narrow != html
    found = fragments(render_pdf(view, narrow).data, vocabulary(html))
    assert any("Reven" in f or "Growt" in f for f in found), found  # "Joint Revenue Growth"


def test_word_tables_have_the_pdf_column_widths(stress_book: Path) -> None:
    view = stress_view(stress_book, "Letter", "portrait")
    widths = PackWidths(view)
    doc = docx.Document(io.BytesIO(render_docx(view)))
    grids = [[int(c.get(qn("w:w"))) for c in t.iter(qn("w:gridCol"))]
             for t in doc.element.body.iter(qn("w:tbl"))]
    shares = [[100 * w / sum(grid) for w in grid] for grid in grids]
    grid = () if view.trend.first_quarter else (widths.kpi_grid,)  # a first quarter has none
    agenda = [layout for layout, rows in ((widths.decisions_requested, view.agenda.requested),
                                          (widths.decisions_taken, view.agenda.taken),
                                          (widths.actions, view.agenda.actions)) if rows]
    appendix = (widths.attention_all,) if view.summary.more else ()
    for layout in (widths.attention, *appendix, widths.scorecard, widths.risks,
                   widths.closed_risks, *agenda, *grid):
        assert any(len(share) == len(layout.widths) and all(
            abs(a - b) < 0.1 for a, b in zip(share, layout.widths, strict=True))
            for share in shares), layout
    section = doc.sections[0]
    assert section.page_width < section.page_height and len(doc.sections) == 1  # portrait


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize(("size", "orientation"), [("A4", "portrait"), ("Letter", "landscape")])
def test_word_pack_splits_no_token_either(stress_book: Path, tmp_path: Path, size: str,
                                          orientation: str) -> None:
    view = stress_view(stress_book, size, orientation)
    data = render_docx(view)
    (tmp_path / "pack.docx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "pack.docx")], check=True, capture_output=True, timeout=300)
    pdf = (tmp_path / "pack.pdf").read_bytes()
    assert not fragments(pdf, word_vocabulary(data))
    assert not broken_names(pdf, view)  # a CJK name breaks only at its spaces in Word too


@pytest.mark.slow
@pytest.mark.parametrize(("size", "orientation"), [("A4", "portrait"), ("Letter", "landscape")])
def test_pages_are_used_well(stress_book: Path, size: str, orientation: str) -> None:
    """Every scorecard page opens with a category heading (its name, or "… (cont.)" where the
    category runs on), the total row has a KPI above it on its page and the rounding note
    beside it, no risk-table page but the last is left more than half empty (a risk is never
    split, so a tall one moves whole to the next page), every risk row begins with its text
    beside its ID (a row cut at the page's foot leaves no cell empty), and Appendix A does not
    end with one item alone on a page."""
    view = stress_view(stress_book, size, orientation)
    result = render_pdf(view, render_html(view), relayout=pack_relayout(view))
    share = PackWidths(view).scorecard.widths[0]
    first_column = 15 * MM + text_width(view.page_size) * share / 100  # the left margin: 15 mm
    starts = {k.category.replace(" ", "")[:8] for k in view.kpis}
    labelled = 0
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            texts = [w["text"] for w in words]
            heading = next((w for w in words if w["text"] == "Variance"), None)
            if heading is None:
                continue  # not a scorecard page
            header_bottom = max(w["bottom"] for w in words if abs(w["top"] - heading["top"]) < 12)
            below = [w for w in words if w["top"] > header_bottom + 2]
            first_row = min(w["top"] for w in below)
            first_line = "".join(w["text"] for w in sorted(below, key=lambda w: w["x0"])
                                 if abs(w["top"] - first_row) < 3)
            assert first_line[:8] in starts, (
                f"page {page.page_number} opens without a category heading: {first_line!r}")
            labelled += "(cont.)" in texts
            total = next((w for w in below if w["text"] == "Overall" and w["x0"] < first_column
                          and w["top"] > first_row + 4), None)
            assert total is None or any(header_bottom < w["top"] < total["top"] - 4
                                        for w in below), "the total row is alone on its page"
            assert total is None or "†" in page.extract_text(), "the rounding note left behind"
        assert labelled  # the stress scorecard runs over pages mid-category
        risk_pages = [p for p in pdf.pages
                      if "Mitigation" in p.extract_text() and "Risk" in p.extract_text()
                      and "Heat map" not in p.extract_text()]
        for page in risk_pages[:-1]:
            lowest = max(w["bottom"] for w in page.extract_words()
                         if w["bottom"] < page.height - 14 * MM)  # above the footer
            assert lowest > 0.5 * page.height, f"page {page.page_number} is left half empty"
        ids = {r.id for r in view.risks}
        id_share, text_share = PackWidths(view).risks.widths[:2]
        text_from = 15 * MM + text_width(view.page_size) * id_share / 100  # the Risk column
        text_to = text_from + text_width(view.page_size) * text_share / 100
        for page in risk_pages:
            words = page.extract_words()
            for risk_id in (w for w in words if w["text"] in ids and w["x0"] < text_from):
                assert any(text_from <= w["x0"] < text_to and abs(w["top"] - risk_id["top"]) < 3
                           for w in words), (
                    f"page {page.page_number}: {risk_id['text']} has no text beside it")
        texts = [page.extract_text() for page in pdf.pages]
        opens = next(n for n, text in enumerate(texts)
                     if WORDS.sections.attention_appendix in text and n > 3)  # not the contents
        items = [len(re.findall(r"^\s*\d+ (?:KPI|RISK|DECISION|ACTION)\b", text, re.M))
                 for text in texts[opens:]]
        assert sum(items) == len(view.summary.listed)  # the decisions are on page one
        assert [n for n in items if n][-1] > 1, "Appendix A ends with one item alone on a page"


# --- pages broken as a typesetter would: no stranded rows, no split risk, no broken name ------

BODY_TOP, BODY_FOOT = 17 * MM, 14 * MM  # pack.css @page: the margins above and below the body
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_INVISIBLE = str.maketrans("", "", "\u2060\u200b\u00ad")


@pytest.fixture(scope="module")
def many_kpis_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_stress(tmp_path_factory.mktemp("many") / "many.xlsx", many_kpis_sheets())


def _continued_table(page: Any) -> dict[str, float] | None:
    """The heading row of a table that runs on from the page before: a full-width band at the
    very top of the page's body (a section would open with its title instead)."""
    width = page.width - 30 * MM
    band = next((r for r in page.rects if abs(r["top"] - BODY_TOP) < 4
                 and r["width"] > 0.6 * width and 8 < r["height"] < 45), None)
    if band is None:
        return None
    inside = [w for w in page.extract_words(extra_attrs=["size"])
              if band["top"] <= w["top"] < band["bottom"]]
    return None if any(w["size"] > 11 for w in inside) else band  # a section's title


def _rows(page: Any) -> int:
    """How many table rows the page holds: each row is ruled off below (0.5 pt), a total row
    above and below (1.2 pt)."""
    tops = {(round(line["top"]), round(line["linewidth"], 1)) for line in page.lines
            if abs(line["top"] - line["bottom"]) < 0.1}
    return (sum(1 for _, width in tops if 0.4 <= width <= 0.6)
            + sum(1 for _, width in tops if 1.1 <= width <= 1.3) // 2)


def stranded_pages(pdf: bytes) -> list[str]:
    """The pages that carry only a table's last one to three rows, over less than half of
    their body, the rest left white."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages[1:]:
            if _continued_table(page) is None:
                continue
            foot = page.height - BODY_FOOT
            lowest = max([w["bottom"] for w in page.extract_words() if w["bottom"] < foot]
                         + [line["bottom"] for line in page.lines if line["bottom"] < foot])
            rows = _rows(page)
            if rows <= 3 and lowest < BODY_TOP + (foot - BODY_TOP) / 2:
                found.append(f"page {page.page_number}: {rows} rows, then white space")
    return found


def split_risks(pdf: bytes, view: PackView) -> list[str]:
    """The pages on which the risk register runs on with the rest of a risk cut off the page
    before: its first row has text but no risk ID in the ID column."""
    ids = {r.id for r in (*view.risks, *view.closed_risks)}
    with speaking(view.language):  # the Mitigation column's heading, in the pack's language
        heading = words().columns.risks[6].split()[0]
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages[1:]:
            band = _continued_table(page)
            words_ = page.extract_words()
            if band is None or not any(heading in w["text"] for w in words_):
                continue
            below = band["bottom"] + 1
            first = [w for w in words_ if below < w["top"] < below + 14]
            if first and not any(w["text"] in ids for w in first):
                found.append(f"page {page.page_number}: a risk runs on from the page before: "
                             f"{' '.join(w['text'] for w in first)[:60]!r}")
    return found


def names(view: PackView) -> set[str]:
    """The words of every owner's and KPI's name written in CJK, which may otherwise break
    between any two characters (Latin words are checked by `fragments`)."""
    every = [*(k.owner for k in view.kpis), *(k.name for k in view.kpis),
             *(r.owner for r in (*view.risks, *view.closed_risks)),
             *(d.owner for d in view.decisions), *(a.owner for a in view.agenda.actions)]
    return {word.strip("(),#") for name in every for word in name.split() if _CJK.search(word)}


def broken_names(pdf: bytes, view: PackView) -> list[str]:
    """The CJK name words that no line of the PDF holds whole."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = {line.translate(_INVISIBLE).replace(" ", "") for page in document.pages
                 for line in (page.extract_text() or "").splitlines()}
    text = "\n".join(lines)
    return sorted(word for word in names(view) if word not in text)


BREAKS = [("stress", size, orientation) for size in ("A4", "Letter")
          for orientation in ("portrait", "landscape")] + [
    ("many", "A4", "portrait"), ("many", "Letter", "landscape")]


@pytest.mark.slow
@pytest.mark.parametrize(("book", "size", "orientation"), BREAKS)
def test_pages_break_as_a_typesetter_would(request: pytest.FixtureRequest, book: str, size: str,
                                           orientation: str) -> None:
    """Over the stress workbooks (40 KPIs and long text; 200 KPIs and 30 risks), on A4 and
    Letter, portrait and landscape: no page carries a table's last three rows or fewer above
    a half-empty page, no risk row is split across pages, and no name breaks inside a word."""
    path = request.getfixturevalue("stress_book" if book == "stress" else "many_kpis_book")
    view = stress_view(path, size, orientation)
    html = render_html(view)
    pdf = render_pdf(view, html, relayout=pack_relayout(view)).data
    assert not stranded_pages(pdf)
    assert not split_risks(pdf, view)
    assert names(view) and not broken_names(pdf, view)
    assert not fragments(pdf, vocabulary(html))


def test_both_formats_show_the_same_category_subtotals(stress_book: Path) -> None:
    view = stress_view(stress_book, "A4", "landscape")
    labels = [k.subtotal.label for k in view.kpis if k.subtotal]
    assert len(labels) == 5  # the stress workbook's five categories
    html = render_html(view)
    doc = docx.Document(io.BytesIO(render_docx(view)))
    word = [p.text for p in doc.paragraphs if p.text.startswith(WORDS.subtotal)] + [
        c.text for t in doc.tables for r in t.rows for c in r.cells[:1]
        if c.text.startswith(WORDS.subtotal)]
    assert all(label in html for label in labels)
    assert list(dict.fromkeys(word)) == labels


def test_a_risk_too_long_for_a_page_is_trimmed_and_given_in_full_in_the_appendix(
        tmp_path: Path) -> None:
    sheets = stress_sheets()
    sheets["Risks"][1][1] = " ".join([RISK_TEXT.strip()] * 8) + " The end."  # 3,600 characters
    view = stress_view(write_stress(tmp_path / "long.xlsx", sheets), "A4", "portrait")
    long = next(r for r in view.risks if r.trimmed)
    assert long.description.endswith(f"(in full under “{WORDS.sections.risks_in_full}”, "
                                     f"{long.id})")
    assert [r.id for r in view.long_risks] == [long.id]
    html = render_html(view)
    pdf = render_pdf(view, html, relayout=pack_relayout(view)).data
    assert not split_risks(pdf, view)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        appendix = " ".join(page.extract_text() for page in document.pages[-2:])
    assert WORDS.sections.risks_in_full in appendix and "The end." in appendix
    doc = docx.Document(io.BytesIO(render_docx(view)))
    assert any(p.text.endswith("The end.") and p.text.startswith(long.id)
               for p in doc.paragraphs)


def test_the_checks_find_a_stranded_total_and_a_split_risk(stress_book: Path) -> None:
    """The page checks are not vacuous: a scorecard whose Overall row is pushed on to a page of
    its own, and a register whose rows may split, are both caught."""
    view = stress_view(stress_book, "A4", "portrait")
    forced = ("<style>.kpis tbody.total { break-before: page !important; } "
              ".risk-table tr { break-inside: auto !important; }</style></head>")
    pdf = render_pdf(view, render_html(view).replace("</head>", forced, 1)).data
    assert len(stranded_pages(pdf)) >= 1  # the Overall row alone, and the three KPIs it left
    assert split_risks(pdf, view)


@pytest.mark.slow
@pytest.mark.parametrize(("book", "size", "orientation", "language"), [
    ("stress", "A4", "portrait", "de"), ("many", "Letter", "landscape", "de"),
    ("stress", "A4", "portrait", "ja"), ("stress", "Letter", "landscape", "fr")])
def test_pages_break_as_a_typesetter_would_in_every_language(
        request: pytest.FixtureRequest, book: str, size: str, orientation: str,
        language: str) -> None:
    """The same rules hold when the fixed words are German (long compounds), French or
    Japanese: no stranded table tail, no split risk, no broken name or word."""
    path = request.getfixturevalue("stress_book" if book == "stress" else "many_kpis_book")
    view = stress_view(path, size, orientation, language)
    html = render_html(view)
    pdf = render_pdf(view, html, relayout=pack_relayout(view)).data
    assert not stranded_pages(pdf)
    assert not split_risks(pdf, view)
    assert names(view) and not broken_names(pdf, view)
    with speaking(language):
        assert not fragments(pdf, vocabulary(html))
