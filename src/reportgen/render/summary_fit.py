"""`PackView` → the same view with its executive summary fitted to one page: every decision
requested stays on it in full, and the attention items under them give way, the last first.

The summary page holds the title, the headline, the tiles, the decisions requested (all of them,
never shortened: docs/pack.md#the-executive-summary) and then the first of the other attention
items. Their heights are estimated here from the pack's font widths (`columns.lines`) and the
sizes of `templates/pack.css`, a little generously, since LibreOffice and Word set the Word
pack's Arial a little looser than WeasyPrint sets Inter. As many items as the room left holds
are shown (at most the `attention_limit` the view was built with); the rest are counted in "and
N more — see Appendix A". Both renderers call `fit_summary`, so the PDF and the Word pack show
the same items. Fitting a fitted view changes nothing. Should the decisions alone need more than
the page (a dozen decisions of several paragraphs each), the summary shows no attention item and
runs on to a second page rather than leave a decision out or cut one short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..present.summary import AttentionRow
from ..present.view import PackView
from .columns import MM, lines
from .widths import (
    PAPER_MM,
    SUMMARY_SIZE,
    attention,
    decision_lines,
    inner_widths,
    summary_decisions,
    text_width,
)

PAGE_MARGINS = (17 + 14) * MM  # pack.css @page: top and bottom
TITLE = 18 * 1.15 + 3.5 * MM  # the h1 and its margin
HEADLINE_SIZE, HEADLINE_LEADING = 10.0, 1.35  # `.headline p`
HEADLINE_INDENT = 5.2 * MM  # its rule and padding on the left
HEADLINE_GAPS = 1 * MM  # between its sentences
HEADLINE_AFTER = 3.5 * MM + 0.6 * MM
TILES = 33 * MM  # the tiles' row: label, score and status, five counts
HEADING = 11.5 * 1.25 + 4.2 * MM  # an h2 with its margins (`.summary h2`)
LEADING = 1.22  # `.summary .grid td`
ROW_PADDING = 1.6 * MM + 0.5  # a row's padding above and below, and its rule
HEADER_ROW = 7.6 * 1.3 + ROW_PADDING  # a table's heading row, on one line
TABLE_AFTER = 2 * MM
SAFETY = 1.0  # the PDF sets the longest; LibreOffice and Word set the Word pack shorter (measured)
SPARE = 4 * MM  # kept free at the page's foot


def fit_summary(view: PackView) -> PackView:
    """`view` with as many attention items on the summary page as fit under its decisions."""
    summary = view.summary
    room = body_height(view) - _top(view) - decisions_height(view) - HEADING - SPARE
    count = summary.shown_count
    while count > 0 and _attention_height(view, summary.listed[:count],
                                          count < len(summary.listed)) > room:
        count -= 1
    if count == summary.shown_count:
        return view
    return replace(view, summary=replace(summary, shown_count=count))


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
    headline = (count * HEADLINE_SIZE * HEADLINE_LEADING
                + HEADLINE_GAPS * max(len(sentences) - 1, 0) + HEADLINE_AFTER)
    return TITLE + headline * SAFETY + TILES


def decisions_height(view: PackView) -> float:
    """The decisions requested, with their heading; 0 when there are none."""
    decisions = view.summary.decisions
    if not decisions:
        return 0.0
    inner = inner_widths(view, summary_decisions(view).widths)
    total = HEADING + HEADER_ROW + TABLE_AFTER
    for d in decisions:
        total += decision_lines(d, inner) * SUMMARY_SIZE * LEADING * SAFETY + ROW_PADDING
    return total


def _attention_height(view: PackView, rows: Sequence[AttentionRow], more: bool) -> float:
    """The attention table of `rows` (and its "and N more" row)."""
    inner = inner_widths(view, attention(replace(view, summary=replace(
        view.summary, listed=tuple(rows), shown_count=len(rows)))).widths)
    total = HEADER_ROW + TABLE_AFTER
    for e in rows:
        count = max(lines(f"{e.kind.upper()} {e.ref}".rstrip(), inner[1], 7.5, 700),
                    lines(e.brief, inner[2], SUMMARY_SIZE, 600), lines(e.why, inner[3]))
        total += count * SUMMARY_SIZE * LEADING * SAFETY + ROW_PADDING
    if more:
        total += SUMMARY_SIZE * LEADING * SAFETY + ROW_PADDING
    return total
