"""Where the PDF's pages break → what the next layout repeats: a scorecard category that runs
on to a new page is labelled there again, "Financial Performance (cont.)".

The category cell spans its KPIs' rows; when the rows run over a page, the cell shows on the
first page only. So the PDF is laid out, the KPI rows that open a page are read back from the
layout (`page_tops`: each page's topmost anchor; every KPI row has the id `kpi-<n>`), and
when one of them continues a category the pack is laid out again with the category's cell
split there (`category_cells`). A second layout can move the breaks, so this repeats until
they settle (at most `PASSES` layouts); packs whose categories each fit a page are laid out
once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..present.scorecard import KpiRow
from ..present.wording import WORDS

PASSES = 3
ROW_ID = "kpi-"  # the scorecard row ids: kpi-0, kpi-1, … (pack.css and scorecard partial)


@dataclass(frozen=True)
class CategoryCell:
    """The category cell that opens at a scorecard row: its label and how many rows it spans."""

    label: str
    span: int
    continued: bool  # opens on a new page, in the middle of its category


def category_cells(kpis: Sequence[KpiRow],
                   continued: frozenset[int] = frozenset()) -> tuple[CategoryCell | None, ...]:
    """For each scorecard row, the category cell opening there (None where the one above
    goes on). A row in `continued` opens a page: its category is labelled there again."""
    cells: list[CategoryCell | None] = []
    start = 0
    for index, row in enumerate(kpis):
        if row.category_span:
            start = index
        end = start + kpis[start].category_span
        if row.category_span or index in continued:
            stops = [i for i in continued if index < i < end]
            span = (min(stops) if stops else end) - index
            label = row.category if row.category_span else (
                f"{kpis[start].category} {WORDS.continued}")
            cells.append(CategoryCell(label, span, not row.category_span))
        else:
            cells.append(None)
    return tuple(cells)


def continued_rows(kpis: Sequence[KpiRow], tops: frozenset[str]) -> frozenset[int]:
    """The scorecard rows that open a page (`tops`: each page's topmost anchor) in the middle
    of their category."""
    rows = (int(name.removeprefix(ROW_ID)) for name in tops if name.startswith(ROW_ID)
            and name.removeprefix(ROW_ID).isdigit())
    return frozenset(i for i in rows if i < len(kpis) and not kpis[i].category_span)


def relayout(kpis: Sequence[KpiRow],
             html: Callable[[frozenset[int]], str]) -> Callable[[frozenset[str]], str | None]:
    """What the PDF renderer asks after each layout: given that layout's page tops, the pack's
    HTML laid out again with its continued categories labelled, or None when they are already."""
    used: frozenset[int] = frozenset()

    def again(tops: frozenset[str]) -> str | None:
        nonlocal used
        continued = continued_rows(kpis, tops)
        if continued == used:
            return None
        used = continued
        return html(continued)

    return again
