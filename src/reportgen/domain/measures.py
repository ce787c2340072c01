"""Numbers written back: `Measure`s, variances, shares, score changes and dates → the text every
output shows.

The one place numbers are formatted, so validation messages, the PDF, the Word pack, the
terminal and the e-mail can never disagree: `5%`, `6.2%`, `$2.0M`, `99.95%`, `+55`, `4.0`, the
way the workbook showed them (docs/workbook.md#numbers-and-formats); a variance to target in the
KPI's own unit (`+1.2 pp`, `−$0.2M`); a date in the settings' `date_format`.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from .exact import denoise
from .model import Measure


def fewest_decimals(value: float, limit: int = 2) -> int:
    """Fewest decimals that keep `value` exact, at most `limit`; a value under 1 may use up to
    4, so that 0.062 never shows as 0.06 (a different number)."""
    longest = 4 if 0 < abs(value) < 1 else limit
    for decimals in range(longest + 1):
        if abs(round(value, decimals) - value) < 1e-9 * max(1.0, abs(value)):
            return decimals
    return longest


def format_measure(measure: Measure) -> str:
    """Measure → the text the pack shows: `5%`, `6.2%`, `$2.0M`, `99.95%`, `+55`, `4.0`."""
    shown = _shown(measure)
    magnitude = _magnitude(measure, shown)
    sign = "−" if shown < 0 and float(magnitude.replace(",", "")) != 0 else (
        "+" if measure.plus and shown > 0 else ""
    )
    text = f"{sign}{measure.prefix}{magnitude}{measure.suffix}"
    return text + "%" if measure.percent else text


def variance(actual: Measure, target: Measure, lower_is_better: bool) -> Measure:
    """Actual − Target in the KPI's own unit, signed so that + is favourable (for a
    lower-is-better KPI, Target − Actual), in the actual's look.

    The exact difference in the units the cells show, rounded to the finer of their two
    precisions as a spreadsheet would: 6.2% − 5% is 1.2 points, $1.8M − $2.0M is −$0.2M
    (docs/pack.md#the-scorecard).
    """
    a = _shown(actual)
    t = _shown(target._replace(scale=actual.scale))
    target_decimals = target.decimals if target.scale == actual.scale else None
    decimals = max(actual.decimals if actual.decimals is not None else fewest_decimals(a),
                   target_decimals if target_decimals is not None else fewest_decimals(t))
    gap = round((t - a) if lower_is_better else (a - t), decimals) + 0.0  # no −0.0
    value = gap / 100 if actual.percent else gap * 1000**actual.scale
    return actual._replace(value=value, decimals=decimals, plus=True)


def format_variance(gap: Measure) -> str:
    """A `variance` as the scorecard shows it: `+1.2 pp` (percentage points), `−$0.2M`, `+5`,
    `−0.5`; `0 pp` or `$0.0M` when on target."""
    shown = _shown(gap)
    magnitude = _magnitude(gap, shown)
    sign = "" if float(magnitude.replace(",", "")) == 0 else "+" if shown > 0 else "−"
    if gap.percent:
        return f"{sign}{magnitude} pp"
    return f"{sign}{gap.prefix}{magnitude}{gap.suffix}"


def in_look(value: float, look: Measure) -> Measure:
    """`value` in the look of `look` (prefix, suffix, percent, scale), never with fewer decimals
    than it needs (up to the pack's usual two): for a number the archive kept without the look
    its workbook gave it."""
    needed = fewest_decimals(_shown(look._replace(value=value)))
    decimals = None if look.decimals is None else max(look.decimals, needed)
    return look._replace(value=value, decimals=decimals)


def _shown(measure: Measure) -> float:
    """The number as the cell shows it: 5% is 5, $2.0M in `#,##0.0,,"M"` is 2.0."""
    shown = measure.value * 100 if measure.percent else measure.value / 1000**measure.scale
    return denoise(shown)


def _magnitude(measure: Measure, shown: float) -> str:
    decimals = measure.decimals if measure.decimals is not None else fewest_decimals(shown)
    return f"{abs(shown):,.{decimals}f}" if measure.thousands else f"{abs(shown):.{decimals}f}"


def format_percent(share: Fraction | float, decimals: int | None = None) -> str:
    """A share of 1 as a percentage: 0.3 → `30%`, 0.125 → `12.5%`."""
    value = denoise(float(share) * 100)
    places = fewest_decimals(value) if decimals is None else decimals
    return f"{value:.{places}f}%"


def format_points(points: Fraction | int, unit: Fraction = Fraction(1)) -> str:
    """Points as the scorecard shows them: whole (`15`), or to the tenth when `unit` is a tenth
    (`15.0`, `1.9`, `0.8`), so that the column's figures line up."""
    if unit >= 1:
        return str(round(points))
    return f"{float(points):.1f}"


def format_signed(delta: int) -> str:
    """Score change with an explicit sign: `+3`, `−5`, `0`."""
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"−{-delta}"
    return "0"


def format_number(value: float) -> str:
    """A setting's number in prose: `85`, `72.5`, `0.75` (at most two decimals)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_date(value: dt.date | None, pattern: str) -> str:
    """A date in the settings' `date_format` (a strftime pattern; default `14 Oct 2025`); ''
    for none."""
    return value.strftime(pattern) if value else ""
