"""The Word pack (`render.docx`, `render.chart_png`): the saved bytes reopened with python-docx.

Checks the sections and their order, the seed figures, the heat map cells, table properties
(repeating header rows, rows that never split, fixed widths), page fields, core properties, the
trend picture's alternative text, hostile text, a user's reference document, and, where
LibreOffice is installed, that the file converts to a PDF with the pack's text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import GENERATED_AT, example_history, example_input, example_review
from reportgen.config import Page, Settings
from reportgen.domain.model import Status
from reportgen.domain.scoring import score_review
from reportgen.domain.text import clean_text
from reportgen.errors import RenderError
from reportgen.present.palette import PALETTE, hex_digits
from reportgen.present.view import PackView, build_view
from reportgen.present.wording import WORDS
from reportgen.render.charts.png import trend_alt_text, trend_png
from reportgen.render.word.looks import INK, RATING_COLOURS, STATUS_COLOURS, TILE
from reportgen.render.word.pack import render_docx, word_logo

HEADINGS = ["Executive summary", "Partnership Health Scorecard",
            "Strategic Risk Assessment Matrix", "Trend", "Decisions and escalations",
            "Actions from the last review", "Governance",
            "Appendix A: everything for the sponsors’ attention",
            "Appendix B: methodology and provenance"]
# with seven attention items or fewer, all on the summary page: no Appendix A
SHORT_LIST = [*HEADINGS[:7], "Appendix: methodology and provenance"]


def example_view(**settings_changes: object) -> PackView:
    """The example with five attention items on the summary page (its two decisions stand in
    full above them), so that Appendix A holds the other two."""
    return build_view(example_review(3), Settings(**{"attention_limit": 5, **settings_changes}),
                      GENERATED_AT)


def history_view() -> PackView:
    """Q3 2025 after an archived Q2 2025 (88, Green): the example's Q2 as the archive keeps it."""
    previous, entry = example_history()
    return build_view(example_review(3, previous), Settings(), GENERATED_AT, history=[entry])


def reopen(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def all_tables(container: Document | Table) -> list[Table]:
    """Every table, including those laid out side by side inside another."""
    found = []
    for table in container.tables:
        found.append(table)
        for row in table.rows:
            for cell in row.cells:
                found.extend(all_tables(cell))
    return found


def table_headed(doc: Document, *header: str) -> Table:
    for table in all_tables(doc):
        if tuple(c.text for c in table.rows[0].cells[:len(header)]) == header:
            return table
    raise AssertionError(f"no table headed {header}")


@pytest.fixture(scope="module")
def example() -> Document:
    return reopen(render_docx(example_view()))


def test_sections_in_order_with_built_in_heading_styles(example):
    cover = all_tables(example)[0].rows[0].cells[0].paragraphs  # the band across the cover
    assert [(p.style.name, p.text) for p in cover[:5]] == [
        ("Normal", "Confidential"), ("Normal", "Quarterly Business Review"),
        ("Title", "FinCorp–TechDrive Wealth Platform"), ("Normal", "with TechDrive Inc."),
        ("Normal", "Q3 2025")]
    headings = [p.text for p in example.paragraphs if p.style.name == "Heading 1"]
    assert headings == HEADINGS
    body = "\n".join(p.text for p in example.paragraphs) + "\n".join(
        cell.text for table in all_tables(example) for row in table.rows for cell in row.cells)
    for text in ("FinCorp–TechDrive Wealth Platform", "TechDrive Inc.", "Q3 2025",
                 "Dana Whitfield, SVP Innovation, FinCorp", "Marcus Lee, COO, TechDrive",
                 "14 Oct 2025", "Confidential", "fincorp-techdrive-2025-Q3.xlsx"):
        assert text in body


def test_no_heading_is_in_the_outline_twice(example):
    """Word's navigation pane (and a PDF saved from Word) lists each heading once: the
    summary's "Decisions requested of this meeting" and "For the sponsors' attention" look like
    headings but are body text to the outline (section 7 and Appendix A give them in full)."""
    def outlined(p: Paragraph) -> bool:
        level = p._p.pPr.find(qn("w:outlineLvl")) if p._p.pPr is not None else None
        return p.style.name.startswith("Heading") and (
            level is None or level.get(qn("w:val")) != "9")

    titles = [p.text for p in example.paragraphs if outlined(p)]
    assert "Decisions requested of this meeting" in titles
    assert sorted(t for t in set(titles) if titles.count(t) > 1) == []
    summary = [p for p in example.paragraphs if p.text == WORDS.sections.attention]
    assert summary and summary[0].style.name == "Heading 2" and not outlined(summary[0])


def test_contents_lists_the_sections_as_links_with_nothing_to_update_on_opening(example):
    instructions = example.element.body.xpath("//w:instrText/text()")
    assert ' TOC \\o "1-1" \\h \\z \\u ' in instructions
    assert example.settings.element.find(qn("w:updateFields")) is None  # no prompt on opening
    assert not example.element.body.xpath("//w:fldChar[@w:dirty]")
    paragraphs = [Paragraph(p, example._body) for p in example.element.body.iter(qn("w:p"))]
    entries = [p for p in paragraphs if p.style.name == "toc 1"]  # beside the glance panel
    # the PDF's contents: the sections, numbered, in order; the appendices by their letters
    assert [p.text for p in entries] == [
        f"\t{h}" if h.startswith("Appendix") else f"{n}\t{h}" for n, h in enumerate(HEADINGS, 1)]
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in
                 example.element.body.iter(qn("w:bookmarkStart"))}
    for entry in entries:
        anchor = entry._p.xpath("./w:hyperlink/@w:anchor")[0]
        heading = "".join(t.text for t in bookmarks[anchor].iter(qn("w:t")))
        assert heading == entry.text.partition("\t")[2]  # the entry links to its heading


def scorecard(doc: Document) -> Table:
    return table_headed(doc, "KPI", "Owner", "Target")


def kpi_rows(table: Table) -> list[list[str]]:
    """The KPI rows' cell texts: the rows with a cell per column (not a category heading, a
    commentary row or the Overall row)."""
    return [[c.text for c in row.cells] for row in table.rows[1:] if len(row._tr.tc_lst) == 10]


def test_scorecard_has_the_seed_figures(example):
    table = scorecard(example)
    header = [c.text for c in table.rows[0].cells]
    assert header == ["KPI", "Owner", "Target", "Previous", "Actual", "Variance", "Status",
                      "Weight", "Points", "Trend"]  # no previous quarter: the PDF's headings too
    # each heading sits over its figures: numbers right-aligned, text left (a category row,
    # spanning the table, comes first)
    aligns = [c.paragraphs[0].alignment for c in table.rows[0].cells]
    assert [a == WD_ALIGN_PARAGRAPH.RIGHT for a in aligns] == [
        False, False, True, True, True, True, False, True, True, False]
    kpis = kpi_rows(table)
    assert [r[8] for r in kpis] == ["30", "15", "15", "5", "10", "8"]
    assert [r[6] for r in kpis] == ["Green", "Amber", "Green", "Red", "Green", "Amber"]
    # a unit is tied to its figure by a no-break space (columns.keep_units)
    assert kpis[0][:7] == ["Joint Revenue Growth\n% QoQ", "Head of Partner Sales", "5%", "—",
                           "6.2%", "+1.2\u00a0pp", "Green"]
    assert [r[5] for r in kpis] == ["+1.2\u00a0pp", "−$0.2M", "+0.05\u00a0pp", "−7\u00a0pp",
                                    "+5", "−0.5"]
    overall = [c.text for c in table.rows[-1].cells]
    assert (overall[0], overall[6], overall[7], overall[8]) == ("Overall score", "Amber", "100%",
                                                                "83")


def test_scorecard_after_last_quarter_shows_its_actuals_and_sparklines():
    doc = reopen(render_docx(history_view()))
    table = scorecard(doc)
    assert [c.text for c in table.rows[0].cells][3] == "Previous (Q2\u00a02025)"  # one line
    kpis = kpi_rows(table)
    assert [r[3] for r in kpis] == ["4.6%", "$1.6M", "99.92%", "96%", "+52", "4.5"]
    assert kpis[3][9].endswith("▼\u00a0Green\u00a0→\u00a0Red")  # wraps as one, as in the PDF
    runs = [r for r in table._tbl.iter(qn("w:r")) if "".join(r.itertext()).strip().startswith("▼")]
    assert {r.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) for r in runs} == {
        hex_digits(PALETTE.worse)}  # the PDF's colour for a move for the worse
    pictures = table._tbl.xpath(".//wp:docPr")
    assert len(pictures) == 6  # one sparkline per KPI, each described in words
    assert pictures[0].get("descr") == ("Joint Revenue Growth by quarter: Q2 2025 4.6%, "
                                        "Q3 2025 6.2%; target 5%.")


def test_status_cells_are_shaded_and_labelled(example):
    table = scorecard(example)
    for row in table.rows[1:]:
        if len(row._tr.tc_lst) != 10:
            continue
        status = row.cells[6]
        word = status.paragraphs[0].text
        fill = status._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        css = {"Green": "green", "Amber": "amber", "Red": "red", "No data": "nodata"}[word]
        assert fill == STATUS_COLOURS[css][0]


def test_categories_head_their_kpis_and_commentary_sits_under_its_kpi(example):
    table = scorecard(example)
    rows = table.rows[1:-1]
    kinds = ["kpi" if len(r._tr.tc_lst) == 10 else r.cells[0].text for r in rows]
    assert kinds[:5] == ["Financial Performance", "kpi",
                         "Advisory channel now live; growth ahead of plan.", "kpi",
                         "Shared hosting savings landed; licence consolidation slips to Q4."]
    assert kinds.count("kpi") == 6 and len(kinds) == 4 + 6 + 6
    heading = rows[0]._tr.tc_lst[0]
    assert heading.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "10"
    assert heading.tcPr.find(qn("w:shd")).get(qn("w:fill")) == TILE

    def kept(row) -> bool:  # kept on the page of the next row
        return bool(row._tr.xpath(".//w:keepNext"))

    assert [kept(r) for r in rows[:4]] == [True, True, False, True]  # heading, KPI, comment…
    # the end, as in the PDF: the last three KPIs (headings and comments with them) stay with
    # the Overall row, and it with the note under the table
    assert [kept(r) for r in rows[-9:]] == [False] + [True] * 8
    assert kept(table.rows[-1])
    gap = table._tbl.getnext()  # the 6-point gap after the table keeps with the note too
    assert gap.xpath("./w:pPr/w:keepNext") and not "".join(gap.itertext())
    note = gap.getnext()
    assert "".join(note.itertext()).endswith("no earlier quarter in the archive to compare with.")


def test_no_word_table_ends_with_one_row_alone_on_a_page(example):
    for table in all_tables(example):
        rows = table.rows
        if len(rows) > 2:  # more than a header and one row: the last two stay together
            assert rows[-2]._tr.xpath(".//w:keepNext"), [c.text for c in rows[-1].cells]


def test_overridden_status_shows_the_computed_one():
    source = example_input(3)
    first = replace(source.kpis[0], override=Status.RED)
    review = score_review(replace(source, kpis=(first, *source.kpis[1:])),
                          Settings().scoring.rules, Settings().risk_bands.rules)
    doc = reopen(render_docx(build_view(review, Settings(), GENERATED_AT)))
    assert kpi_rows(scorecard(doc))[0][6] == "Red\nset by hand; rules give Green"


def test_rows_never_split_and_header_rows_repeat(example):
    rows = example.element.body.xpath("//w:tr")
    assert rows and all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    for header in (("KPI", "Owner"), ("ID", "Risk", "P"), ("#", "Type", "Item"),
                   ("ID", "Decision", "Owner")):
        first = table_headed(example, *header).rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        second = table_headed(example, *header).rows[1]._tr
        assert second.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None


def test_column_widths_are_fixed_and_fit_the_page(example):
    section = example.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin).twips
    for table in all_tables(example):
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert 0 < sum(grid) <= text_width + 1
        for tc in tbl.iter(qn("w:tc")):
            assert tc.tcPr.find(qn("w:tcW")).get(qn("w:type")) == "dxa"


def test_heat_map_puts_each_risk_in_its_cell(example):
    table = next(t for t in all_tables(example) if t.rows[-1].cells[-1].text == "Impact")
    found: dict[str, tuple[int, int]] = {}
    for row in table.rows[:5]:
        probability = int(row.cells[1].text)
        for impact in range(1, 6):
            for rid in re.findall(r"SR-\d\d", row.cells[1 + impact].text):
                found[rid] = (probability, impact)
    assert found == {"SR-01": (2, 5), "SR-02": (3, 4), "SR-03": (4, 3), "SR-04": (3, 3)}
    assert [c.text for c in table.rows[5].cells[2:]] == ["1", "2", "3", "4", "5"]


def test_heat_map_shows_where_moved_risks_were():
    doc = reopen(render_docx(history_view()))
    table = next(t for t in all_tables(doc) if t.rows[-1].cells[-1].text == "Impact")
    was = table.rows[2].cells[1 + 3]  # probability 3, impact 3
    assert was.text == "Medium 9\nSR-04\nSR-02 (Q2), SR-03 (Q2)"
    assert table.rows[2].cells[1 + 4].text == "High 12\nSR-02 ▲"  # up since Q2
    key = [p.text for p in table_headed(doc, "Rating", "Risk score")._parent.paragraphs]
    assert key[-2:] == ["▲ / ▼ after an ID: the risk’s score is up / down since Q2 2025.",
                        "An ID in italics followed by (Q2): the cell a risk that has since "
                        "moved sat in, in Q2 2025."]


def test_risk_register_shows_due_dates_and_targets(example):
    table = table_headed(example, "ID", "Risk", "P")
    header = [c.text for c in table.rows[0].cells]
    assert header[-3:] == ["Owner", "Due", "Trend"]
    first = [c.text for c in table.rows[1].cells]
    assert (first[0], first[4], first[7], first[8]) == ("SR-02", "12\n→ 6 target",
                                                        "Executive Sponsor", "28 Nov 2025")
    day_first = reopen(render_docx(example_view(date_format="%d/%m/%Y")))
    assert table_headed(day_first, "ID", "Risk", "P").rows[1].cells[8].text == "28/11/2025"


def test_page_header_and_footer_fields_and_a_bare_cover(example):
    section = example.sections[0]
    assert section.header.paragraphs[0].text == (
        "FinCorp–TechDrive Wealth Platform · Q3 2025 · Confidential")
    footer = section.footer._element
    instructions = [t.strip() for t in footer.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    # as in the PDF: the pack's title on the left, the page numbers at the right margin
    assert section.footer.paragraphs[0].text == "Quarterly Business Review\tPage 1 of 1"
    stops = footer.xpath(".//w:tabs/w:tab[@w:val='right']/@w:pos")
    assert stops == [str(section.page_width.twips - section.left_margin.twips
                         - section.right_margin.twips)]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    assert section.first_page_footer.paragraphs[0].text == ""


def logo_png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 58, 95)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_png_logo_sits_on_the_cover_band_within_its_box():
    view = example_view(branding={"organisation": "FinCorp"})
    doc = reopen(render_docx(view, logo=logo_png(800, 100)))
    band = doc.tables[0]
    inline = band._tbl.xpath(".//wp:inline")
    assert len(inline) == 1
    doc_pr = inline[0].xpath("./wp:docPr")[0]
    assert (doc_pr.get("name"), doc_pr.get("descr")) == ("Logo", "FinCorp")
    extent = inline[0].xpath("./wp:extent")[0]
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    assert width <= Cm(6.01) and height <= Cm(1.41)  # (a twip is not a whole number of EMU)
    assert width == pytest.approx(8 * height, rel=0.01)  # the logo's shape is kept
    assert not reopen(render_docx(view)).tables[0]._tbl.xpath(".//wp:inline")
    # a 6-point line before the logo's plate: a cell that opens with a table makes LibreOffice
    # put the page header on the cover
    first = band.rows[0].cells[0]._tc.xpath("./w:p | ./w:tbl")[0]
    assert first.tag == qn("w:p")


def test_word_logo_reads_png_leaves_out_svg_and_names_a_bad_file(tmp_path):
    png = tmp_path / "logo.png"
    png.write_bytes(logo_png(40, 40))
    assert word_logo(png) == png.read_bytes()
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    assert word_logo(svg) is None  # the PDF shows it; Word packs cannot
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a picture")
    with pytest.raises(RenderError, match=r"^bad\.jpg: the logo cannot be read as a PNG or JPEG"):
        word_logo(bad)


def test_core_properties(example):
    props = example.core_properties
    assert props.title == "Quarterly Business Review: FinCorp–TechDrive Wealth Platform, Q3 2025"
    assert props.subject == "FinCorp–TechDrive Wealth Platform with TechDrive Inc., Q3 2025"
    assert props.author == "Priya Raman"
    assert "Q3 2025" in props.keywords and "TechDrive Inc." in props.keywords
    assert props.created == props.modified == GENERATED_AT


def test_same_view_gives_same_bytes():
    view = example_view()
    assert render_docx(view) == render_docx(view)


def test_page_is_a4_landscape_by_default_and_a_portrait_pack_stays_portrait(example):
    section = example.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (16838, 11906)
    assert len(example.sections) == 1
    for size, twips in (("Letter", (12240, 15840)), ("Legal", (12240, 20160)),
                        ("A3", (16838, 23811)), ("A4", (11906, 16838))):
        doc = reopen(render_docx(example_view(page=Page(size=size, orientation="portrait"))))
        assert [(s.page_width.twips, s.page_height.twips) for s in doc.sections] == [twips]
        assert doc.sections[0].different_first_page_header_footer


def test_trend_picture_has_alternative_text():
    view = history_view()
    png = trend_png(view.trend, view.methodology.green_from, view.methodology.amber_from,
                    view.branding.primary_colour)
    doc = reopen(render_docx(view, trend_png=png))
    chart = [s for s in doc.inline_shapes if s._inline.docPr.get("name") == "Trend chart"]
    assert len(chart) == 1
    alt = chart[0]._inline.docPr.get("descr")
    assert alt == trend_alt_text(view.trend)
    assert alt == "Overall score by quarter: Q2 2025 88 (Green), Q3 2025 83 (Amber)."
    grid = table_headed(doc, "KPI", "Q2 2025", "Q3 2025")
    milestone = next(r for r in grid.rows if r.cells[0].text == "Joint Project Milestone Delivery")
    assert [c.text for c in milestone.cells] == ["Joint Project Milestone Delivery",
                                                 "96%\nGreen", "88%\nRed"]


def test_trend_without_history_is_a_sentence_on_the_page_before(example):
    assert not example.inline_shapes  # no chart, and no sparklines with a single quarter
    paragraphs = example.paragraphs
    index = next(i for i, p in enumerate(paragraphs)
                 if p.text == "Trend" and p.style.name == "Heading 1")
    assert paragraphs[index + 1].text == (
        "Q3 2025 is the first archived quarter for this partnership, at 83 (Amber): the trend "
        "chart, the KPI sparklines and the KPI-by-quarter grid start with the next review.")
    heading = paragraphs[index]._p
    assert heading.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is None  # no page of its own
    view = history_view()
    without_chart = reopen(render_docx(view))  # no PNG given: the numbers in words
    assert ("Overall score over the last 2 archived quarters: Q2 2025 88 → Q3 2025 83."
            in [p.text for p in without_chart.paragraphs])


def test_summary_leads_with_the_headline_then_the_decisions_then_the_first_items(example):
    view = example_view()
    texts = [p.text for p in example.paragraphs if not p.style.name.startswith("toc")]
    summary = texts.index("Executive summary")
    assert texts[summary + 1] == "\n".join(view.summary.headline)  # a sentence a line
    assert texts[summary + 1].startswith("Overall health is 83 out of 100 (Amber); Q3 2025 is")
    after_tiles = [t for t in texts[summary + 2:] if t]
    assert after_tiles[:2] == ["Decisions requested of this meeting",
                               "For the sponsors’ attention"]  # each over its table
    decisions = table_headed(example, "ID", "Decision and recommendation", "Owner", "Due",
                             "Financial impact")
    assert len(decisions.columns) == 5  # the notes are in section 7
    assert [[c.text for c in row.cells] for row in decisions.rows[1:]] == [
        ["D-02", "Fund a dedicated TechDrive delivery team in exchange for a larger revenue share "
         "on new features\nRecommendation: Approve: four dedicated engineers for 12 months",
         "Dana Whitfield", "31 Oct 2025", "$1.2M"],
        ["D-03", "Approve the contract amendment for revenue share on jointly built features\n"
         "Recommendation: Approve, subject to legal review of the change-of-control clause",
         "General Counsel", "15 Nov 2025", "+2 pts revenue share"]]
    table = table_headed(example, "#", "Type", "Item", "Why it is here")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0] == ["1", "KPI", "Joint Project Milestone Delivery", "Red: 88% vs 95% target"]
    assert rows[1] == ["2", "Action A-02", "Agree a succession plan for TechDrive's platform "
                       "leadership", "due 30 Sep 2025, 14 days overdue; owner Marcus Lee"]
    assert len(rows) == 5 + 1  # no decision among them: they are above
    assert rows[-1][0] == "and 2 more — see Appendix A"  # one cell across the row


def test_appendix_a_lists_everything_with_full_names(example):
    view = example_view()
    tables = [t for t in all_tables(example)
              if [c.text for c in t.rows[0].cells] == ["#", "Type", "Item", "Why it is here"]]
    assert len(tables) == 2  # the summary's and Appendix A's
    rows = [[c.text for c in row.cells] for row in tables[1].rows[1:]]
    # numbered as on the summary page: the decisions stand in full above the list there
    assert [r[2] for r in rows] == [r.name for r in view.summary.listed]
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert "DECISION" not in {r[1].split()[0].upper() for r in rows if r[1]}
    assert len(rows) == len(view.summary.attention) - len(view.summary.decisions)


def test_tiles_say_what_the_pdf_says(example):
    tiles = next(t for t in all_tables(example) if t.rows[0].cells[0].text == "OVERALL HEALTH")
    values = [c.text for c in tiles.rows[1].cells]
    assert values[0] == "83\n/ 100" and values[1] == "AMBER"
    assert values[2] == "First archived quarter\nNo earlier quarter in the archive to compare with."
    assert values[3:] == ["3  Green\n2  Amber\n1  Red\n0  No data",
                          "0  Critical\n3  High\n1  Medium\n0  Low",
                          "2  decisions requested\n0  decisions overdue\n2  actions open\n"
                          "1  action overdue"]


def test_decisions_and_actions_sections():
    doc = reopen(render_docx(history_view()))
    requested = table_headed(doc, "ID", "Decision and recommendation", "Owner", "Due",
                             "Financial impact", "Notes")
    assert [c.text for c in requested.rows[1].cells] == [
        "D-02", "Fund a dedicated TechDrive delivery team in exchange for a larger revenue share "
        "on new features\nRecommendation: Approve: four dedicated engineers for 12 months",
        "Dana Whitfield", "31 Oct 2025", "$1.2M",
        "Restores milestone delivery; needs an amendment to the partnership agreement."]
    texts = [p.text for p in doc.paragraphs]
    assert "Decisions taken since last quarter" in texts
    actions = table_headed(doc, "ID", "Action", "Owner", "Due", "Status", "Notes")
    assert [c.text for c in actions.rows[2].cells][:5] == [
        "A-02", "Agree a succession plan for TechDrive's platform leadership", "Marcus Lee",
        "30 Sep 2025\n14 days overdue", "Open"]
    assert "2 of 3 actions are open; 1 is overdue (counted on 14 Oct 2025, the review date)." \
        in texts
    fills = [row.cells[4]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for row in actions.rows[1:]]
    assert fills == [hex_digits(PALETTE.decision[s].fill) for s in ("done", "open", "open")]


def test_no_decisions_section_without_decisions():
    source = example_input(3)
    review = score_review(replace(source, decisions=()), Settings().scoring.rules,
                          Settings().risk_bands.rules)
    doc = reopen(render_docx(build_view(review, Settings(), GENERATED_AT)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [h for h in SHORT_LIST if h != "Decisions and escalations"]


def test_a_quarter_without_risks_says_so():
    source = example_input(3)
    review = score_review(replace(source, risks=()), Settings().scoring.rules,
                          Settings().risk_bands.rules)
    doc = reopen(render_docx(build_view(review, Settings(), GENERATED_AT)))
    texts = [p.text for p in doc.paragraphs]
    assert "No open risks this quarter." in texts
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SHORT_LIST


def commentary_under(doc: Document, kpi: str) -> str:
    """The text of the row under the KPI's row in the scorecard ('' when it has none)."""
    rows = scorecard(doc).rows
    index = next(i for i, r in enumerate(rows) if r.cells[0].text.split("\n")[0] == kpi)
    below = rows[index + 1]
    return below.cells[0].text if len(below._tr.tc_lst) == 1 else ""


def test_illegal_characters_in_workbook_text_do_not_break_saving():
    source = example_input(3)
    hostile = replace(source.kpis[0], name="Joint\x0b Revenue\x00 Growth\ufffe",
                      commentary="Ahead\x1f of plan\uffff\ud800.\tTab\nNew line")
    review = score_review(replace(source, kpis=(hostile, *source.kpis[1:])),
                          Settings().scoring.rules, Settings().risk_bands.rules)
    doc = reopen(render_docx(build_view(review, Settings(), GENERATED_AT)))
    assert commentary_under(doc, "Joint Revenue Growth") == "Ahead of plan.\tTab\nNew line"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_commentary_survives_the_round_trip(text):
    source = example_input(3)
    first = replace(source.kpis[0], commentary=text)
    review = score_review(replace(source, kpis=(first, *source.kpis[1:])),
                          Settings().scoring.rules, Settings().risk_bands.rules)
    doc = reopen(render_docx(build_view(review, Settings(), GENERATED_AT)))
    expected = re.sub(r"\r\n?", "\n", clean_text(text))
    assert commentary_under(doc, "Joint Revenue Growth") == (expected if expected.strip()
                                                            else "")


def test_a_custom_reference_keeps_its_styles_and_page_margins(tmp_path):
    packaged = Path(__file__).parents[2] / "src" / "reportgen" / "templates" / "reference.docx"
    custom = docx.Document(str(packaged))
    custom.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x80)
    custom.sections[0].left_margin = custom.sections[0].right_margin = Cm(3)
    path = tmp_path / "corporate.docx"
    custom.save(str(path))
    doc = reopen(render_docx(example_view(), reference=path))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x80)
    assert round(doc.sections[0].left_margin.cm, 1) == 3.0
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert "Title" not in [p.text for p in doc.paragraphs]  # the reference's sample text is gone


def test_a_reference_without_the_packs_styles_gets_them(tmp_path):
    path = tmp_path / "plain.docx"
    docx.Document().save(str(path))  # python-docx's own template: no Table Text, no Pack Table
    doc = reopen(render_docx(example_view(), reference=path))
    names = {s.name for s in doc.styles}
    assert {"Table Text", "Pack Table", "Heading 1", "toc 1"} <= names
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04 broken"])
def test_an_unusable_reference_is_a_clear_error(tmp_path, content):
    path = tmp_path / "corporate.docx"
    path.write_bytes(content)
    with pytest.raises(RenderError, match=r"corporate\.docx: cannot be used as the Word reference"):
        render_docx(example_view(), reference=path)
    with pytest.raises(RenderError, match=r"missing\.docx"):
        render_docx(example_view(), reference=tmp_path / "missing.docx")


def test_word_colours_are_the_palettes():
    """The Word pack wears the one palette (present/palette.py), as the PDF's CSS does."""
    assert STATUS_COLOURS["red"] == (PALETTE.status["red"].fill[1:], PALETTE.status["red"].ink[1:])
    assert RATING_COLOURS["critical"] == ("C8281E", "FFFFFF")
    assert (TILE, INK) == (PALETTE.faint[1:], PALETTE.ink[1:])


def test_trend_png_is_a_deterministic_150_dpi_image():
    view = history_view()
    png = trend_png(view.trend, 85, 70, "#1F3A5F")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1140, 420)
    assert trend_png(view.trend, 85, 70, "#1F3A5F") == png


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) and pdftotext are not installed")
def test_libreoffice_converts_the_pack_to_pdf(tmp_path):
    view = history_view()
    source = tmp_path / "pack.docx"
    source.write_bytes(render_docx(view, trend_png=trend_png(view.trend, 85, 70, "#1F3A5F")))
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "pack.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Partnership Health Scorecard" in text
    assert re.search(r"\b83\b", text)
    assert "Page 3 of" in text


def test_generated_at_sets_the_timestamps_not_the_clock():
    moment = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    later = build_view(example_review(3), Settings(), moment)
    assert reopen(render_docx(later)).core_properties.created == moment


def test_sparkline_png_is_deterministic_and_drawn_in_the_palettes_colours():
    from PIL import Image

    from reportgen.render.charts.spark import HEIGHT, PNG_SCALE, WIDTH, spark_png

    spark = history_view().kpis[3].spark  # milestone delivery, Red this quarter
    assert spark is not None
    data = spark_png(spark, "#1F3A5F")
    spark_png.cache_clear()
    assert spark_png(spark, "#1F3A5F") == data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE)
    red = tuple(int(PALETTE.solid["red"][i:i + 2], 16) for i in (1, 3, 5))
    assert red in {image.getpixel((x, y)) for x in range(image.width)
                   for y in range(image.height)}  # this quarter's dot, in its status colour


def test_text_written_right_to_left_is_set_right_to_left():
    view = example_view()
    arabic = "تم تحسين زمن الاستجابة بعد نقل الخدمة."
    kpis = (replace(view.kpis[0], commentary=arabic), *view.kpis[1:])
    doc = reopen(render_docx(replace(view, kpis=kpis)))
    bidi = [p for p in doc.element.body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:bidi')}")
            is not None]
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in bidi]
    assert texts == [arabic]  # that paragraph, and no other
