"""Numbers in and out: workbook text and Excel number formats → `Measure`, `Measure` → pack text.

This is the one place numbers are formatted, so the PDF, the Word pack, the terminal and the
email can never disagree.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

from .model import Measure

_CURRENCY = "$€£¥"
_NUMBER_TEXT = re.compile(
    r"^(?P<sign>[+-])?\s*(?P<prefix>[$€£¥]|[A-Z]{3}\s)?\s*(?P<sign2>[+-])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<suffix>%|[kKmMbB]n?|[A-Za-z]{1,3})?$"
)


def parse_number_text(text: str) -> Measure | None:
    """`5%` → 0.05 (percent), `$2.0M` → 2.0 with prefix `$`, suffix `M`; `+50`, `99.95 %`, `1,200`.

    Returns None when the text is not a number. The value keeps the text's own scale: `$2.0M`
    is 2.0 (the metric column says "$M"), not two million.
    """
    cleaned = text.strip().replace("\u2212", "-").replace("\u00a0", " ")
    match = _NUMBER_TEXT.match(cleaned)
    if not match or (match["sign"] and match["sign2"]):
        return None
    digits = match["num"]
    try:
        number = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None
    sign = match["sign"] or match["sign2"] or ""
    if sign == "-":
        number = -number
    suffix = match["suffix"] or ""
    percent = suffix == "%"
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = number / 100 if percent else number
    return Measure(
        value=float(value),
        percent=percent,
        decimals=decimals,
        prefix=_prefix(match["prefix"] or ""),
        suffix="" if percent else suffix,
        plus=sign == "+",
        thousands="," in digits,
    )


def _prefix(raw: str) -> str:
    """`$` stays tight to the digits; a currency code keeps its space: `EUR 3`."""
    text = raw.strip()
    return f"{text} " if text.isalpha() else text


_QUOTED = re.compile(r'"([^"]*)"')


@lru_cache(maxsize=4096)
def measure_from_cell(value: float, number_format: str | None) -> Measure:
    """A numeric cell and its Excel number format → Measure (General → fewest exact decimals).

    Measures are immutable and a portfolio repeats its targets, thresholds and weights on
    every partnership, so equal cells share one."""
    look = _format_look(number_format or "General")
    if look is None:
        return Measure(value=_clean(value))
    percent, decimals, prefix, suffix, plus, thousands, scale = look
    return Measure(_clean(value), percent, decimals, prefix, suffix, plus, thousands, scale)


@lru_cache(maxsize=512)
def _format_look(number_format: str) -> tuple[bool, int, str, str, bool, bool, int] | None:
    """How a number format shows a number: (percent, decimals, prefix, suffix, plus sign,
    thousands separator, thousands scaled away); None for General and text formats.
    A workbook uses a handful of formats, so each is worked out once."""
    fmt = number_format.split(";")[0]
    if fmt.strip().lower() in {"general", "@", ""}:
        return None
    literal_free = _QUOTED.sub("", fmt)
    literal_free = re.sub(r"\\.", "", literal_free)
    literal_free = re.sub(r"\[[^\]]*\]", "", literal_free)
    if not re.search(r"[0#?]", literal_free):
        return None
    percent = "%" in literal_free
    body = re.search(r"[#0?,]*[0#?](?:\.[0#?]+)?,*", literal_free)
    decimals = 0
    thousands = False
    scale = 0
    if body:
        token = body.group(0)
        scale = len(token) - len(token.rstrip(","))
        core = token.rstrip(",")
        thousands = "," in core
        if "." in core:
            decimals = len(core.split(".")[1])
    prefix, suffix = _affixes(fmt)
    return (percent, decimals, prefix.lstrip("+"), suffix.replace("%", ""),
            prefix.startswith("+"), thousands, scale)


def _affixes(fmt: str) -> tuple[str, str]:
    """Literal text before and after the digits of a format section."""
    out_before: list[str] = []
    out_after: list[str] = []
    seen_digit = False
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        target = out_after if seen_digit else out_before
        if ch == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) if end < 0 else end
            target.append(fmt[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(fmt):
            target.append(fmt[i + 1])
            i += 2
            continue
        if ch == "[":
            end = fmt.find("]", i)
            inner = fmt[i + 1 : end] if end > 0 else ""
            if inner.startswith("$"):
                target.append(inner[1:].split("-")[0])
            i = (end + 1) if end > 0 else len(fmt)
            continue
        if ch in "0#?.,":
            seen_digit = True
        elif ch in _CURRENCY or ch in "+-":
            target.append(ch)
        elif ch in "_*":
            i += 2
            continue
        i += 1
    return "".join(out_before).strip(), "".join(out_after).strip()


def _clean(value: float) -> float:
    """Strip binary noise (0.1 + 0.2) without changing any value a person typed."""
    if len(repr(value)) < 17:  # short repr: no noise to strip (the common case, kept cheap)
        return value
    return float(f"{value:.12g}")


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
    shown = _clean(shown)
    decimals = measure.decimals if measure.decimals is not None else fewest_decimals(shown)
    magnitude = f"{abs(shown):,.{decimals}f}" if measure.thousands else f"{abs(shown):.{decimals}f}"
    sign = "−" if shown < 0 and float(magnitude.replace(",", "")) != 0 else (
        "+" if measure.plus and shown > 0 else ""
    )
    text = f"{sign}{measure.prefix}{magnitude}{measure.suffix}"
    return text + "%" if measure.percent else text


def format_percent(share: Fraction | float, decimals: int | None = None) -> str:
    """A share of 1 as a percentage: 0.3 → `30%`, 0.125 → `12.5%`."""
    value = _clean(float(share) * 100)
    places = fewest_decimals(value) if decimals is None else decimals
    return f"{value:.{places}f}%"


def format_signed(delta: int) -> str:
    """Score change with an explicit sign: `+3`, `−5`, `0`."""
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"−{-delta}"
    return "0"
