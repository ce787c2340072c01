"""Numbers written back: `Measure`s, shares and score changes → the text every output shows.

The one place numbers are formatted, so validation messages, the PDF, the Word pack, the
terminal and the e-mail can never disagree: `5%`, `6.2%`, `$2.0M`, `99.95%`, `+55`, `4.0`, the
way the workbook showed them (docs/workbook.md#numbers-and-formats).
"""

from __future__ import annotations

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
    shown = measure.value * 100 if measure.percent else measure.value / 1000**measure.scale
    shown = denoise(shown)
    decimals = measure.decimals if measure.decimals is not None else fewest_decimals(shown)
    magnitude = f"{abs(shown):,.{decimals}f}" if measure.thousands else f"{abs(shown):.{decimals}f}"
    sign = "−" if shown < 0 and float(magnitude.replace(",", "")) != 0 else (
        "+" if measure.plus and shown > 0 else ""
    )
    text = f"{sign}{measure.prefix}{magnitude}{measure.suffix}"
    return text + "%" if measure.percent else text


def format_percent(share: Fraction | float, decimals: int | None = None) -> str:
    """A share of 1 as a percentage: 0.3 → `30%`, 0.125 → `12.5%`."""
    value = denoise(float(share) * 100)
    places = fewest_decimals(value) if decimals is None else decimals
    return f"{value:.{places}f}%"


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
