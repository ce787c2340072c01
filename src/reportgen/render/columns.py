"""A table's contents → its column widths: the one rule both formats size their tables by.

Each column is described by what it holds (`Column`: its heading, its cells' text, their size
and weight, whether a cell may wrap at all). `fit` measures that text with the shipped font's
widths (`render.fonts.advance`) and shares the table's width out the way a careful typesetter
would:

1. every column is at least as wide as its widest unbreakable token, so no word, number, ID or
   heading is split inside itself; a cell that is kept whole (a number, a date, a status chip)
   counts as one token, and so does what a word joiner holds together (a quarter label,
   `domain.text.unbroken`);
2. a token wider than a third of the table is not allowed to widen its column further: such a
   word breaks (after a hyphen where it has one, else where it must); a hyphenated compound of
   up to 15 characters ("co-branded", "Asia-Pacific") is one token, which the renderers keep
   whole (`keep_compounds`), while a longer one may break after any of its hyphens;
3. the width left over goes to the columns in proportion to how much wider than that minimum
   their longest line is, so long free text gets the width and short columns keep theirs;
4. when the minimums do not fit (a narrow page), the widest tokens are cut down until they do,
   and those words break; when even what is kept whole does not fit, every column shrinks in
   proportion.

The result is a tuple of percentages adding up to 100, which the PDF writes as `<col>` widths
and the Word pack as its table grid, so both lay a table out alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.text import NO_BREAK_SPACE as NO_BREAK_SPACE
from ..domain.text import WIDE_CHARACTERS
from ..domain.text import WORD_JOINER as WORD_JOINER
from ..domain.text import unspaced as unspaced
from .fonts import advance

MM = 72 / 25.4  # points per millimetre
PADDING = 3 * MM  # a cell's padding, left and right together (1.5 mm each side in both packs)
HEADER_SIZE, HEADER_WEIGHT = 7.8, 600  # table headings (pack.css `.grid thead th`)
CHIP_PADDING = 4 * MM + 1  # a status chip's padding and border, both sides (pack.css `.chip`)
LONGEST_TOKEN = 1 / 3  # no single token may claim more of the table's width than this
SLACK = 1.04  # measured widths are raised by 4% and a point: kerning and rounding differ
WHOLE_SLACK = 1.1  # and a line kept whole by 10% more: Word sets it in Arial, whose symbols
                   # (▲ ▼ → ≥) come from wider fallback fonts
_WIDE = WIDE_CHARACTERS
_PIECE = f"[{_WIDE}]|[^\\s{_WIDE}{WORD_JOINER}]+"  # a wide character breaks on either side,
# but not where a word joiner holds it to its neighbour ("2025年第2四半期" made `unbroken`)
_TOKEN = re.compile(f"{WORD_JOINER}*(?:{_PIECE})(?:{WORD_JOINER}+(?:{_PIECE}))*{WORD_JOINER}*")
_HYPHEN = re.compile(r"(?<=-)(?=[^\W\d_])")  # where a compound may break: after a hyphen
SHORT_COMPOUND = 15  # characters: a hyphenated word this long is kept whole, never hyphen-broken
SHORT_HEADING = 6  # characters: a table heading this short is one word (`keep_heading`)
_COMPOUND = re.compile(r"[^\s-]+(?:-[^\s-]+)+")
_DIGIT = re.compile(r"\d")
_UNIT_AFTER = re.compile(r"(?<=\d) (?=(?:pp|bn|[A-Z]{1,3}|[€$£¥%])(?![\w]))")
_UNIT_BEFORE = re.compile(r"(?<=\b[A-Z]{3}) (?=[−+-]?\d)")


@dataclass(frozen=True)
class Text:
    """Lines of one look in a column: each cell's text ("\\n" between lines set one under
    another), its size in points and weight, and whether a line is set whole, never wrapped."""

    lines: Sequence[str]
    size: float = 8.5
    weight: int = 400
    keep: bool = False  # numbers, dates, chips
    extra: float = 0.0  # points added to every line (a chip's padding)
    names: bool = False  # names (`keep_name`): a word in CJK is one token, not one a character


@dataclass(frozen=True)
class Column:
    """One column: its heading and what its cells hold."""

    header: str
    texts: Sequence[Text] = field(default_factory=tuple)
    header_size: float = HEADER_SIZE


def column(header: str, cells: Sequence[str], size: float = 8.5, weight: int = 400, *,
           keep: bool = False, extra: float = 0.0, names: bool = False) -> Column:
    """A column whose cells all have one look."""
    return Column(header, (Text(cells, size, weight, keep, extra, names),))


def fit(columns: Sequence[Column], width: float, padding: float = PADDING) -> tuple[float, ...]:
    """The columns' widths in percent of `width` (points), adding up to 100."""
    measured = [_measure(c) for c in columns]
    room = width - padding * len(columns)
    least = _least(measured, room)
    lines = [max(m.line, low) for m, low in zip(measured, least, strict=True)]
    if sum(least) >= room:  # not even the least widths fit: each shrinks in proportion
        content = least
    elif sum(lines) <= room:  # every cell fits on one line: the rest in proportion
        content = [line * room / sum(lines) for line in lines]
    else:  # as few lines as can be in the column that needs most: text gets the width
        content = _balanced(least, lines, room)
    return _percentages([c + padding for c in content])


def fits(columns: Sequence[Column], width: float, padding: float = PADDING) -> bool:
    """Whether `width` points hold every column's widest word and widest line kept whole, side
    by side, so that nothing need break."""
    measured = [_measure(c) for c in columns]
    return sum(max(m.token, m.whole) for m in measured) <= width - padding * len(columns)


def _balanced(least: Sequence[float], lines: Sequence[float], room: float) -> list[float]:
    """Widths no smaller than `least` that set each column's longest line in the same number
    of lines, as far as the least widths allow, filling `room`."""
    def widths(count: float) -> list[float]:
        return [max(low, line / count) for low, line in zip(least, lines, strict=True)]

    low, high = 1.0, max(line / low for low, line in zip(least, lines, strict=True) if low)
    for _ in range(40):  # the fewest lines that fit, to a fraction of a line
        middle = (low + high) / 2
        low, high = (low, middle) if sum(widths(middle)) <= room else (middle, high)
    content = widths(high)
    spare = room - sum(content)
    wrapping = [c if c < line else 0.0 for c, line in zip(content, lines, strict=True)]
    share = wrapping if sum(wrapping) else content  # the width left to those that still wrap
    return [c + spare * s / sum(share) for c, s in zip(content, share, strict=True)]


@dataclass(frozen=True)
class _Measured:
    token: float  # the widest token
    whole: float  # the widest line that is kept whole
    line: float  # the longest line


def _least(measured: Sequence[_Measured], room: float) -> list[float]:
    """Each column's least width (padding aside) within `room` points: its widest token, no
    token counting for more than a third of the table; failing that, the widest tokens are
    cut down to what fits (they will break)."""
    def floors(cap: float) -> list[float]:
        return [max(min(m.token, cap), m.whole) for m in measured]

    cap = room * LONGEST_TOKEN
    if sum(floors(cap)) <= room:
        return floors(cap)
    low, high = 0.0, cap
    for _ in range(30):  # the largest cap that fits, to a fraction of a point
        middle = (low + high) / 2
        low, high = (middle, high) if sum(floors(middle)) <= room else (low, middle)
    return floors(low)


def _measure(column: Column) -> _Measured:
    """The widths that matter of the column's text, in points, its heading included."""
    texts = (Text((column.header,), column.header_size, HEADER_WEIGHT,
                  names=len(column.header) <= SHORT_HEADING), *column.texts)
    token = whole = line_width = 0.0
    for text in texts:
        for cell in text.lines:
            for line in cell.split("\n"):
                wide = _width(line, text.size, text.weight) + text.extra
                line_width = max(line_width, wide)
                if text.keep:
                    whole = max(whole, wide * WHOLE_SLACK)
                    continue
                for piece in line.split() if text.names else _TOKEN.findall(line):
                    parts = _HYPHEN.split(piece) if len(piece) > SHORT_COMPOUND else (piece,)
                    token = max(token, 0.0, *(_width(p, text.size, text.weight) for p in parts))
    return _Measured(token, whole, line_width)


def _width(text: str, size: float, weight: int) -> float:
    if not text:
        return 0.0
    figures = _DIGIT.sub("0", text)  # the pack sets tabular figures: each as wide as a 0
    return advance(figures, size, weight) * SLACK + 1


def _percentages(shares: Sequence[float]) -> tuple[float, ...]:
    """Shares as percentages to two decimals, the last one taking the rounding."""
    total = sum(shares)
    rounded = [round(100 * s / total, 2) for s in shares]
    rounded[-1] = round(100 - sum(rounded[:-1]), 2)
    return tuple(rounded)


def keep_compounds(text: str) -> str:
    """`text` with a word joiner after each hyphen of a compound of up to 15 characters
    ("Asia-Pacific"), so a line never breaks inside it: the column widths make room for it
    whole. A longer compound keeps its hyphens as the places where it may break."""
    return _COMPOUND.sub(_joined, text) if "-" in text else text


def keep_heading(text: str) -> str:
    """A table heading of up to `SHORT_HEADING` characters ("得点", "Status") set whole, as a
    name is: in Japanese or Chinese it would otherwise break inside its one word (得 / 点). Its
    column is made as wide as it (`_measure`); a longer heading may wrap."""
    return keep_name(text) if len(text) <= SHORT_HEADING else text


def keep_name(text: str) -> str:
    """A person's or a KPI's name with its words made unbreakable, for both renderers: a word
    joiner between the letters of a word in a script written without spaces between words
    (田中 美咲 and สมชาย ใจดี break only at their space, never inside 田中 or ใจดี). The
    column widths make room for its widest word (`Text.names`); a compound of more than 15
    characters may still break after a hyphen ("Whitfield-" / "Montgomery"), as everywhere
    (`keep_compounds`). The PDF also sets such a word in a no-wrap span (`html._nobreak`)."""
    return " ".join(_name_word(word) for word in text.split(" "))


def _name_word(word: str) -> str:
    """A word in a script written without spaces between words (CJK, Thai, Lao, Khmer,
    Myanmar) with a word joiner before each of its letters: never inside a letter and its marks
    (ใจดี keeps its vowel signs on their consonants)."""
    if not unspaced(word):
        return word
    return "".join(c if i == 0 or unicodedata.category(c).startswith("M") else WORD_JOINER + c
                   for i, c in enumerate(word))


def unbreakable(text: str) -> str:
    """Any text either renderer sets: its short compounds and its figures' units kept whole
    (`keep_compounds`, `keep_units`)."""
    return keep_units(keep_compounds(text))


def keep_units(text: str) -> str:
    """`text` with the space between a figure and its unit made non-breaking ("+1.2 pp",
    "2.5 M", "1,234.50 €", "USD 1,234"), so a unit never starts a line of its own."""
    return _UNIT_AFTER.sub(NO_BREAK_SPACE, _UNIT_BEFORE.sub(NO_BREAK_SPACE, text))


def _joined(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if len(word) > SHORT_COMPOUND else word.replace("-", "-" + WORD_JOINER)


def break_before_held(text: str, width: float, size: float, weight: int = 400) -> str:
    """`text` with a line break before its first word of a script written without spaces
    that word joiners hold whole ("前回" / "（2025年第2四半期）", `domain.text.unbroken`), when
    the text is wider than `width` points (padding aside): Word and LibreOffice break Japanese
    between any two letters, joiners or not, where the PDF keeps to them and breaks there
    itself. `fit` makes the column as wide as such a word, so it fits the line it starts."""
    if lines(text, width, size, weight) < 2:
        return text
    for match in _TOKEN.finditer(text):
        word, start = match.group(0), match.start()
        if WORD_JOINER in word.strip(WORD_JOINER) and unspaced(word) and start \
                and not text[start - 1].isspace():
            return f"{text[:start]}\n{text[start:]}"
    return text


def tokens(text: str) -> list[str]:
    """The pieces of `text` that must never be split: words, numbers, IDs, each wide
    (CJK) character on its own."""
    return _TOKEN.findall(text)


def lines(text: str, width: float, size: float = 8.5, weight: int = 400) -> int:
    """About how many lines `text` takes in a column `width` points wide (padding aside),
    wrapped at spaces."""
    width = max(width, 1.0)
    space = _width(" ", size, weight) - 1
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for token in _TOKEN.findall(paragraph):
            wide = _width(token, size, weight)
            if used and used + space + wide > width:
                count, used = count + 1, 0.0
            if wide > width:  # a token wider than the column breaks where it must
                count, used = count + int(wide // width), wide % width
            else:
                used += (space if used else 0.0) + wide
    return count
