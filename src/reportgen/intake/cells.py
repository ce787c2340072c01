"""Typed cell readers: one workbook cell in, a value out, or a located problem reported; and
sheets as tables whose cells are found by column name.

Validation calls these for every cell of every row, so each has a fast path for the common case
(plain text, a formatted number) before the checks that only bad cells reach.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from math import isfinite
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from ..domain.addresses import AddressError, RecipientLanguageError, parse_recipient
from ..domain.model import Measure, Recipient
from ..domain.text import normalise
from ..errors import Problem, Severity
from .numbers import measure_from_cell, parse_number_text
from .scanner import RawCell, RawSheet
from .schema import YEARS
from .spreadsheet import column_letter, is_date_format

_T = TypeVar("_T")
_D = TypeVar("_D")
_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y/%m/%d")


MAX_PER_KIND = 20  # problems of one kind reported in full; the rest are counted on one line
_VARYING = re.compile(r"'[^']*'|\d[\d,.]*")  # what differs between problems of one kind


@dataclass
class _Kind:
    """Problems of one kind: how many, the last reported in full, where the others are."""

    count: int = 0
    last: int = 0  # index in `Report.problems`
    cells: list[str] = field(default_factory=list)  # the first and last left out
    rows: list[int] = field(default_factory=list)


@dataclass
class Report:
    """Problems found in one file, in the order found. Of each kind (one message with its
    quoted values and numbers left out, in one sheet and column) the first MAX_PER_KIND are
    kept; `finish` adds one line after them for the rest."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    errors: int = 0  # how many errors were found, those left out included
    kinds: dict[tuple[str, ...], _Kind] = field(default_factory=dict)

    def add(self, message: str, sheet: str | None = None, cell: str | None = None,
            row: int | None = None, severity: Severity = Severity.ERROR) -> None:
        self.errors += severity is Severity.ERROR
        key = (severity.value, sheet or "", "".join(filter(str.isalpha, cell or "")),
               _VARYING.sub("", message))
        kind = self.kinds.get(key)
        if kind is None:
            kind = self.kinds[key] = _Kind()
        kind.count += 1
        if kind.count <= MAX_PER_KIND:
            self.problems.append(Problem(self.file, message, sheet, cell, row, severity))
            kind.last = len(self.problems) - 1
        elif cell is not None:
            kind.cells[1:] = [cell.split(":")[-1]]  # keeps the first left out, then the last
            if len(kind.cells) == 1:
                kind.cells.insert(0, cell.split(":")[0])
        elif row is not None:
            kind.rows[1:] = [row]
            if len(kind.rows) == 1:
                kind.rows.insert(0, row)

    def finish(self) -> list[Problem]:
        """The problems, each kind's line for those left out just after its last in full."""
        problems = list(self.problems)
        for kind in sorted((k for k in self.kinds.values() if k.count > MAX_PER_KIND),
                           key=lambda k: -k.last):
            first = problems[kind.last]
            where = ":".join(dict.fromkeys(kind.cells)) or None
            rows = (f" (rows {kind.rows[0]:,} to {kind.rows[-1]:,})" if len(set(kind.rows)) > 1
                    else f" (row {kind.rows[0]:,})" if kind.rows else "")
            problems.insert(kind.last + 1, Problem(
                self.file, f"… and {kind.count - MAX_PER_KIND:,} more like this{rows}",
                first.sheet, where, None, first.severity))
        return problems

    def at(self, c: RawCell, sheet: str, message: str,
           severity: Severity = Severity.ERROR) -> None:
        self.add(message, sheet, c.coordinate, severity=severity)


def coordinates(values: dict[str, RawCell | None]) -> tuple[tuple[str, str], ...]:
    """(key, cell) for each key read: where a partnership's values are, for its `SourceRef`."""
    return tuple((key, c.coordinate) for key, c in values.items() if c is not None)


def text_of(c: RawCell | None) -> str:
    """The cell as trimmed text ('' for blank, error and unsaved-formula cells)."""
    if c is None:
        return ""
    value = c.value
    if value.__class__ is str:
        return "" if c.is_error else value.strip()
    if value is None or c.is_error:
        return ""
    if value.__class__ is float and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _kind(value: Any) -> str:
    """What a non-number is, for messages: `TRUE/FALSE`, `a date (2025-10-14)`, …"""
    if isinstance(value, bool):
        return "TRUE/FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return f"a date ({value:%Y-%m-%d})"
    return type(value).__name__


class CellReader:
    """Reads cells into values, reporting each problem at its cell."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def broken(self, c: RawCell, sheet: str) -> bool:
        """Report error cells and formulas without a saved value; True when the cell is unusable."""
        if c.is_error:
            self.report.at(c, sheet, f"cell holds the error {c.value}; fix the formula or "
                           "type the value")
            return True
        if c.formula_without_value:
            self.report.at(c, sheet, "formula has no saved value (the file was written by a "
                           "program, not Excel); open and save the file in Excel")
            return True
        return False

    def blank(self, c: RawCell | None, row: Row, column: str) -> None:
        """Report a required cell that is blank (an error cell or an unsaved formula was
        reported when it was read)."""
        if c is None or not (c.is_error or c.formula_without_value):
            self.report.add(f"{column} is required but blank", row.table.sheet.name,
                            row.ref(column))

    def text(self, c: RawCell | None, sheet: str) -> str:
        """Trimmed text ('' when blank or unusable, reported)."""
        if c is None:
            return ""
        if c.value.__class__ is str and not c.is_error:
            return c.value.strip()
        if self.broken(c, sheet):
            return ""
        return text_of(c)

    def choice(self, c: RawCell | None, sheet: str, choices: dict[str, _T], default: _D,
               what: str, hint: str) -> _T | _D:
        """One of a fixed set of words (matched like headers); blank gives `default`."""
        if c is None or self.broken(c, sheet):
            return default
        text = text_of(c)
        if not text:
            return default
        found = choices.get(normalise(text))
        if found is None:
            self.report.at(c, sheet, f"unknown {what} '{text}'; {hint}")
            return default
        return found

    def number(self, c: RawCell, sheet: str, column: str) -> Measure | None:
        """A number as the workbook shows it; text such as `5%` or `$2.0M` is read too."""
        value = c.value
        if value.__class__ is float and isfinite(value):  # error cells hold text
            return measure_from_cell(value, c.number_format)
        if self.broken(c, sheet):
            return None
        if value.__class__ is float:
            self.report.at(c, sheet, f"{column} '{value}' is not a number")
            return None
        if isinstance(value, bool) or isinstance(value, dt.datetime | dt.date | dt.time):
            self.report.at(c, sheet, f"{column} must be a number, not {_kind(value)}")
            return None
        if isinstance(value, int | float):
            return measure_from_cell(float(value), c.number_format)
        parsed = parse_number_text(str(value))
        if parsed is None:
            self.report.at(c, sheet, f"{column} '{text_of(c)}' is not a number")
        return parsed

    def date(self, c: RawCell | None, sheet: str) -> dt.date | None:
        """A date cell, or text in one of `_DATE_FORMATS`, in a year of `YEARS`."""
        if c is None or self.broken(c, sheet) or c.value is None:
            return None
        value = c.value
        day = value.date() if isinstance(value, dt.datetime) else value
        if isinstance(value, int | float) and not isinstance(value, bool):
            hint = ("a date format shows no date for it (Excel shows ####)"
                    if is_date_format(c.number_format) else "format the cell as a date")
            self.report.at(c, sheet, f"{text_of(c)} is a number, not a date; {hint}")
            return None
        if not isinstance(day, dt.date):
            day = _parse_date(str(value).strip())
            if day is None:
                self.report.at(c, sheet, f"'{str(value).strip()}' is not a date; write it as "
                               "2025-10-14")
                return None
        if day.year not in YEARS:
            self.report.at(c, sheet, f"{day.isoformat()} is not a date reportgen can file: the "
                           f"year must be from {YEARS[0]} to {YEARS[-1]}")
            return None
        return day

    def distribution(self, c: RawCell | None, sheet: str) -> tuple[Recipient, ...]:
        """`Name <addr>` or bare addresses, each optionally followed by a language tag (`[ja]`),
        separated by `;`, `,` or new lines."""
        if c is None or self.broken(c, sheet) or c.value is None:
            return ()
        recipients = []
        for chunk in (part.strip() for part in re.split(r"[;,\n\r]+", str(c.value))):
            if not chunk:
                continue
            try:
                recipients.append(parse_recipient(chunk))
            except RecipientLanguageError as exc:
                self.report.at(c, sheet, f"{chunk!r} {exc}")
            except AddressError as exc:
                reason = f" ({exc.reason})" if exc.reason else ""
                self.report.at(c, sheet, f"{chunk!r} is not a valid e-mail address{reason}; "
                               "write Name <name@example.com> or name@example.com")
        return tuple(recipients)


def _parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class Table:
    """A sheet read as a table: its header (column name → index) and its rows, whose cells are
    found by column name."""

    def __init__(self, sheet: RawSheet, header: dict[str, int]) -> None:
        self.sheet = sheet
        self.header = header
        self.width = max(header.values(), default=-1) + 1
        # (column name, letter): where each row's values are, for the rows' `SourceRef`s
        self.letters = tuple((name, column_letter(i + 1)) for name, i in header.items())
        self._pickers: dict[tuple[str, ...], Callable[[tuple[Any, ...]], tuple[Any, ...]]] = {}

    def row(self, number: int, cells: tuple[RawCell | None, ...]) -> Row:
        """A data row, padded so that every header column has a slot and the last slot is always
        empty: a column the sheet lacks reads that slot (index -1), never a cell further right."""
        return Row(self, number, cells + (None,) * max(self.width - len(cells) + 1, 1))

    def pick(self, names: tuple[str, ...],
             cells: tuple[RawCell | None, ...]) -> tuple[RawCell | None, ...]:
        """The cells of the named columns, in order (None for a column the sheet lacks)."""
        picker = self._pickers.get(names)
        if picker is None:
            picker = self._pickers[names] = itemgetter(
                *(self.header.get(name, -1) for name in names))
        return picker(cells)


class Row(NamedTuple):
    table: Table
    number: int
    cells: tuple[RawCell | None, ...]

    def cell(self, column: str) -> RawCell | None:
        return self.cells[self.table.header.get(column, -1)]

    def ref(self, column: str) -> str | None:
        index = self.table.header.get(column)
        if index is None:
            return None
        return f"{column_letter(index + 1)}{self.number}"
