"""The sheet scanner: a workbook path in, the wanted sheets' located raw cells out.

The file is read once (`container.read_file`) and its bytes pass `container.check_container`.
The needed sheets' cells are then read with their address and number format: scanned by one
regular expression when the sheet XML has the plain shape spreadsheet programs write (proved cell
by cell, see `_scan`), parsed with lxml otherwise (entity resolution and network access off).
Either way the sheet XML streams, so memory stays bounded, and a sheet stops being read past
MAX_ROWS rows of data. Every parser exception, and a reference to a shared string the file does
not have, becomes `WorkbookUnreadable`.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from lxml import etree

from ..domain.text import normalise
from ..errors import WorkbookUnreadable
from .container import check_container, read_file, xml_parser
from .spreadsheet import (
    BUILTIN_FORMATS,
    HIDDEN,
    column_letter,
    from_serial,
    hidden_columns,
    hidden_rows,
    is_date_format,
)
from .xmltext import MAIN as _MAIN
from .xmltext import decoded, string_item, unescape, xml_text


class RawCell(NamedTuple):
    """One non-empty cell: what it holds, how Excel shows it, and where it is.

    A named tuple rather than a dataclass: a big portfolio has hundreds of thousands of cells,
    and tuples are several times cheaper to make.
    """

    column: str  # "E"
    row: int
    value: Any
    number_format: str
    is_error: bool = False
    formula_without_value: bool = False

    @property
    def coordinate(self) -> str:
        return f"{self.column}{self.row}"


@dataclass(frozen=True)
class RawSheet:
    name: str
    hidden: bool
    rows: tuple[tuple[int, tuple[RawCell | None, ...]], ...]  # (row number, cells from column A)
    overlong: bool = False  # more than MAX_ROWS rows hold data: none were kept
    hidden_rows: frozenset[int] = frozenset()  # row numbers
    hidden_columns: frozenset[int] = frozenset()  # column numbers (1 is A)


@dataclass(frozen=True)
class RawWorkbook:
    path: Path
    sha256: str
    sheets: dict[str, RawSheet]  # key: normalised sheet name
    other_sheets: tuple[tuple[str, bool], ...]  # (name, hidden) of sheets not read
    clashes: tuple[tuple[str, str], ...] = ()  # (read, not read): names equal but for case

    @property
    def name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(normalise(name))


def read_workbook(path: Path, wanted: Iterable[str]) -> RawWorkbook:
    """Read the sheets named in `wanted` (matched by `normalise`); list the others by name."""
    display = path.name
    data = read_file(path)
    check_container(display, data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _parse(path, data, digest, {normalise(w) for w in wanted})
    except WorkbookUnreadable:
        raise
    except _Damaged as exc:
        raise WorkbookUnreadable(display, f"is damaged: {exc}") from None
    except Exception as exc:  # the parser boundary: nothing else may escape as a traceback
        raise WorkbookUnreadable(
            display, f"is damaged and cannot be read as a workbook ({type(exc).__name__})"
        ) from None


class _Damaged(Exception):
    """Something in the file contradicts itself (a reference to nothing); says what and where."""


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


_COLUMNS = 64  # columns read per row (A to BL); the sheets need about a dozen
MAX_ROWS = 100_001  # rows holding data read per sheet: a header and 100,000 below it
WHOLE_PARSE_LIMIT = 32 * 1024 * 1024  # lxml parses sheet XML whole below this, streams above
SCAN_CHUNK = 4 * 1024 * 1024  # sheet XML the scan reads at a time


def _parse(path: Path, data: bytes, digest: str, wanted: set[str]) -> RawWorkbook:
    """Stream the wanted sheets' XML (the bytes checked and hashed, never the path again)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        book = etree.fromstring(archive.read("xl/workbook.xml"), xml_parser())
        targets = _relationships(archive, "xl/_rels/workbook.xml.rels")
        props = book.find(f"{_MAIN}workbookPr")
        date1904 = props is not None and props.get("date1904", "0") in ("1", "true")
        shared = _shared_strings(archive, targets, names)
        formats = _number_formats(archive, names)
        sheets: dict[str, RawSheet] = {}
        others: list[tuple[str, bool]] = []
        clashes: list[tuple[str, str]] = []
        for node in book.iter(f"{_MAIN}sheet"):
            title = node.get("name", "")
            hidden = node.get("state", "visible") != "visible"
            key = normalise(title)
            if key in sheets:
                clashes.append((sheets[key].name, title))
                continue
            if key not in wanted:
                others.append((title, hidden))
                continue
            part = targets.get(node.get(f"{_REL}id", ""), "")
            if part not in names or not part.endswith(".xml"):
                raise _Damaged(f"its sheet '{title}' has no XML part ({part or 'no target'})")
            hiding = _Hidden(set(), set())
            try:
                rows = _read_sheet(archive, part, shared, formats, date1904, hiding)
            except _Damaged as exc:
                raise _Damaged(f"{title}!{exc}") from None
            sheets[key] = RawSheet(title, hidden, rows or (), rows is None,
                                   frozenset(hiding.rows), frozenset(hiding.columns))
    return RawWorkbook(path, digest, sheets, tuple(others), tuple(clashes))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → zip path of its target, for the workbook part."""
    root = etree.fromstring(archive.read(part), xml_parser())
    targets = {}
    for rel in root.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id", "")] = str(Path(resolved)).replace("\\", "/")
    return targets


def _shared_strings(archive: zipfile.ZipFile, targets: dict[str, str],
                    names: set[str]) -> dict[bytes, str | None]:
    """Shared-string index, as the sheets write it (b"0", b"1", …) → text; None for blank text,
    which makes no cell. Looking the index's bytes up costs less than converting them."""
    part = next((t for t in targets.values() if t.endswith("sharedStrings.xml")),
                "xl/sharedStrings.xml")
    shared: dict[bytes, str | None] = {}
    if part not in names:
        return shared
    with archive.open(part) as stream:
        for index, (_, si) in enumerate(
                etree.iterparse(stream, events=("end",), tag=f"{_MAIN}si", **_SAFE)):
            text = unescape(string_item(si))
            shared[b"%d" % index] = text if text.strip() else None
            si.clear()
    return shared


def _number_formats(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Style index → number format code."""
    if "xl/styles.xml" not in names:
        return ["General"]
    root = etree.fromstring(archive.read("xl/styles.xml"), xml_parser())
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "General")
              for f in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")}
    codes = []
    for xf in root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"):
        number = int(xf.get("numFmtId", "0"))
        codes.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
    return codes or ["General"]


# --- sheet cells ------------------------------------------------------------------------------
# Both readers below hand `_rows` the same plain tuple of bytes per cell: (column letters, row
# number, style index, type, formula or b"", value text, inline string text). The scanner's texts
# are still XML-escaped; the walker's are not. Bytes, because the scan never decodes the sheet:
# numbers and shared-string indexes are read straight from them.
CellTuple = tuple[bytes, bytes | int, bytes, bytes, bytes, bytes, bytes]

# A cell exactly as Excel, LibreOffice and openpyxl write it: `r`, then `s`, then `t`, then an
# optional formula, value or one-run inline string, nothing else. Anything else goes to lxml.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?'
    rb'(?:/>|>(<f\b[^>]*(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>|<v/>)?'
    rb'(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:sheetData|row|c)[\s/>]")
_ENCODING = re.compile(rb'encoding=["\'](?!utf-?8["\'])', re.I)


class _NotPlain(Exception):
    """The sheet's XML is not in the plain shape `_scan` reads completely: lxml reads it."""


class _Hidden(NamedTuple):
    """The hidden rows and columns a sheet declares (`spreadsheet.hidden_rows`), as found."""

    rows: set[int]
    columns: set[int]

    def add_columns(self, spans: Iterable[tuple[int, int]]) -> None:
        for first, last in spans:
            self.columns.update(range(first, min(last, _COLUMNS) + 1))


def _read_sheet(archive: zipfile.ZipFile, part: str, shared: dict[bytes, str | None],
                formats: list[str], date1904: bool, hidden: _Hidden
                ) -> tuple[tuple[int, tuple[RawCell | None, ...]], ...] | None:
    """A sheet's rows: scanned when its XML has the usual shape (several times faster than
    building elements), walked with lxml otherwise; both stream, so memory stays bounded.
    None when more than MAX_ROWS rows hold data: reading stops there."""
    try:
        try:
            with archive.open(part) as stream:
                return _rows(_scan(stream, hidden=hidden), shared, formats, date1904, xml_text)
        except _NotPlain:
            hidden.rows.clear()
            return _rows(_walk(_row_elements(archive, part, hidden), hidden), shared, formats,
                         date1904, decoded)
    except _TooLong:
        return None


class _TooLong(Exception):
    """A sheet has more than MAX_ROWS rows holding data."""


def _scan(stream: IO[bytes], chunk: int = SCAN_CHUNK,
          hidden: _Hidden | None = None) -> Iterator[CellTuple]:
    """Every cell of a sheet, `chunk` bytes of XML at a time, each piece cut after a `</row>`;
    raises `_NotPlain` as soon as anything is not in the plain form `_CELL` reads completely.

    Counting the cell tags proves that each one was read: a cell with another attribute order,
    a namespace prefix, rich text or an extension makes the counts differ, and comments, CDATA,
    processing instructions, other encodings and a document cut short go to the XML parser.
    """
    buffer = stream.read(max(chunk, 256))
    if _ENCODING.search(buffer, 0, 200):
        raise _NotPlain
    while (start := buffer.find(b"<sheetData")) < 0:
        more = stream.read(chunk)
        if not more:
            raise _NotPlain
        buffer += more
    if hidden is not None and b"hidden" in buffer[:start]:
        hidden.add_columns(hidden_columns(buffer[:start]))
    buffer = buffer[start:]
    while True:
        more = stream.read(chunk)
        if more:
            buffer += more
            cut = buffer.rfind(b"</row>") + len(b"</row>")
            if cut < len(b"</row>"):
                continue  # no row has ended yet: read on
            piece, buffer = buffer[:cut], buffer[cut:]
        else:
            end = buffer.rfind(b"</sheetData>")
            if end < 0 or not buffer.rstrip().endswith(b"</worksheet>"):
                raise _NotPlain  # an empty <sheetData/>, or XML cut short
            piece = buffer[:end]
        if (b"<!--" in piece or b"<![CDATA[" in piece or b"<?" in piece
                or _PREFIXED.search(piece)):
            raise _NotPlain
        if hidden is not None and b' hidden="' in piece:
            hidden.rows.update(hidden_rows(piece))
        cells = _CELL.findall(piece)
        if len(cells) != piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>"):
            raise _NotPlain
        yield from cells
        if not more:
            return


def _row_elements(archive: zipfile.ZipFile, part: str, hidden: _Hidden) -> Iterator[Any]:
    """The `<row>` elements of a sheet: parsed whole when small, streamed and freed when large;
    hidden columns are noted on the way."""
    col = f"{_MAIN}col"
    if archive.getinfo(part).file_size <= WHOLE_PARSE_LIMIT:
        root = etree.fromstring(archive.read(part), xml_parser())
        hidden.add_columns((int(c.get("min") or 0), int(c.get("max") or 0))
                           for c in root.iter(col) if c.get("hidden") in HIDDEN)
        yield from root.iter(f"{_MAIN}row")
        return
    with archive.open(part) as stream:
        for _, row in etree.iterparse(stream, events=("end",), tag=(f"{_MAIN}row", col),
                                      **_SAFE):
            if row.tag == col:
                if row.get("hidden") in HIDDEN:
                    hidden.add_columns([(int(row.get("min") or 0), int(row.get("max") or 0))])
                continue
            yield row
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]


_LETTERS = [column_letter(i) for i in range(1, _COLUMNS + 1)]
_COLUMN_INDEX = {letter: i for i, letter in enumerate(_LETTERS)}
_COLUMN_OF = {letter.encode(): (i, letter) for i, letter in enumerate(_LETTERS)}


def _walk(rows: Iterator[Any], hidden: _Hidden | None = None) -> Iterator[CellTuple]:
    """The cells of parsed `<row>` elements, positioned by their `r` or by counting."""
    tag_v, tag_f, tag_is = f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}is"
    number = 0
    for row in rows:
        number = int(row.get("r") or number + 1)
        if hidden is not None and row.get("hidden") in HIDDEN:
            hidden.rows.add(number)
        suffix = str(number)
        column = -1
        for c in row:
            ref = c.get("r")
            if ref and ref.endswith(suffix):
                column = _COLUMN_INDEX.get(ref[: -len(suffix)], _COLUMNS)
            else:
                column += 1
            if column >= _COLUMNS:
                continue
            raw = inline = formula = b""
            for child in c:
                tag = child.tag
                if tag == tag_v:
                    raw = (child.text or "").encode()
                elif tag == tag_f:
                    formula = b"f"
                elif tag == tag_is:
                    inline = string_item(child).encode()
            yield (_LETTERS[column].encode(), number, (c.get("s") or "").encode(),
                   (c.get("t") or "").encode(), formula, raw, inline)


def _rows(cells: Iterable[CellTuple], shared: dict[bytes, str | None], formats: list[str],
          date1904: bool, text_of: Callable[[bytes], str]
          ) -> tuple[tuple[int, tuple[RawCell | None, ...]], ...]:
    """Each non-empty row as (row number, cells from column A; None where a cell is empty).

    The hot loop of a big portfolio (hundreds of thousands of cells): per cell it does a few
    comparisons and makes one tuple (directly, skipping the named tuple's Python-level
    `__new__`), caching what a style index means. `shared` maps a shared-string index, as
    written, to its text (None for blank text). Raises `_TooLong` past MAX_ROWS rows.
    """
    make = tuple.__new__
    column_of = _COLUMN_OF.get
    shared_text = shared.get
    inline_texts: dict[bytes, str] = {}  # inline strings repeat down a sheet: decode each once
    styles: dict[bytes, tuple[str, bool]] = {}
    rows = []
    current: bytes | int | None = None
    number = 0
    row: list[RawCell | None] = []
    for at_column, at, style, kind, formula, raw, inline in cells:
        place = column_of(at_column)
        if place is None:
            continue  # beyond the columns read
        column, letters = place
        if at != current:
            if row:
                rows.append((number, tuple(row)))
                if len(rows) > MAX_ROWS:
                    raise _TooLong
            current, number, row = at, int(at), []
        known = styles.get(style)
        if known is None:
            index = int(style or 0)
            code = formats[index] if 0 <= index < len(formats) else "General"
            known = styles[style] = (code, is_date_format(code))
        error = False
        value: Any
        if kind == b"s" and raw:
            value = shared_text(raw)
            if value is None:
                value = _shared_by_number(raw, shared, letters, number)
                if value is None:
                    continue
        elif (kind == b"" or kind == b"n") and raw:
            value = from_serial(float(raw), date1904) if known[1] else float(raw)
        elif not raw and kind != b"inlineStr":
            if formula:  # a formula the saving program never calculated
                _place(row, column, make(RawCell, (letters, number, None, known[0], False, True)))
            continue
        else:
            if kind == b"inlineStr":
                value = inline_texts.get(inline)
                if value is None:
                    value = inline_texts[inline] = text_of(inline)
            elif kind == b"e":
                value, error = text_of(raw), True
            elif kind == b"b":
                value = raw.strip() in (b"1", b"true")
            else:  # "str" (a formula's text result), "d" (an ISO date as text)
                value = text_of(raw)
            if value.__class__ is str and not value.strip():
                continue
        cell = make(RawCell, (letters, number, value, known[0], error, False))
        if column == len(row):
            row.append(cell)
        else:
            _place(row, column, cell)
    if row:
        rows.append((number, tuple(row)))
        if len(rows) > MAX_ROWS:
            raise _TooLong
    return tuple(rows)


def _shared_by_number(raw: bytes, shared: dict[bytes, str | None], column: str,
                      row: int) -> str | None:
    """The text of a shared-string index that found none as written: None for blank text,
    the text for an index written another way (`<v> 7 </v>`); `_Damaged` when the index is
    negative or past the last string (Python would read a negative one from the end)."""
    try:
        key = str(int(raw)).encode()
    except ValueError:
        key = b""
    if key.startswith(b"-") or key not in shared:
        raise _Damaged(f"{column}{row} refers to shared string {raw.decode(errors='replace')!r}, "
                       f"but the file has {len(shared):,} (numbered from 0)")
    return shared[key]


def _place(cells: list[RawCell | None], column: int, cell: RawCell) -> None:
    """Put `cell` at index `column`, padding the row with None (cells come left to right)."""
    gap = column - len(cells)
    if gap == 0:
        cells.append(cell)
    elif gap > 0:
        cells.extend([None] * gap)
        cells.append(cell)
    else:
        cells[column] = cell
