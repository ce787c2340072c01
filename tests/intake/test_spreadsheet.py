"""Spreadsheet-format facts: column letters, date formats, Excel serial days."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.intake.spreadsheet import BUILTIN_FORMATS, column_letter, from_serial, is_date_format


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (64, "BL"),
                                                (703, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


@pytest.mark.parametrize(("code", "is_date"), [
    ("yyyy-mm-dd", True), ("d-mmm-yy", True), ("h:mm", True), ("[h]:mm:ss", True),
    ("[$-409]d-mmm-yy", True), ("General", False), ("0%", False), ('"$"0.0"M"', False),
    ("+0;-0;0", False), ('"day" 0', False), ("#,##0.00_);[Red](#,##0.00)", False),
    (BUILTIN_FORMATS[14], True), (BUILTIN_FORMATS[10], False),
])
def test_date_formats(code, is_date):
    assert is_date_format(code) is is_date


@pytest.mark.parametrize(("serial", "expected"), [
    (1, dt.datetime(1900, 1, 1)), (59, dt.datetime(1900, 2, 28)),
    (60, dt.datetime(1900, 2, 28)),  # Excel's phantom 29 February 1900
    (61, dt.datetime(1900, 3, 1)), (45944, dt.datetime(2025, 10, 14)),
    (45943.75, dt.datetime(2025, 10, 13, 18)),
])
def test_serial_days_1900(serial, expected):
    assert from_serial(serial) == expected


def test_serial_days_1904():
    assert from_serial(0, date1904=True) == dt.datetime(1904, 1, 1)
    assert from_serial(44482, date1904=True) == dt.datetime(2025, 10, 14)


def test_a_1904_workbook_reads_its_dates(tmp_path):
    from reportgen.intake.validation import load
    from workbooks import write_example

    def mac(wb):
        wb.epoch = dt.datetime(1904, 1, 1)

    loaded = load(write_example(tmp_path / "mac.xlsx", tweak=mac))
    assert loaded.ok, loaded.problems
    assert loaded.reviews[0].partnership.review_date == dt.date(2025, 10, 14)
