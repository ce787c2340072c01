"""Where a laid-out PDF put a tall-rowed table's rows → the rows to open a new page at, so that
its last page is not left with one or two rows and white space below them.

A risk is never split, and the register's rows are tall (four or five to a page), so keeping
its last rows together (CSS `break-before: avoid`) can only move the whole group on, leaving the
page before it with a row or two. A typesetter balances the last pages instead: the rows of the
last two pages are shared out evenly between them, or, when that would still leave a page with
fewer than three, those of the last three. The renderer reads each row's page from the first
layout (every register row has the id `risk-<n>`) and lays the pack out again with a page break
before the rows `balanced` names (`render.widths.relayout`). When the heat map, which follows
the register, shares the last rows' page, that page is not left empty, and nothing moves.
"""

from __future__ import annotations

from collections.abc import Mapping

RISK_ID = "risk-"  # the register's row ids: risk-0, risk-1, … (the risks partial)
HEAT_MAP_ID = "heat-map"  # the heading that opens the heat map, after the register
FEWEST = 3  # rows a table's last page should hold when it holds nothing after them
SPREAD = 3  # pages at most over which the last rows are shared out


def balanced(first: Mapping[str, int], count: int, prefix: str = RISK_ID,
             after: str = HEAT_MAP_ID) -> frozenset[int]:
    """The rows (by index, of `count` with ids `<prefix><n>`) to start a page at, given each
    id's page in a layout (`first`), so that the table's last pages share its last rows
    evenly; none when the last page holds `FEWEST` rows or more, or the element `after` the
    table shares it."""
    pages = [first.get(f"{prefix}{row}") for row in range(count)]
    known = [page for page in pages if page is not None]
    if count < 2 or len(known) < count:
        return frozenset()
    last = known[-1]
    if known.count(last) >= FEWEST or first.get(after) == last:
        return frozenset()
    spread = sorted(set(known))
    for size in range(2, min(SPREAD, len(spread)) + 1):
        start = known.index(spread[-size])
        share, extra = divmod(count - start, size)
        sizes = [share + (1 if n < extra else 0) for n in range(size)]
        if share >= FEWEST or size == min(SPREAD, len(spread)):
            starts, at = [], start
            for rows in sizes[:-1]:
                at += rows
                starts.append(at)
            return frozenset(starts)
    return frozenset()
