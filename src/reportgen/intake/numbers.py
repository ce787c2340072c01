"""Numbers in: workbook text (`5%`, `$2.0M`, `+50`) and Excel number formats → `Measure`.

A `Measure` keeps the value and how the workbook showed it, so that `present.format` can show
it the same way (docs/workbook.md#numbers-and-formats).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..domain.exact import denoise
from ..domain.model import Measure

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


@lru_cache(maxsize=4096, typed=True)  # typed: 50 and 50.0 must not share a Measure
def measure_from_cell(value: float, number_format: str | None) -> Measure:
    """A numeric cell and its Excel number format → Measure (General → fewest exact decimals,
    with thousands separators: 1,250,000, as a reader takes it in at a glance).

    Measures are immutable and a portfolio repeats its targets, thresholds and weights on
    every partnership, so equal cells share one."""
    look = _format_look(number_format or "General")
    if look is None:
        return Measure(value=denoise(value), thousands=True)
    percent, decimals, prefix, suffix, plus, thousands, scale = look
    return Measure(denoise(value), percent, decimals, prefix, suffix, plus, thousands, scale)


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
        elif ch == " ":
            target.append(ch)
        i += 1
    return _spaced("".join(out_before), before=True), _spaced("".join(out_after), before=False)


def _spaced(text: str, *, before: bool) -> str:
    """An affix without padding, keeping the space the format puts between it and the digits
    after a word (`[$USD] #,##0` shows `USD 1,234`) and before any suffix (`#,##0.00 [$€-407]`
    shows `1,234.50 €`); a symbol before the digits stays tight to them (`€3`), as typed text
    reads (`_prefix`)."""
    word = text.strip()
    if not word:
        return ""
    if before:
        return word + " " if text.endswith(" ") and word.isalpha() else word
    return " " + word if text.startswith(" ") else word
