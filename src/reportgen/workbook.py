"""The only module that opens .xlsx files: a path in, located raw sheets out.

The file is checked before any parser sees it: its signature (a zip, not a legacy or encrypted
OLE2 container), its entries (no macros, no binary workbook) and the sizes they declare (a zip
bomb is refused before anything is inflated). openpyxl then reads the needed sheets in read-only
mode with defusedxml guarding the XML. Every parser exception becomes `WorkbookUnreadable`.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from .errors import WorkbookUnreadable

MAX_TOTAL_INFLATED = 256 * 1024 * 1024  # bytes all entries may inflate to
MAX_ENTRY_RATIO = 100  # inflated / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_ENTRIES = 10_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                           "#GETTING_DATA", "#SPILL!", "#CALC!"})


@dataclass(frozen=True, slots=True)
class RawCell:
    """One non-empty cell: where it is, what it holds and how Excel shows it."""

    coordinate: str
    value: Any
    number_format: str
    is_error: bool = False
    formula_without_value: bool = False


@dataclass(frozen=True)
class RawSheet:
    name: str
    hidden: bool
    rows: tuple[tuple[int, tuple[RawCell | None, ...]], ...]  # (row number, cells from column A)


@dataclass(frozen=True)
class RawWorkbook:
    path: Path
    sha256: str
    sheets: dict[str, RawSheet]  # key: normalised sheet name
    other_sheets: tuple[tuple[str, bool], ...]  # (name, hidden) of sheets not read

    @property
    def name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(normalise(name))


def normalise(text: str) -> str:
    """How headers, keys and sheet names are matched: case-insensitive, spaces folded."""
    return " ".join(str(text).split()).casefold()


def read_workbook(path: Path, wanted: Iterable[str]) -> RawWorkbook:
    """Read the sheets named in `wanted` (matched by `normalise`); list the others by name."""
    display = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookUnreadable(str(path), "no such file") from None
    except IsADirectoryError:
        raise WorkbookUnreadable(str(path), "is a folder, not a workbook") from None
    except OSError as exc:
        raise WorkbookUnreadable(str(path), f"cannot be read ({exc.strerror})") from None
    _check_container(display, data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _parse(path, digest, {normalise(w) for w in wanted})
    except WorkbookUnreadable:
        raise
    except DefusedXmlException:
        raise WorkbookUnreadable(
            display, "contains forbidden XML (entity declarations or external references); "
            "refusing to read it"
        ) from None
    except Exception as exc:  # the parser boundary: nothing else may escape as a traceback
        raise WorkbookUnreadable(
            display, f"is damaged and cannot be read as a workbook ({type(exc).__name__})"
        ) from None


def _check_container(name: str, data: bytes) -> None:
    if not data:
        raise WorkbookUnreadable(name, "is empty (0 bytes)")
    if data.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data[:1 << 20] or b"EncryptedPackage" in data:
            raise WorkbookUnreadable(
                name, "is password-protected; remove the password in Excel and save it again"
            )
        raise WorkbookUnreadable(
            name, "is a legacy Excel 97-2003 (.xls) file; open it in Excel and save as .xlsx"
        )
    if not data.startswith(_ZIP):
        raise WorkbookUnreadable(name, "is not an Excel workbook (.xlsx)")
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise WorkbookUnreadable(
            name, "is damaged or truncated (not a complete zip archive)"
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise WorkbookUnreadable(name, f"has {len(entries)} parts; refusing to read it")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise WorkbookUnreadable(name, "is damaged: it has no [Content_Types].xml part")
    if "xl/vbaProject.bin" in names:
        raise WorkbookUnreadable(
            name, "is macro-enabled (.xlsm); save a copy as .xlsx without macros"
        )
    if "xl/workbook.bin" in names:
        raise WorkbookUnreadable(name, "is a binary workbook (.xlsb); save it as .xlsx")
    if "xl/workbook.xml" not in names:
        raise WorkbookUnreadable(name, "is not an Excel workbook (no xl/workbook.xml part)")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_ENTRY_RATIO * max(
            entry.compress_size, 1
        ):
            raise WorkbookUnreadable(
                name, f"looks like a zip bomb: {entry.filename} would inflate "
                f"{entry.file_size // max(entry.compress_size, 1)}-fold to "
                f"{entry.file_size / 2**20:.0f} MiB; refusing to read it"
            )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size:
            try:
                with archive.open(entry) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
                raise WorkbookUnreadable(
                    name, f"is damaged: its part {entry.filename} cannot be unpacked"
                ) from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise WorkbookUnreadable(
                    name, "contains forbidden XML (entity declarations or external references); "
                    "refusing to read it"
                )
    if total > MAX_TOTAL_INFLATED:
        raise WorkbookUnreadable(
            name, f"would inflate to {total / 2**20:.0f} MiB, above the "
            f"{MAX_TOTAL_INFLATED // 2**20} MiB limit; refusing to read it"
        )


def _parse(path: Path, digest: str, wanted: set[str]) -> RawWorkbook:
    import openpyxl
    from openpyxl.utils import get_column_letter

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
        raise WorkbookUnreadable(path.name, "defusedxml is not installed; refusing to parse XML")
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheets: dict[str, RawSheet] = {}
        others: list[tuple[str, bool]] = []
        letters = [get_column_letter(i) for i in range(1, 64)]
        for ws in wb.worksheets:
            hidden = ws.sheet_state != "visible"
            key = normalise(ws.title)
            if key not in wanted or key in sheets:
                others.append((ws.title, hidden))
                continue
            missing = _formulas_without_value(wb, ws)
            ws.reset_dimensions()  # never trust the file's <dimension>: it may be wrong
            rows = []
            for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
                cells: list[RawCell | None] = []
                for index, cell in enumerate(row[: len(letters)]):
                    value = cell.value
                    if value is None or (isinstance(value, str) and not value.strip()):
                        coordinate = f"{letters[index]}{number}"
                        cells.append(RawCell(coordinate, None, "General", False, True)
                                     if coordinate in missing else None)
                        continue
                    is_error = cell.data_type == "e" or (
                        isinstance(value, str) and value in _ERROR_VALUES and cell.data_type != "s"
                    )
                    cells.append(RawCell(f"{letters[index]}{number}", value,
                                         cell.number_format or "General", is_error))
                if any(c is not None for c in cells):
                    rows.append((number, tuple(cells)))
            sheets[key] = RawSheet(ws.title, hidden, tuple(rows))
        return RawWorkbook(path, digest, sheets, tuple(others))
    finally:
        wb.close()


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _formulas_without_value(wb: Any, ws: Any) -> set[str]:
    """Coordinates of formula cells that carry no cached value (saved by a tool, not Excel)."""
    with wb._archive.open(ws._worksheet_path) as handle:
        raw = handle.read()
    if not _FORMULA.search(raw):
        return set()
    from defusedxml.ElementTree import fromstring

    root = fromstring(raw)
    missing = set()
    for cell in root.iter():
        if not cell.tag.endswith("}c"):
            continue
        has_formula = has_value = False
        for child in cell:
            if child.tag.endswith("}f"):
                has_formula = True
            elif child.tag.endswith("}v") and child.text not in (None, ""):
                has_value = True
            elif child.tag.endswith("}is"):
                has_value = True
        if has_formula and not has_value:
            missing.add(cell.get("r", ""))
    return missing
