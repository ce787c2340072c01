"""The example pack in every shipped language, PDF and Word: none of the English catalogue's
fixed words left in a German, French or Japanese pack (the workbook's own text aside), the same
figures as the English pack (read back through Babel in each locale), the language marked for
readers and fonts (Noto CJK for Japanese), and the executive summary still one page."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_decimal
from docx.oxml.ns import qn

from factories import GENERATED_AT, archived, example_history, example_input
from reportgen.config import Page, Settings
from reportgen.domain.language import SHIPPED, babel_locale
from reportgen.domain.scoring import score_review
from reportgen.present.language import speaking, words
from reportgen.present.portfolio import PortfolioLine, portfolio_view
from reportgen.present.view import PackView, build_view
from reportgen.render.columns import WORD_JOINER, unspaced
from reportgen.render.html import render_html, render_portfolio_html
from reportgen.render.pdf import render_pdf, render_portfolio_pdf
from reportgen.render.summary_fit import fit_summary
from reportgen.render.word.pack import render_docx

RULES = Settings().scoring.rules, Settings().risk_bands.rules
PLACEHOLDER = re.compile(r"\{\w*\}")
_INVISIBLE = str.maketrans("", "", "\u2060\u200b\u00ad")


@cache
def pack(language: str) -> tuple[PackView, bytes, bytes]:
    """The example (Q3 after an archived Q2) in `language`: its view, PDF and Word bytes."""
    scored = score_review(example_input(3), *RULES, archived(2))
    view = build_view(scored, Settings(language=language), GENERATED_AT)
    return view, render_pdf(view, render_html(view)).data, render_docx(view)


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [" ".join((page.extract_text() or "").replace("\u200b", "").split())
                for page in document.pages]


def word_text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    parts = [doc.element.body, *(story._element for section in doc.sections
                                 for story in (section.header, section.footer))]
    return " ".join(" ".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                             for p in part.iter(qn("w:p"))) for part in parts)


def data_text() -> str:
    """Everything the workbook (and the settings) typed, which stays as typed in any language."""
    source = example_input(3)
    found: list[str] = [source.source_file, Settings().branding.organisation]

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk(source)
    return " ".join(found)


def english_fragments(language: str) -> set[str]:
    """The English catalogue's fixed words that `language` words differently: each msgid's text
    between its placeholders, of three letters or more, unless the language's own translations
    use the same word ("score" is French too)."""
    path = resources.files("reportgen") / "locale" / language / "LC_MESSAGES" / "reportgen.po"
    catalogue = [m for m in read_po(io.BytesIO(path.read_bytes())) if m.id]
    pairs = [((m.id,) if isinstance(m.id, str) else m.id,
              (m.string,) if isinstance(m.string, str) else m.string) for m in catalogue]
    translated = " ".join(text for _, strings in pairs for text in strings)
    found = set()
    for ids, strings in pairs:
        if set(ids) <= set(strings):
            continue
        for text in ids:
            for piece in PLACEHOLDER.split(text):
                piece = piece.strip(" ,.;:()†—–-/")
                if sum(c.isalpha() for c in piece) >= 3 and not _said(piece, translated):
                    found.add(piece)
    return found


def _said(piece: str, text: str) -> bool:
    """Whether `piece` is in `text` as whole words."""
    return re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text) is not None


FOREIGN = [tag for tag in SHIPPED if tag != "en"]


@pytest.mark.parametrize("language", FOREIGN)
def test_no_english_fixed_word_is_left_in_the_pdf_or_the_word_pack(language: str) -> None:
    _, pdf, word = pack(language)
    typed = data_text()
    for name, text in (("PDF", " ".join(pdf_pages(pdf))), ("Word", word_text(word))):
        left = sorted(piece for piece in english_fragments(language)
                      if piece not in typed and _said(piece, text))
        assert left == [], f"{name} pack in {language} still says {left}"


def numbers(text: str, language: str) -> list[Decimal]:
    """Every number in `text`, read in `language`'s locale: 1.250.000,5 in German."""
    locale = babel_locale(language)
    group, point = re.escape(get_group_symbol(locale)), re.escape(get_decimal_symbol(locale))
    found = re.findall(rf"[+−-]?\d(?:[\d{group}]|{point}(?=\d))*", text)
    return [parse_decimal(n.replace("−", "-").lstrip("+"), locale=locale) for n in found]


def scorecard_cells(data: bytes, view: PackView) -> list[str]:
    """The Word scorecard's number cells, row by row."""
    doc = docx.Document(io.BytesIO(data))
    table = next(t for t in doc.tables
                 if [_plain(c.text) for c in t.rows[0].cells]
                 == [_plain(h) for h in view.scorecard_headings])
    return [row.cells[i].text for row in table.rows[1:] if len(row.cells) == 10
            for i in (2, 3, 4, 5, 7, 8)]


def _plain(heading: str) -> str:
    """A heading without its joiners (得⁠点, 2⁠0⁠2⁠5⁠年…) and the line break the Word pack may
    put before its quarter label."""
    return heading.replace(WORD_JOINER, "").replace("\n", "").strip()


def scorecard_page(pdf: bytes, view: PackView) -> str:
    """The PDF's scorecard page, without its running header and footer."""
    with speaking(view.language):
        title = words().sections.scorecard
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages[2:]:  # after the cover and the contents
            body = page.crop((0, page.height * 0.08, page.width, page.height * 0.92))
            text = " ".join((body.extract_text() or "").replace("\u200b", "").split())
            if text.startswith(title):
                return text
    raise AssertionError(f"no page starts with {title!r}")


@pytest.mark.parametrize("language", FOREIGN)
def test_the_figures_are_the_english_packs(language: str) -> None:
    english_view, english_pdf, english_word = pack("en")
    view, pdf, word = pack(language)
    english_cells = scorecard_cells(english_word, english_view)
    cells = scorecard_cells(word, view)
    assert [numbers(c, language) for c in cells] == [numbers(c, "en") for c in english_cells]
    assert any("," in c for c in cells) is (language in ("de", "fr"))  # decimal commas
    assert sorted(numbers(scorecard_page(pdf, view), language)) == sorted(
        numbers(scorecard_page(english_pdf, english_view), "en"))


def cut_quarters(pdf: bytes, view: PackView) -> list[str]:
    """The lines of text on the PDF's scorecard page that end inside last quarter's label,
    which its "Previous" and "Trend" headings name: "前回（2025年第2四半" above "期）". A line
    of a cell is a run of words with no more than a space between them (the columns stand
    further apart)."""
    label, current = view.previous_quarter_label, view.quarter_label
    shared = next(i for i, (a, b) in enumerate(zip(label, current, strict=True)) if a != b)
    heads = [label[:k].replace(" ", "") for k in range(shared + 1, len(label))  # not this
             if label[k - 1] == " " or unspaced(label[k - 1:k + 1])]  # quarter's "2025年第"
    with speaking(view.language):
        title = words().sections.scorecard
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = next(page for page in document.pages[2:]  # past the contents
                    if title in (page.extract_text() or ""))
        lines = [w["text"] for w in page.extract_words(keep_blank_chars=True)]
    return [line for line in (line.translate(_INVISIBLE).replace(" ", "") for line in lines)
            if line.endswith(tuple(heads))]


def japanese(size: str, orientation: str, trend: bool = False) -> PackView:
    """The example (Q3 after an archived Q2) in Japanese, on `size` paper; with `trend`, Q2 is
    in its history too, so each KPI has a sparkline beside its change (a wider Trend column)."""
    previous, entry = example_history()
    scored = score_review(example_input(3), *RULES, previous if trend else archived(2))
    settings = Settings(language="ja", page=Page(size=size, orientation=orientation))
    return build_view(scored, settings, GENERATED_AT, (entry,) if trend else ())


def test_the_quarter_label_stays_whole_beside_sparklines_on_a4_portrait() -> None:
    """With sparklines the scorecard's least widths overran A4 portrait in Japanese and the
    label was cut ("（2025年第2" / "四半期）"): the change now goes under its sparkline there,
    and the total row's "2025年第2四半期比 −5" breaks only before its figure."""
    view = japanese("A4", "portrait", trend=True)
    assert all(k.spark for k in view.kpis)
    pdf = render_pdf(view, render_html(view)).data
    assert not cut_quarters(pdf, view)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "2025年第2四半期比" in text.translate(_INVISIBLE).replace(" ", "")


@pytest.mark.parametrize("language", SHIPPED)
def test_the_quarter_label_in_the_scorecard_headings_never_breaks(language: str) -> None:
    """"前回（2025年第2四半期）" may wrap before its bracket, never inside 2025年第2四半期
    (found wrapped after 四半 in the Japanese pack); nor "Q2 2025" in the other languages."""
    view, pdf, _ = pack(language)
    assert view.previous_quarter_label and not cut_quarters(pdf, view)


@pytest.mark.parametrize(("size", "orientation"), [("A4", "portrait"), ("Letter", "landscape")])
def test_the_quarter_label_never_breaks_on_other_paper(size: str, orientation: str) -> None:
    view = japanese(size, orientation)
    assert not cut_quarters(render_pdf(view, render_html(view)).data, view)


def libreoffice_pdf(word: bytes, folder: Path) -> Path:
    """`word` (a .docx) as LibreOffice lays it out: `folder`/pack.pdf."""
    source = folder / "pack.docx"
    source.write_bytes(word)
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=300)
    return folder / "pack.pdf"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(("size", "orientation", "trend"), [
    ("A4", "landscape", False), ("Letter", "landscape", False), ("A4", "portrait", True)])
def test_the_quarter_label_in_the_word_scorecard_never_breaks(
        tmp_path: Path, size: str, orientation: str, trend: bool) -> None:
    """LibreOffice, as Word, breaks Japanese between any two letters, word joiners or not:
    the Word pack breaks the heading before the label itself ("前回" / "（2025年第2四半期）").
    On a portrait page its headings are 7 pt, as the PDF's for which the widths are measured
    (at 7.5 pt the label was cut there)."""
    view = japanese(size, orientation, trend)
    assert not cut_quarters(libreoffice_pdf(render_docx(view), tmp_path).read_bytes(), view)


@pytest.mark.parametrize("language", SHIPPED)
def test_the_language_is_marked_for_readers_and_fonts(language: str) -> None:
    view, pdf, word = pack(language)
    assert f'<html lang="{language}">' in render_html(view)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == language
    styles = docx.Document(io.BytesIO(word)).styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None
    if language == "ja":  # its Latin text is the workbook's, marked English: see below
        assert (lang.get(qn("w:eastAsia")), lang.get(qn("w:val"))) == ("ja", "en-US")
    else:
        assert lang.get(qn("w:val")) == language


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_latin_words_in_a_japanese_word_pack_break_only_between_words(tmp_path: Path) -> None:
    """Marked Japanese, LibreOffice broke Latin words anywhere ("Joint Reven" / "ue Growth")
    in the A4 portrait scorecard's KPI column; marked English, only between words."""
    view = japanese("A4", "portrait", trend=True)
    with pdfplumber.open(libreoffice_pdf(render_docx(view), tmp_path)) as document:
        said = {w["text"] for page in document.pages for w in page.extract_words()}
    assert {"Joint", "Revenue", "Growth", "Partner", "Service"} <= said
    assert not {"Reven", "ue", "Pa", "rtner"} & said


def test_a_japanese_pack_sets_its_fixed_words_in_noto_cjk() -> None:
    _, pdf, word = pack("ja")
    with speaking("ja"):
        title = words().sections.summary  # "エグゼクティブ・サマリー"
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [c for page in document.pages for c in page.chars if c["text"] in title]
    assert chars and all("Noto-Sans-CJK" in c["fontname"] for c in chars)
    fonts = docx.Document(io.BytesIO(word)).styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts is not None and fonts.get(qn("w:eastAsia")) == "Noto Sans CJK JP"


@pytest.mark.parametrize("language", SHIPPED)
def test_the_summary_is_one_page_in_every_language(language: str) -> None:
    """German words are long and Japanese lines break anywhere: the summary page still holds
    its last attention item and "and N more", and the scorecard starts on the next page."""
    view, pdf, _ = pack(language)
    with speaking(language):
        w = words()
        view = fit_summary(view)  # as the renderers show it: what the page holds
    pages = pdf_pages(pdf)
    summary = next(i for i, t in enumerate(pages)
                   if w.sections.summary in t and w.columns.attention[3] in t)
    assert view.summary.shown[-1].why.replace(" ", "") in pages[summary].replace(" ", "")
    assert view.summary.more.replace(" ", "") in pages[summary].replace(" ", "")
    assert w.sections.scorecard in pages[summary + 1]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_word_summary_is_one_page_in_libreoffice(language: str, tmp_path: Path) -> None:
    view, _, word = pack(language)
    with speaking(language):
        w = words()
        view = fit_summary(view)
    pages = pdf_pages(libreoffice_pdf(word, tmp_path).read_bytes())
    summary = next(i for i, t in enumerate(pages)
                   if w.sections.summary in t and w.columns.attention[3] in t)
    assert view.summary.more.replace(" ", "") in pages[summary].replace(" ", "")
    assert w.sections.scorecard in pages[summary + 1]


@pytest.mark.parametrize("language", FOREIGN)
def test_the_portfolio_summary_speaks_the_settings_language(language: str) -> None:
    """The summary goes to the owner's executives: it follows the setting, its headline, its
    tables and each partnership's top exception alike."""
    settings = Settings(language=language)
    second = dataclasses.replace(example_input(3), partnership=dataclasses.replace(
        example_input(3).partnership, name="Beta Payments JV"))
    reviews = [score_review(example_input(3), *RULES, archived(2)), score_review(second, *RULES)]
    lines = [PortfolioLine.of(r, settings.date_format, settings.language) for r in reviews]
    with speaking(language):
        view = portfolio_view(lines, "Q3 2025", GENERATED_AT, settings)
        html = render_portfolio_html(view)
        pdf = render_portfolio_pdf(view, html)
    assert f'<html lang="{language}">' in html
    text = " ".join(pdf_pages(pdf))
    typed = data_text() + " Beta Payments JV"
    left = sorted(piece for piece in english_fragments(language)
                  if piece not in typed and _said(piece, text))
    assert left == [], f"the portfolio summary in {language} still says {left}"


@pytest.mark.slow
@pytest.mark.parametrize(("language", "size", "orientation"), [
    ("de", "A4", "portrait"), ("de", "Letter", "landscape"), ("fr", "A4", "portrait"),
    ("ja", "A4", "landscape")])
def test_the_page_break_rules_hold_for_long_german_words(
        tmp_path: Path, language: str, size: str, orientation: str) -> None:
    """The stress workbook (long names, many rows) in another language: no heading or word is
    split across lines or pages, nothing runs into the margin (render/test_page_fit.py's check,
    with German compounds such as "Gegenmaßnahme / Aufgabe der Sponsoren" in the headings)."""
    from render.test_page_fit import MM, fragments, vocabulary  # the same check, not a copy
    from reportgen.config import Page
    from reportgen.intake.validation import load
    from reportgen.render.html import pack_relayout
    from stress import write_stress

    settings = Settings(page=Page(size=size, orientation=orientation), language=language)
    scored = score_review(load(write_stress(tmp_path / "stress.xlsx")).reviews[0], *RULES)
    view = build_view(scored, settings, GENERATED_AT)
    html = render_html(view)
    result = render_pdf(view, html, relayout=pack_relayout(view))
    with speaking(language):  # the category's "(cont.)" the relayout adds, in this language,
        w = words()  # and the page footers' "Page 3 of 12"
        continued = {*w.continued.split(), w.continued.upper(), w.page, w.page_of}
    assert not fragments(result.data, vocabulary(html) | continued)
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            right = page.width - 15 * MM + 1
            over = [w["text"] for w in page.extract_words() if w["x1"] > right]
            assert not over, f"page {page.page_number}: past the right margin: {over}"
