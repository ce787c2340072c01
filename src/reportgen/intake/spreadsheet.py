"""Facts of the spreadsheet file format the reader needs, without importing a spreadsheet library.

Column letters, the built-in number formats that a style may refer to by number (ECMA-376
Part 1, 18.8.30), telling a date format from a number format, and Excel's serial day numbers
(the 1900 system, with its phantom 29 February 1900, and the 1904 system of old Mac files).
"""

from __future__ import annotations

import datetime as dt
import re

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* (#,##0);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_)_("$"* (#,##0.00)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETS = re.compile(r"\[(?!(?:h+|m+|s+)\])[^\]]*\]", re.I)  # keep [h], [mm], [ss]
_DATE_PARTS = re.compile(r"[dmyhs]", re.I)
_1900 = dt.datetime(1899, 12, 30)
_1904 = dt.datetime(1904, 1, 1)


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_date_format(code: str) -> bool:
    """True when a number format shows a date or a time (d, m, y, h or s outside literals)."""
    section = code.split(";")[0]
    if section.strip().lower() in ("general", "@", ""):
        return False
    stripped = _BRACKETS.sub("", _LITERALS.sub("", section))
    return bool(_DATE_PARTS.search(stripped.replace("General", "")))


LAST_SERIAL = 2958465  # 31 December 9999, the last day Excel shows (in the 1900 system)
_1904_OFFSET = 1462  # days from the 1900 system's day 0 to the 1904 system's


def from_serial(serial: float, date1904: bool = False) -> dt.datetime | float:
    """An Excel serial day number as a datetime (to the second); the number itself when Excel
    would show no date for it (negative, past 9999, not a number).

    In the 1900 system day 1 is 1 January 1900 and day 60 is the 29 February 1900 that never
    was (kept by Excel for Lotus compatibility); it is read as 28 February.
    """
    if not 0 <= serial <= LAST_SERIAL - _1904_OFFSET * date1904:
        return serial
    if date1904:
        base = _1904
    elif serial < 61:
        base = _1900 + dt.timedelta(days=1)  # before the phantom day the count is off by one
        if serial >= 60:
            serial -= 1  # the phantom 29 February reads as the 28th
    else:
        base = _1900
    moment = base + dt.timedelta(days=serial)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


# Hidden rows and columns, as `<row r="5" … hidden="1">` and `<col min="3" max="4" hidden="1"/>`
# (Excel writes "1", LibreOffice "true"): what a reader of the sheet in Excel does not see.
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*\bhidden="(?:1|true)"[^>]*>')
_HIDDEN_COLUMNS = re.compile(rb'<col\b[^>]*\bhidden="(?:1|true)"[^>]*>')
_NUMBER_ATTRIBUTE = {name: re.compile(rb'\b' + name + rb'="(\d+)"') for name in (b"r", b"min",
                                                                                 b"max")}
HIDDEN = ("1", "true")


def hidden_rows(xml: bytes) -> list[int]:
    """The numbers of the hidden rows whose tags are in `xml`."""
    return [int(found[1]) for tag in _HIDDEN_ROW.findall(xml)
            if (found := _NUMBER_ATTRIBUTE[b"r"].search(tag))]


def hidden_columns(xml: bytes) -> list[tuple[int, int]]:
    """The (first, last) column numbers of the hidden column ranges declared in `xml`."""
    spans = []
    for tag in _HIDDEN_COLUMNS.findall(xml):
        first, last = (_NUMBER_ATTRIBUTE[name].search(tag) for name in (b"min", b"max"))
        if first and last:
            spans.append((int(first[1]), int(last[1])))
    return spans
