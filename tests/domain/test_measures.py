"""Numbers written back: the variance to target in a KPI's own unit, + favourable, at the
precision shown; a number archived without its look; dates in the settings' format."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.domain.measures import (
    format_date,
    format_measure,
    format_variance,
    in_look,
    variance,
)
from reportgen.domain.model import Measure
from reportgen.intake.numbers import measure_from_cell

MONEY = '"$"0.0"M"'


def shown(value: float, fmt: str | None) -> Measure:
    return measure_from_cell(value, fmt)


@pytest.mark.parametrize(("actual", "target", "lower", "text", "value"), [
    (shown(0.062, "0.0%"), shown(0.05, "0%"), False, "+1.2 pp", 0.012),
    (shown(0.88, "0%"), shown(0.95, "0%"), False, "−7 pp", -0.07),
    (shown(0.9995, "0.00%"), shown(0.999, "0.0%"), False, "+0.05 pp", 0.0005),
    (shown(0.025, "0.0%"), shown(0.02, "0.0%"), True, "−0.5 pp", -0.005),
    (shown(1.8, MONEY), shown(2.0, MONEY), False, "−$0.2M", -0.2),
    (shown(1.0, MONEY), shown(1.2, MONEY), True, "+$0.2M", 0.2),
    (shown(55, "+0;-0;0"), shown(50, "+0;-0;0"), False, "+5", 5),
    (shown(4.0, "0.0"), shown(4.5, "0.0"), False, "−0.5", -0.5),
    (shown(1_234_567, "#,##0"), shown(1_000_000, "#,##0"), True, "−234,567", -234_567),
    (shown(2.0, MONEY), shown(2.0, MONEY), False, "$0.0M", 0),
])
def test_variance_in_the_kpis_own_unit(actual, target, lower, text, value):
    gap = variance(actual, target, lower)
    assert format_variance(gap) == text
    assert gap.value == pytest.approx(value, abs=1e-12)


def test_a_number_kept_without_its_look_takes_another_keeping_its_digits():
    look = shown(0.062, "0.0%")
    assert format_measure(in_look(0.046, look)) == "4.6%"
    assert format_measure(in_look(0.0465, look)) == "4.65%"
    assert format_measure(in_look(1.6, shown(2.0, MONEY))) == "$1.6M"


def test_dates_in_the_settings_format():
    assert format_date(dt.date(2025, 10, 31), "%-d %b %Y") == "31 Oct 2025"
    assert format_date(dt.date(2025, 10, 31), "%Y-%m-%d") == "2025-10-31"
    assert format_date(None, "%-d %b %Y") == ""
