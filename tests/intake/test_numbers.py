"""Numbers are shown the way the workbook showed them (docs/workbook.md#numbers-and-formats)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reportgen.domain.measures import format_measure, format_percent, format_signed
from reportgen.intake.numbers import measure_from_cell, parse_number_text


@pytest.mark.parametrize(("text", "value", "shown"), [
    ("5%", 0.05, "5%"), ("6.2%", 0.062, "6.2%"), ("$2.0M", 2.0, "$2.0M"), ("99.95 %", 0.9995,
    "99.95%"), ("+50", 50, "+50"), ("4.0", 4.0, "4.0"), ("1,200", 1200, "1,200"),
    ("-3", -3, "−3"), ("€1.5M", 1.5, "€1.5M"), ("EUR 3", 3, "EUR 3"), (".5", 0.5, "0.5"),
])
def test_text_numbers(text, value, shown):
    measure = parse_number_text(text)
    assert measure is not None
    assert measure.value == pytest.approx(value)
    assert format_measure(measure) == shown


@pytest.mark.parametrize("text", ["five", "", "5%%", "1.2.3", "+-5", "$", "12 apples and"])
def test_not_numbers(text):
    assert parse_number_text(text) is None


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (0.05, "0%", "5%"), (0.062, "0.0%", "6.2%"), (0.9995, "0.00%", "99.95%"),
    (2.0, '"$"0.0"M"', "$2.0M"), (55, "+0;-0;0", "+55"), (4.0, "0.0", "4.0"),
    (2_000_000, '$#,##0.0,,"M"', "$2.0M"), (1234.5, "#,##0.00", "1,234.50"),
    (0.062, "General", "0.062"), (4.5, "General", "4.5"), (50, "General", "50"),
    (3, "[$€-2] #,##0", "€3"), (0.1 + 0.2, "General", "0.3"),
    (1_250_000, "General", "1,250,000"), (12345.6, "General", "12,345.6"),
    (-4200, "General", "−4,200"), (999, "General", "999"),
])
def test_cell_formats(value, fmt, shown):
    assert format_measure(measure_from_cell(value, fmt)) == shown


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    # currency and locale tags: [$<symbol>-<locale>] and [$<code>]
    (1234.5, "[$€-407]#,##0.00", "€1,234.50"),
    (1234.5, "#,##0.00 [$€-407]", "1,234.50 €"),
    (1234.5, "[$£-809]#,##0", "£1,234"),
    (1234.5, "[$USD] #,##0", "USD 1,234"),
    (-3, "[$€-2] #,##0", "−€3"),
    # padded (accounting) formats: `_x` leaves the width of x, `*x` fills with x
    (1234.5, '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)', "1,234"),
    (1234.5, '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)', "$1,234.50"),
    (0.25, "_-* 0%_-", "25%"), (0.25, "0 %", "25%"),
    (2.5, '0.0 "M"', "2.5 M"), (2.5, r'\$0.0"M"', "$2.5M"),
])
def test_locale_and_padded_formats(value, fmt, shown):
    assert format_measure(measure_from_cell(value, fmt)) == shown


def test_scaled_format_keeps_the_value_as_read():
    assert measure_from_cell(2_000_000, '$#,##0.0,,"M"').value == 2_000_000


def test_percent_and_signed_helpers():
    assert format_percent(Fraction(3, 10)) == "30%"
    assert format_percent(0.125) == "12.5%"
    assert format_signed(3) == "+3"
    assert format_signed(-5) == "−5"
    assert format_signed(0) == "0"


def test_equal_numbers_of_different_types_do_not_share_a_cached_measure():
    """50 and 50.0 are equal and hash alike: the cache must not hand one's Measure to the other
    (its repr, and so a pack's inputs digest, would depend on what was read first)."""
    assert type(measure_from_cell(50, "0").value) is int
    assert type(measure_from_cell(50.0, "0").value) is float
