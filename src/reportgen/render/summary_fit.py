"""`PackView` → the same view with its executive summary fitted to one page: every decision
requested stays on it in full, and the attention items under them give way, the last first.

The summary page holds the title, the headline, the tiles, the decisions requested (all of them,
never shortened: docs/pack.md#the-headline) and then the first of the other attention items;
when fewer of those fit than the view asks for, their reasons are shortened to their first
clause ("Red: 51% vs 95% target", without "; Green in Q2 2025") if that lets more of them fit.
Their heights are estimated here from the pack's font widths (`columns.lines`) and the sizes of
`templates/pack.css`; measured against laid-out packs, the estimate runs 2-10% over the PDF's
layout, which is the longer of the two (LibreOffice sets the Word pack's smaller Arial shorter). As
many items as the room left holds are shown (at most the `attention_limit` the view was built
with); the rest are counted in "and N more — see Appendix A". Both renderers call `fit_summary`, so
the PDF and the Word pack show the same items. Fitting a fitted view changes nothing. Should the
decisions alone need more than the page (a dozen decisions of several paragraphs each), the summary
shows no attention item and runs on to a second page rather than leave a decision out or cut one
short.

The decisions' table is laid out here too (`decisions_layout`, the templates' and the Word
pack's `widths.summary_decisions`): the one rule's widths, then the split between the decision
and its owner and financial impact that makes the table shortest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from ..present.agenda import DecisionRow
from ..present.language import gettext
from ..present.summary import AttentionRow
from ..present.view import PackView
from ..present.wording import WORDS
from .columns import MM, PADDING, Column, Text, column, fit, lines
from .widths import PAPER_MM, Layout, attention, text_width

SUMMARY_SIZE, SUMMARY_SMALL = 8.4, 7.8  # pack.css `.summary .grid td`, `.summary .recommendation`

PAGE_MARGINS = (17 + 14) * MM  # pack.css @page: top and bottom
TITLE = 18 * 1.15 + 3.5 * MM  # the h1 and its margin
HEADLINE_SIZE, HEADLINE_LEADING = 10.0, 1.35  # `.headline p`
HEADLINE_INDENT = 5.2 * MM  # its rule and padding on the left
HEADLINE_GAPS = 1 * MM  # between its sentences
HEADLINE_AFTER = 3.5 * MM + 0.6 * MM
TILES = 33 * MM  # the tiles' row: label, score and status, five counts
TILES_NARROW = 42 * MM  # on a portrait page, where their labels and notes take more lines
FIRST_QUARTER = 8 * MM  # and more there when the change tile says "First archived quarter"
HEADING = 11.5 * 1.25 + 4.2 * MM  # an h2 with its margins (`.summary h2`)
LEADING = 1.22  # `.summary .grid td`
ROW_PADDING = 1.6 * MM + 0.5  # a row's padding above and below, and its rule
HEADER_ROW = 7.6 * 1.3 + ROW_PADDING  # a table's heading row, on one line
TABLE_AFTER = 2 * MM
# Word sets a line holding East Asian text in the Noto CJK face's own line height, about a fifth
# taller than Inter's (the PDF's CSS line height is fixed, so this only makes room)
CJK_LEADING = 1.2
SAFETY = 1.03  # the PDF sets the longest; LibreOffice sets the Word pack shorter (measured)
SPARE = 4 * MM  # kept free at the page's foot


def fit_summary(view: PackView) -> PackView:
    """`view` with as many attention items on the summary page as fit under its decisions."""
    summary = view.summary
    room = body_height(view) - _top(view) - decisions_height(view) - HEADING - SPARE
    count = _fitting(view, summary.listed, summary.shown_count, room)
    if count == summary.shown_count:
        return view
    brief = tuple(replace(row, why=short_reason(row.why)) for row in summary.listed)
    if (fewer := _fitting(view, brief, summary.shown_count, room)) > count:
        return replace(view, summary=replace(summary, listed=brief, shown_count=fewer))
    return replace(view, summary=replace(summary, shown_count=count))


def _taller(*texts: str) -> float:
    """`CJK_LEADING` for a line holding East Asian text (a Japanese pack's words), else 1."""
    wide = any(ord(c) > 0x2E7F and unicodedata.east_asian_width(c) in "WF"
               for text in texts for c in text)
    return CJK_LEADING if wide else 1.0


def short_reason(why: str) -> str:
    """A reason without its second thoughts: "Red: 51% vs 95% target" of "Red: 51% vs 95%
    target; Green in Q2 2025", "due 30 Sep 2025, 14 days overdue" of "…; owner Marcus Lee"."""
    return why.split(gettext("; ").strip() or "; ")[0].rstrip()  # " ; " in French, "。" …


def _fitting(view: PackView, rows: Sequence[AttentionRow], most: int, room: float) -> int:
    """How many of `rows` (at most `most`) fit in `room` points."""
    count = most
    while count > 0 and _attention_height(view, rows[:count], count < len(rows)) > room:
        count -= 1
    return count


def body_height(view: PackView) -> float:
    """The height of a page's text, in points."""
    paper, _, orientation = view.page_size.partition(" ")
    short, long = PAPER_MM[paper]
    return (short if orientation == "landscape" else long) * MM - PAGE_MARGINS


def _top(view: PackView) -> float:
    """The title, the headline and the tiles."""
    width = text_width(view.page_size) - HEADLINE_INDENT
    sentences = view.summary.headline
    count = sum(lines(s, width, HEADLINE_SIZE, 600 if i == 0 else 400)
                for i, s in enumerate(sentences))
    headline = (count * HEADLINE_SIZE * HEADLINE_LEADING * _taller(*sentences)
                + HEADLINE_GAPS * max(len(sentences) - 1, 0) + HEADLINE_AFTER)
    tiles = TILES if not view.page_size.endswith("portrait") else (
        TILES_NARROW + (0 if view.score_delta else FIRST_QUARTER))
    return TITLE + headline * SAFETY + tiles


def decisions_height(view: PackView) -> float:
    """The decisions requested, with their heading; 0 when there are none."""
    decisions = view.summary.decisions
    if not decisions:
        return 0.0
    inner = inner_widths(view, decisions_layout(view).widths)
    total = HEADING + HEADER_ROW + TABLE_AFTER
    for d in decisions:
        total += (decision_lines(d, inner) * SUMMARY_SIZE * LEADING * _taller(d.text, d.answers)
                  * SAFETY + ROW_PADDING)
    return total


def _attention_height(view: PackView, rows: Sequence[AttentionRow], more: bool) -> float:
    """The attention table of `rows` (and its "and N more" row)."""
    inner = inner_widths(view, attention(replace(view, summary=replace(
        view.summary, listed=tuple(rows), shown_count=len(rows)))).widths)
    total = HEADER_ROW + TABLE_AFTER
    for e in rows:
        count = max(lines(f"{e.kind.upper()} {e.ref}".rstrip(), inner[1], 7.5, 700),
                    lines(e.brief, inner[2], SUMMARY_SIZE, 600), lines(e.why, inner[3]))
        total += (count * SUMMARY_SIZE * LEADING * _taller(e.kind, e.brief, e.why) * SAFETY
                  + ROW_PADDING)
    if more:
        total += SUMMARY_SIZE * LEADING * SAFETY + ROW_PADDING
    return total


# --- the decisions' table on the summary page ------------------------------------------------

def decisions_layout(view: PackView) -> Layout:
    """ID · Decision and recommendation · Owner · Due · Financial impact: the summary page's
    decisions requested, in its smaller type, never split (`render.summary_fit` makes room).
    The one rule's widths, then as much of the decision's width given to the owner and the
    financial impact as makes the table shortest: the page holds every decision."""
    rows, heads = view.summary.decisions, WORDS.columns.summary_decisions
    width = text_width(view.page_size)
    widths = fit([
        column(heads[0], [d.id for d in rows], SUMMARY_SIZE, 600),
        Column(heads[1], (Text([d.text for d in rows], SUMMARY_SIZE, 600),
                          Text([f"{WORDS.recommendation} {d.recommendation}"
                                for d in rows if d.recommendation], SUMMARY_SMALL),
                          Text([d.answers for d in rows if d.answers], SUMMARY_SMALL))),
        column(heads[2], [d.owner or "—" for d in rows], SUMMARY_SIZE, names=True),
        Column(heads[3], (Text([d.due or "—" for d in rows], SUMMARY_SIZE, keep=True),
                          Text([d.overdue for d in rows if d.overdue], 7.6, 700, keep=True))),
        column(heads[4], [d.financial_impact or "—" for d in rows], SUMMARY_SIZE),
    ], width)

    def height(shares: tuple[float, ...]) -> float:
        return sum(decision_lines(d, inner_widths(view, shares)) for d in rows)

    steps = range(0, 13, 2)  # percent of the width moved from the decision to each column
    moved = [(a, b) for a in steps for b in steps if widths[1] - a - b >= widths[1] * 0.6]
    best = min(moved, key=lambda ab: (height(_moved(widths, *ab)), ab[0] + ab[1]))
    return Layout(_moved(widths, *best))


def _moved(widths: tuple[float, ...], owner: float, impact: float) -> tuple[float, ...]:
    """The summary's decision widths with `owner` and `impact` percent moved from the decision
    to the owner and the financial impact."""
    return (widths[0], round(widths[1] - owner - impact, 2), round(widths[2] + owner, 2),
            widths[3], round(widths[4] + impact, 2))


def inner_widths(view: PackView, shares: Sequence[float]) -> list[float]:
    """Each column's width for its text, in points: for counting a cell's lines."""
    width = text_width(view.page_size)
    return [width * share / 100 - PADDING for share in shares]


def decision_lines(d: DecisionRow, inner: Sequence[float]) -> float:
    """How tall a decision's row is on the summary page, in lines of its type (`inner`: each
    column's width for its text, in points): the tallest of its cells."""
    text = lines(d.text, inner[1], SUMMARY_SIZE, 600) + sum(
        lines(extra, inner[1], SUMMARY_SMALL) * SUMMARY_SMALL / SUMMARY_SIZE + 0.15
        for extra in (f"{WORDS.recommendation} {d.recommendation}" if d.recommendation
                      else "", d.answers) if extra)
    return max(text, lines(d.id, inner[0], SUMMARY_SIZE, 600),
               lines(d.owner or "—", inner[2], SUMMARY_SIZE), 1 + bool(d.overdue),
               lines(d.financial_impact or "—", inner[4], SUMMARY_SIZE))
