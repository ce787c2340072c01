"""WordprocessingML building blocks: a python-docx `Document` in, body XML and .docx bytes out.

The generic half of the Word renderer, which the pack's sections are written with: a `Writer`
appending paragraphs, headings, tables (a cell may hold a picture), pictures and columns to a
reference document (opened by `reference`); the header, footer and contents list. Tables are
WordprocessingML written directly (python-docx's per-cell API is slow): fixed column widths
(gridCol + tcW, so Word and LibreOffice agree), header rows that repeat on every page
(`w:tblHeader`), rows that never split (`w:cantSplit`) unless they are tall, and rows kept with
the row after them (`w:keepNext`).
The page size and orientation are those of the settings, for the whole document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cache

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Emu, Twips
from lxml import etree

from ...domain.text import right_to_left
from ...present.palette import PALETTE, hex_digits
from ..columns import PADDING, WORD_JOINER, break_before_held, keep_heading, unbreakable
from ..widths import PAPER_MM
from .reference import style_ids

WHITE = hex_digits(PALETTE.white)
CM = 567  # twips per centimetre
LAST_KEPT = 4  # a table's last rows kept on one page: never three or fewer alone


@dataclass(frozen=True)
class Look:
    """Direct run formatting: the few ways text in the pack differs from its style."""

    bold: bool = False
    italic: bool = False
    size: float | None = None  # points
    colour: str | None = None  # RRGGBB
    caps: bool = False  # shown in capitals (the text itself is kept as it is, as CSS does)


PLAIN = Look()
HEADER_SIZE = 7.5  # points: as small as the PDF's headings
HEADER_LOOK = Look(bold=True, size=HEADER_SIZE, colour=WHITE)


@dataclass(frozen=True)
class Cell:
    """One table cell: its paragraphs (text and look), fill and layout."""

    lines: tuple[tuple[str, Look], ...]
    fill: str | None = None
    align: str | None = None  # "center" or "right"; left when None
    span: int = 1  # grid columns covered
    merge: str | None = None  # vertical merge: "restart" on the first cell, "continue" below
    rotate: bool = False  # text runs bottom to top
    picture: tuple[bytes, int, str] | None = None  # PNG, twips wide, alt text: before the text
    rtl: bool = False  # written right to left: the paragraphs run and align from the right


def prose(text: str, look: Look = PLAIN, *, span: int = 1) -> Cell:
    """A cell of free text (commentary, a description, notes), set right to left when it is
    written so, as the PDF's `dir="rtl"` cells are."""
    return Cell(((text, look),), span=span, rtl=right_to_left(text))


def cell(text: str, look: Look = PLAIN, *, fill: str | None = None, align: str | None = None,
         span: int = 1, merge: str | None = None, rotate: bool = False) -> Cell:
    return Cell(((text, look),), fill, align, span, merge, rotate)


class Writer:
    """Appends WordprocessingML to the document body: paragraphs, headings, tables, images.
    `page_size` as in `PackView.page_size`, colours "#RRGGBB", `header` the page header's text."""

    def __init__(self, doc: Document, *, page_size: str, primary: str, accent: str,
                 header: str, footer: str = "",
                 page_words: tuple[str, str] = ("Page", "of")) -> None:
        self.doc = doc
        self.body = doc.element.body
        self.body.clear_content()
        self.styles = style_ids(doc)
        self.primary = primary.lstrip("#").upper()
        self.accent = accent.lstrip("#").upper()
        self.headings: list[tuple[str, int, str, bool]] = []  # text, level, bookmark, lettered
        self.new_page = True  # nothing on the current page yet
        self._toc: etree._Element | None = None
        self._column: list[etree._Element] | None = None  # set while filling `columns`
        self._after_table = False  # the last block written is a table
        paper, _, orientation = page_size.partition(" ")
        short, long = (round(side * 1440 / 25.4) for side in PAPER_MM[paper])
        landscape = orientation == "landscape"
        sect_pr = self.body.get_or_add_sectPr()
        sect_pr.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sect_pr.page_width, sect_pr.page_height = (
            (Twips(long), Twips(short)) if landscape else (Twips(short), Twips(long)))
        margins = [sect_pr.left_margin, sect_pr.right_margin, sect_pr.gutter]
        self.width = Emu(sect_pr.page_width - sum(m or 0 for m in margins)).twips
        _header_footer(doc, (header, footer, self.width), self.styles, page_words)

    # --- flow ------------------------------------------------------------------------------

    def _append(self, element: etree._Element) -> etree._Element:
        """Append a block. After a table comes a 6-point gap, which also keeps two tables
        apart, but not before a page break (where it could spill onto a page of its own); a
        table whose last row keeps with what follows keeps with it through the gap."""
        if self._after_table and element.find(f"{_wq('pPr')}/{_wq('pageBreakBefore')}") is None:
            self._after_table = False
            table = self._column[-1] if self._column else self.body.sectPr.getprevious()
            gap = self._gap()
            if table is not None and _KEPT_END(table):
                gap[0].insert(1, _w("keepNext"))
            self._append(gap)
        if self._column is not None:
            self._column.append(element)
        else:
            self.body.sectPr.addprevious(element)
        self.new_page = False
        self._after_table = element.tag == _wq("tbl")
        return element

    def _gap(self) -> etree._Element:
        """An empty paragraph 6 points high."""
        return _w("p", _w("pPr", _w("pStyle", val=self.styles["Normal"]),
                          _w("spacing", before="0", after="0", line="120", lineRule="exact")))

    def columns(self, widths: Sequence[float], *blocks: Callable[[], None],
                fill: str | None = None, padding: int = 0, rule: str | None = None,
                rule_side: str = "bottom", total: int | None = None) -> None:
        """Lay out side by side what each of `blocks` writes, in a borderless table `total`
        twips wide (default: the text width) whose columns are in proportion to `widths`,
        0.6 cm apart. A `fill`, inner `padding` (twips) and a thick `rule` colour on
        `rule_side` ("bottom" or "top") make a panel of it (the cover's band). Panels may
        nest."""
        gap = round(0.6 * CM) if len(blocks) > 1 else 0
        grid = [round((total or self.width) * w / sum(widths)) for w in widths]
        text_width, outer = self.width, self._column
        if outer == []:  # a cell opening with a table: LibreOffice would then drop the title
            self._append(self._gap())  # page's own (empty) header, so a 6-point line comes first
        edges = {side: _w(side, val="nil") for side in ("top", "bottom")}
        if rule:
            edges[rule_side] = _w(rule_side, val="single", sz="72", space="0", color=rule)
        margins = {"top": padding, "left": padding, "bottom": padding, "right": padding + gap}
        tbl = _w("tbl", _w("tblPr", _w("tblW", w=str(sum(grid)), type="dxa"),
                           _w("tblBorders", edges["top"], _w("left", val="nil"), edges["bottom"],
                              *(_w(side, val="nil") for side in ("right", "insideH", "insideV"))),
                           _w("tblLayout", type="fixed"),
                           _w("tblCellMar", *(_w(side, w=str(twips), type="dxa")
                                              for side, twips in margins.items()))),
                 _w("tblGrid", *(_w("gridCol", w=str(width)) for width in grid)))
        row = _sub(tbl, "tr")
        _sub(_sub(row, "trPr"), "cantSplit")
        after_table = self._after_table
        for width, block in zip(grid, blocks, strict=True):
            self._column, self.width, self._after_table = [], width - 2 * padding - gap, False
            block()
            if self._after_table:  # a cell ends with a paragraph
                self._append(self._gap())
            tc_pr = _w("tcPr", _w("tcW", w=str(width), type="dxa"))
            if fill:
                _sub(tc_pr, "shd", val="clear", color="auto", fill=fill)
            row.append(_w("tc", tc_pr, *self._column))
        self._column, self.width, self._after_table = outer, text_width, after_table
        self._append(tbl)

    # --- paragraphs ------------------------------------------------------------------------
    def paragraph(self, content: str | Sequence[tuple[str, Look]] = "", style: str = "Normal", *,
                  align: str | None = None, page_break: bool = False, keep_next: bool = False,
                  space_before: int | None = None) -> None:
        runs = ((content, PLAIN),) if isinstance(content, str) else content
        self._append(_paragraph(self.styles[style], runs, align=align, keep_next=keep_next,
                                page_break=page_break and not self.new_page,
                                space_before=space_before))

    def heading(self, text: str, level: int = 1, *, new_page: bool | None = None,
                lettered: bool = False, outline: bool = True) -> None:
        """A Heading 1 (on a new page unless told not) or 2, bookmarked for the contents, where
        it is numbered unless `lettered` (an appendix: "Appendix A: …"). Without `outline`, it
        looks a heading but is body text to Word's navigation pane and a PDF's bookmarks."""
        new_page = level == 1 if new_page is None else new_page
        shares_page = level == 1 and not new_page and not self.new_page
        p = _paragraph(self.styles[f"heading {level}"], ((text, PLAIN),),
                       page_break=new_page and not self.new_page,
                       space_before=CM if shares_page else None)
        if not outline:
            p[0].append(_w("outlineLvl", val="9"))  # after pStyle … jc, as the schema orders
            self._append(p)
            return
        anchor = f"_Toc{len(self.headings) + 1:04d}"
        number = str(len(self.headings) + 1)
        start = _w("bookmarkStart", id=number, name=anchor)
        p.insert(1, start)
        p.append(_w("bookmarkEnd", id=number))
        self.headings.append((text, level, anchor, lettered))
        self._append(p)

    def contents(self) -> None:
        """Where the table of contents goes: the level-1 headings, each a link to its heading;
        filled in by `finish`."""
        self._toc = self._append(_w("p"))

    def picture(self, image: bytes, width_twips: int, alt_text: str, *, name: str,
                height_twips: int | None = None, align: str = "center") -> None:
        """A PNG or JPEG in a paragraph of its own (scaled to the width when no height)."""
        p = _paragraph(self.styles["Normal"], (), align=align, keep_next=True)
        self._inline(p, (image, width_twips, alt_text), name, height_twips)
        self._append(p)

    def _inline(self, p: etree._Element, picture: tuple[bytes, int, str], name: str,
                height: int | None = None) -> None:  # picture: bytes, width (twips), alt text
        inline = self.doc.part.new_pic_inline(io.BytesIO(picture[0]), Twips(picture[1]),
                                              None if height is None else Twips(height))
        inline.docPr.set("name", name)
        inline.docPr.set("descr", picture[2])
        p.insert(1, _w("r", _w("drawing", inline)))  # the first run, after the properties

    # --- tables ----------------------------------------------------------------------------
    def table(self, widths: Sequence[float], rows: Sequence[Sequence[Cell]], *,
              header: Sequence[str] = (), total: int | None = None, tiles: bool = False,
              heights: Sequence[int] = (), keep_together: bool = False,
              splits: Collection[int] = (), keep: Collection[int] = (),
              last_kept: int = LAST_KEPT, header_size: float = HEADER_SIZE) -> None:
        """A table `total` twips wide (default: the text width), columns in proportion to
        `widths`. `header` is the repeating header row; `tiles` draws white gaps between
        cells instead of rules (summary tiles, heat map); `heights` are the least heights of
        the first rows, in twips; `keep_together` keeps the table on one page. Of `rows` (by
        index), those in `splits` may run on to the next page (every other row is kept whole)
        and those in `keep` stay on the page of the row after them, as do the `last_kept` - 1
        rows before the last (no page carries only a table's last one to three rows, as in the
        PDF). `header_size`: the headings' size in points (as the PDF's on a portrait page)."""
        total = total or self.width
        grid = [round(total * w / sum(widths)) for w in widths]
        tbl = _w("tbl")
        pr = _sub(tbl, "tblPr")
        _sub(pr, "tblStyle", val=self.styles["Pack Table"])
        _sub(pr, "tblW", w=str(sum(grid)), type="dxa")
        if tiles:
            borders = _sub(pr, "tblBorders")
            for side in ("top", "left", "bottom", "right"):
                _sub(borders, side, val="nil")
            for side in ("insideH", "insideV"):
                _sub(borders, side, val="single", sz="24", space="0", color=WHITE)
        _sub(pr, "tblLayout", type="fixed")
        _sub(pr, "tblLook", val="0620" if header else "0600", firstRow="1" if header else "0",
             lastRow="0", firstColumn="0", lastColumn="0", noHBand="1", noVBand="1")
        tbl_grid = _sub(tbl, "tblGrid")
        for width in grid:
            _sub(tbl_grid, "gridCol", w=str(width))
        all_rows: list[Sequence[Cell]] = []
        if header:  # each label aligned as its column's first cell (past category rows)
            aligns = next(([c.align for c in row] for row in rows if len(row) == len(header)),
                          [None] * len(header))
            look = replace(HEADER_LOOK, size=header_size)
            all_rows.append([Cell(((keep_heading(_held(text, twips)), look),),
                                  fill=self.primary, align=align)
                             for text, twips, align in zip(header, grid, aligns, strict=True)])
        all_rows.extend(rows)
        row_heights = [0] * bool(header) + list(heights)
        for index, row in enumerate(all_rows):
            body = index - bool(header)  # the index in `rows`; -1 for the header row
            kept = ((keep_together and index < len(all_rows) - 1) or body in keep
                    or (body >= 0 and len(rows) - last_kept <= body < len(rows) - 1))
            height = row_heights[index] if index < len(row_heights) else 0
            align = "bottom" if body < 0 else "center" if tiles else "top"  # as in the PDF
            tbl.append(self._row(row, grid, is_header=body < 0, height=height, keep=kept,
                                 split=body in splits, align=align))
        self._append(tbl)

    def _row(self, cells: Sequence[Cell], grid: Sequence[int], *, is_header: bool,
             height: int, keep: bool, split: bool, align: str) -> etree._Element:
        tr = _w("tr")
        tr_pr = _sub(tr, "trPr")
        if not split:
            _sub(tr_pr, "cantSplit")
        if height:
            _sub(tr_pr, "trHeight", val=str(height), hRule="atLeast")
        if is_header:
            _sub(tr_pr, "tblHeader")
        column = 0
        for spec in cells:
            tc = _sub(tr, "tc")
            tc_pr = _sub(tc, "tcPr")
            _sub(tc_pr, "tcW", w=str(sum(grid[column:column + spec.span])), type="dxa")
            if spec.span > 1:
                _sub(tc_pr, "gridSpan", val=str(spec.span))
            if spec.merge:
                _sub(tc_pr, "vMerge", val=spec.merge)
            if spec.fill:
                _sub(tc_pr, "shd", val="clear", color="auto", fill=spec.fill)
            if spec.rotate:
                _sub(tc_pr, "textDirection", val="btLr")
            _sub(tc_pr, "vAlign", val=align)
            lines = spec.lines if spec.merge != "continue" else ()
            for text, look in lines or (("", PLAIN),):
                _paragraph(self.styles["Table Text"], ((text, look),), align=spec.align,
                           keep_next=keep, parent=tc, bidi=spec.rtl)
            if spec.picture is not None:  # at the start of the first line
                self._inline(tc[1], spec.picture, "Sparkline")
            column += spec.span
        return tr

    # --- end -------------------------------------------------------------------------------
    def finish(self) -> None:
        """Fill in the contents: each level-1 heading, numbered as in the PDF, a link to its
        bookmark.

        The list is a TOC field's saved result, so Word shows it as it is, with nothing to
        update on opening and nothing to ask; it has no page numbers, which only a layout
        can know (Word's "Update field" adds them). A reference that asks Word to update
        fields on opening (`w:updateFields`) no longer does.
        """
        assert self._toc is not None, "contents() was not called"
        if self._after_table:  # the body ends with a paragraph (one: `_append` adds the gap)
            self.body.sectPr.addprevious(self._gap())
        entries = [(text, anchor, lettered)
                   for text, level, anchor, lettered in self.headings if level == 1]
        numbered = 0
        for index, (text, anchor, lettered) in enumerate(entries):
            p = _paragraph(self.styles["toc 1"], ())
            _sub(p[0], "ind", left=str(_TOC_INDENT), hanging=str(_TOC_INDENT))  # as in the PDF
            if index == 0:
                p.extend(_field_start(r' TOC \o "1-1" \h \z \u '))
            link = _sub(p, "hyperlink", anchor=anchor, history="1")
            if not lettered:
                numbered += 1
                _run(str(numbered), Look(bold=True, colour=self.accent), link)
            _run(f"\t{text}", PLAIN, link)
            if index == len(entries) - 1:
                p.append(_w("r", _w("fldChar", fldCharType="end")))
            self._toc.addprevious(p)
        parent = self._toc.getparent()
        if parent is not None:
            parent.remove(self._toc)
        settings = self.doc.settings.element
        for old in settings.findall(qn("w:updateFields")):
            settings.remove(old)


# --- document parts ---------------------------------------------------------------------------
def _header_footer(doc: Document, lines: tuple[str, str, int], styles: dict[str, str],
                   page_words: tuple[str, str]) -> None:
    """On every page but the first (a title page with empty ones): the header line, and a
    footer with the pack's title on the left and the page numbers on the right (`lines`: the
    header, the footer's title, the text width in twips, where the right tab stop goes), as
    in the PDF. They go under what the reference's own header and footer hold (a corporate
    reference's text, logo or page numbers are kept; its page numbers then stand for ours)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = False
    line, title, width = lines
    header = _paragraph(styles["header"], ((line, PLAIN),))
    footer = _paragraph(styles["footer"], ((title, PLAIN), (f"\t{page_words[0]} ", PLAIN)),
                        align="left")
    footer[0].insert(1, _w("tabs", *(_w("tab", val="clear", pos=str(pos)) for pos in _WORD_TABS),
                           _w("tab", val="right", pos=str(width))))
    footer.extend(_page_field("PAGE"))
    footer.append(_run(f" {page_words[1]} ", PLAIN))
    footer.extend(_page_field("NUMPAGES"))
    for story, ours, keep in ((section.header, header, True), (section.footer, footer, True),
                              (section.first_page_header, _w("p"), False),
                              (section.first_page_footer, _w("p"), False)):
        story.is_linked_to_previous = False  # gives the story its own part, if it had none
        root = story.part.element
        theirs = [child for child in root if keep and _shows_something(child)]
        for child in list(root):
            root.remove(child)
        root.extend(theirs)
        numbered = any("PAGE" in str(field) for child in theirs for field in _found(child, _FIELDS))
        if not (ours is footer and numbered):
            root.append(ours)


# the centre and right tab stops of Word's own Footer style (A4 and Letter), cleared so that
# the footer's one tab reaches the right margin whatever the reference document's style says
_WORD_TABS = (4513, 4680, 9026, 9360)
_W_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_FIELDS = etree.XPath(".//w:instrText/text() | .//w:fldSimple/@w:instr", namespaces=_W_NS)
_TOC_INDENT = round(0.9 * CM)  # a contents entry's title, after its number (pack.css .toc)
_KEPT_END = etree.XPath("./w:tr[last()]//w:keepNext", namespaces=_W_NS)  # its last row kept
_PICTURES = etree.XPath(".//w:drawing | .//w:pict", namespaces=_W_NS)


def _shows_something(block: etree._Element) -> bool:
    """Whether a header or footer block has text, a picture or a field in it."""
    text = "".join(str(piece) for piece in block.itertext()).strip()
    return bool(text or _found(block, _PICTURES) or _found(block, _FIELDS))


def _found(block: etree._Element, path: etree.XPath) -> list[object]:
    """What `path` finds in `block` (elements, text or attribute values)."""
    found = path(block)
    return list(found) if isinstance(found, list) else []


# --- WordprocessingML --------------------------------------------------------------------------
@cache
def _wq(name: str) -> str:
    """The qualified name of a `w:` tag or attribute."""
    return qn(f"w:{name}")


def _w(tag: str, *children: etree._Element, **attrs: str) -> etree._Element:
    """A `w:` element with `w:` attributes."""
    element = etree.Element(_wq(tag), {_wq(k): v for k, v in attrs.items()})
    element.extend(children)
    return element


def _held(heading: str, twips: int) -> str:
    """A table heading in its column `twips` wide, broken before its label kept whole when it
    needs two lines (`columns.break_before_held`): Word would break inside 2025年第2四半期."""
    return break_before_held(heading, twips / 20 - PADDING, HEADER_SIZE, 700)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """A `w:` element with `w:` attributes, made in place as the last child of `parent`."""
    return etree.SubElement(parent, _wq(tag), {_wq(k): v for k, v in attrs.items()})


_BREAKS = re.compile(f"(\r\n|\r|\n|\t|-{WORD_JOINER})")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _run(text: str, look: Look, parent: etree._Element | None = None) -> etree._Element:
    """A run of `text` (tabs and line breaks kept; the hyphens of a short compound are
    non-breaking, as in the PDF), made inside `parent` when given."""
    r = _w("r") if parent is None else _sub(parent, "r")
    if look != PLAIN:
        pr = _sub(r, "rPr")
        if look.bold:
            _sub(pr, "b")
            _sub(pr, "bCs")
        if look.italic:
            _sub(pr, "i")
            _sub(pr, "iCs")
        if look.caps:
            _sub(pr, "caps")
        if look.colour:
            _sub(pr, "color", val=look.colour)
        if look.size:
            _sub(pr, "sz", val=str(round(look.size * 2)))
            _sub(pr, "szCs", val=str(round(look.size * 2)))
    for part in _BREAKS.split(unbreakable(text)):
        if part == "\t":
            _sub(r, "tab")
        elif part == f"-{WORD_JOINER}":
            _sub(r, "noBreakHyphen")
        elif part in ("\n", "\r", "\r\n"):
            _sub(r, "br")
        elif part:
            t = _sub(r, "t")
            t.set(_XML_SPACE, "preserve")
            t.text = part
    return r


def _paragraph(style_id: str, runs: Sequence[tuple[str, Look]], *, align: str | None = None,
               keep_next: bool = False, page_break: bool = False,
               space_before: int | None = None, parent: etree._Element | None = None,
               bidi: bool = False) -> etree._Element:
    """A paragraph of `runs` in style `style_id`, made inside `parent` when given; `bidi`: a
    right-to-left paragraph."""
    p = _w("p") if parent is None else _sub(parent, "p")
    pr = _sub(p, "pPr")
    _sub(pr, "pStyle", val=style_id)
    if keep_next:
        _sub(pr, "keepNext")
    if page_break:
        _sub(pr, "pageBreakBefore")
    if bidi:
        _sub(pr, "bidi")
    if space_before is not None:
        _sub(pr, "spacing", before=str(space_before))
    if align:
        _sub(pr, "jc", val=align)
    for text, look in runs:
        _run(text, look, p)
    return p


def _field_start(instruction: str) -> list[etree._Element]:
    begin = _w("fldChar", fldCharType="begin")
    instr = _w("instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = instruction
    return [_w("r", begin), _w("r", instr), _w("r", _w("fldChar", fldCharType="separate"))]


def _page_field(instruction: str) -> list[etree._Element]:
    """A complete field whose shown value is "1" until Word or LibreOffice lays out the page."""
    return [*_field_start(f" {instruction} "), _run("1", PLAIN),
            _w("r", _w("fldChar", fldCharType="end"))]
