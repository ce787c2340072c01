"""Numbers written back: `Measure`s, variances, shares, score changes and dates → the text every
output shows.

The one place numbers are formatted, so validation messages, the PDF, the Word pack, the
terminal and the e-mail can never disagree: `5%`, `6.2%`, `$2.0M`, `99.95%`, `+55`, `4.0`, the
way the workbook showed them (docs/workbook.md#numbers-and-formats); a variance to target in the
KPI's own unit (`+1.2 pp`, `−$0.2M`); a date in the settings' `date_format`.

In another language (`LOCALE`, set for one pack by `present.language.speaking`) the digits
follow the reader's habits through Babel: `1.250.000,5` and `6,2 %` in German, `14. Okt. 2025`
for a date; the workbook's format still decides the decimals and the literal `$` and `M`.
English keeps the formatting above byte for byte, without importing Babel.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from fractions import Fraction

from .exact import denoise
from .model import Measure

# The Babel locale ("de", "fr_CH", "ja") whose habits numbers and dates follow; "en" is the
# pack's own English formatting. Set per pack by `present.language.speaking`.
LOCALE: ContextVar[str] = ContextVar("reportgen_locale", default="en")
_NUMBER = re.compile(r"[#0,.]+")


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
    sign = "−" if shown < 0 and not _rounds_to_zero(measure, shown) else (
        "+" if measure.plus and shown > 0 else ""
    )
    text = f"{sign}{measure.prefix}{magnitude}{measure.suffix}"
    return _percent(text) if measure.percent else text


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


def format_variance(gap: Measure, points: str = "{value} pp") -> str:
    """A `variance` as the scorecard shows it: `+1.2 pp` (percentage points, in the words of
    `points`: "{value} Pp." in German), `−$0.2M`, `+5`, `−0.5`; `0 pp` or `$0.0M` when on
    target."""
    shown = _shown(gap)
    magnitude = _magnitude(gap, shown)
    sign = "" if _rounds_to_zero(gap, shown) else "+" if shown > 0 else "−"
    if gap.percent:
        return points.format(value=f"{sign}{magnitude}")
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


def _decimals(measure: Measure, shown: float) -> int:
    return measure.decimals if measure.decimals is not None else fewest_decimals(shown)


def _rounds_to_zero(measure: Measure, shown: float) -> bool:
    return round(abs(shown), _decimals(measure, shown)) == 0


def _magnitude(measure: Measure, shown: float) -> str:
    decimals = _decimals(measure, shown)
    locale = LOCALE.get()
    if locale != "en":
        return _digits(abs(shown), decimals, measure.thousands, locale)
    return f"{abs(shown):,.{decimals}f}" if measure.thousands else f"{abs(shown):.{decimals}f}"


def _digits(value: float, decimals: int, thousands: bool, locale: str) -> str:
    """`value` with `decimals` places in the locale's symbols (grouped when `thousands`)."""
    from babel.numbers import format_decimal  # only for a pack in another language

    pattern = ("#,##0" if thousands else "0") + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


def _percent(number: str) -> str:
    """A number already written → a percentage in the locale's way: `6.2%`, `6,2 %`."""
    locale = LOCALE.get()
    if locale == "en":
        return number + "%"
    from babel import Locale  # only for a pack in another language

    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    return _NUMBER.sub(lambda _: number, pattern, count=1)


def format_percent(share: Fraction | float, decimals: int | None = None) -> str:
    """A share of 1 as a percentage: 0.3 → `30%`, 0.125 → `12.5%`."""
    value = denoise(float(share) * 100)
    places = fewest_decimals(value) if decimals is None else decimals
    locale = LOCALE.get()
    if locale != "en":
        return _percent(_digits(value, places, False, locale))
    return f"{value:.{places}f}%"


def format_points(points: Fraction | int, unit: Fraction = Fraction(1)) -> str:
    """Points as the scorecard shows them: whole (`15`), or to the tenth when `unit` is a tenth
    (`15.0`, `1.9`, `0.8`), so that the column's figures line up."""
    if unit >= 1:
        return str(round(points))
    locale = LOCALE.get()
    return f"{float(points):.1f}" if locale == "en" else _digits(float(points), 1, False, locale)


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
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    locale = LOCALE.get()
    return text if locale == "en" else _digits(value, len(text.split(".")[1]), False, locale)


def format_date(value: dt.date | None, pattern: str) -> str:
    """A date in the settings' `date_format` (a strftime pattern; default `14 Oct 2025`); ''
    for none. In another language, the locale's medium date: `14. Okt. 2025`, `14 oct. 2025`,
    `2025年10月14日` (a strftime pattern would write English month names)."""
    if not value:
        return ""
    locale = LOCALE.get()
    if locale == "en":
        return value.strftime(pattern)
    from babel.dates import format_skeleton  # only for a pack in another language

    return format_skeleton("yMMMd", value, locale=locale)
