"""The Word pack opens cleanly on any reference document: fonts every Office install has, no
prompt to update fields, a corporate reference's own header and footer kept, and portrait
packs that stay portrait."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from factories import GENERATED_AT, example_review
from reportgen.config import Page, Settings
from reportgen.present.view import PackView, build_view
from reportgen.render.word.pack import render_docx

PACKAGED = Path(__file__).parents[2] / "src" / "reportgen" / "templates" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def view(page: Page | None = None) -> PackView:
    return build_view(example_review(3), Settings(page=page or Page()), GENERATED_AT)


def reopen(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def story_text(story) -> list[str]:
    return [p.text for p in story.paragraphs]


def test_the_default_reference_names_only_fonts_every_office_has() -> None:
    with zipfile.ZipFile(PACKAGED) as package:
        styles = package.read("word/styles.xml").decode()
        fonts = package.read("word/fontTable.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert "Inter" not in styles and "Inter" not in fonts
    assert 'w:ascii="Arial"' in styles and '<w:font w:name="Arial">' in fonts
    assert "updateFields" not in settings


def test_the_pack_asks_nothing_on_opening_even_on_a_reference_that_did(tmp_path: Path) -> None:
    reference = docx.Document(str(PACKAGED))
    reference.settings.element.append(parse_xml(f'<w:updateFields xmlns:w="{W}" w:val="true"/>'))
    path = tmp_path / "asks.docx"
    reference.save(str(path))
    doc = reopen(render_docx(view(), reference=path))
    assert doc.settings.element.find(qn("w:updateFields")) is None
    assert not doc.element.body.xpath(".//w:fldChar[@w:dirty]")


def corporate(tmp_path: Path, *, page_numbers: bool) -> Path:
    reference = docx.Document(str(PACKAGED))
    section = reference.sections[0]
    section.header.paragraphs[0].text = "ACME Corporation · Internal"
    footer = section.footer.paragraphs[0]
    footer.text = "ACME Corporation, 1 Main Street"
    if page_numbers:
        footer._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W}" w:instr=" PAGE "/>'))
    path = tmp_path / "corporate.docx"
    reference.save(str(path))
    return path


def test_a_corporate_header_and_footer_are_kept_above_the_packs_lines(tmp_path: Path) -> None:
    doc = reopen(render_docx(view(), reference=corporate(tmp_path, page_numbers=False)))
    section = doc.sections[0]
    assert story_text(section.header) == [
        "ACME Corporation · Internal", "FinCorp–TechDrive Wealth Platform · Q3 2025 · Confidential"]
    assert story_text(section.footer) == ["ACME Corporation, 1 Main Street",
                                          "Quarterly Business Review\tPage 1 of 1"]
    assert story_text(section.first_page_header) == [""]  # the cover has none


def test_a_corporate_footer_with_page_numbers_gets_no_second_pair(tmp_path: Path) -> None:
    doc = reopen(render_docx(view(), reference=corporate(tmp_path, page_numbers=True)))
    footer = doc.sections[0].footer
    assert len(footer.paragraphs) == 1
    assert footer.paragraphs[0].text.startswith("ACME Corporation, 1 Main Street")


def test_the_default_reference_gives_the_packs_lines_alone() -> None:
    section = reopen(render_docx(view())).sections[0]
    assert story_text(section.header) == [
        "FinCorp–TechDrive Wealth Platform · Q3 2025 · Confidential"]
    assert story_text(section.footer) == ["Quarterly Business Review\tPage 1 of 1"]


@pytest.mark.parametrize("size", ["A4", "Letter", "A3", "Legal"])
def test_a_portrait_pack_is_portrait_throughout(size: str) -> None:
    doc = reopen(render_docx(view(Page(size=size, orientation="portrait"))))
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert section.page_width < section.page_height
