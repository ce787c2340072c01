"""`PackView` → how each of the pack's tables lays out: its column widths, by the one rule of
`columns`, the rows tall enough to run on to the next page, and (in the PDF) where a scorecard
category continued on a new page is labelled again.

One function per table, each describing the table's columns as the pack prints them (text,
size, weight, what is kept whole) and returning its `Layout`. The PDF's templates write the
widths as `<col style="width: …%">` (through `PackWidths`, the templates' `widths`), the Word
sections pass the same tuple as the table grid, so a table is laid out alike in both formats,
on any page size and orientation. Adding a column to a table means adding it here too. The
sizes below are those of `templates/pack.css`; they only steer the measuring.

A scorecard category's heading row stands above its first KPI; when its KPIs run over a page,
the rows on the next page would have none. So the PDF is laid out, the KPI rows that open a page
are read back from the layout (each page's topmost anchor; every KPI row has the id `kpi-<n>`),
and when one of them continues a category the pack is laid out again with a heading row there,
labelled "Financial Performance (cont.)" (`category_cells`, `relayout`). The same layout shows
the tall rows that were cut badly: a cell of a split row that begins a page later than the row
(there was room at the page's foot for the row's ID but not for three lines of its text), read
from ids at the start of each such cell; those rows are then kept whole (`stranded`). A second
layout can move the breaks, so this repeats until they settle (at most `pdfjob.PASSES`
layouts); packs whose categories each fit a page and whose rows are cut well are laid out once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import NamedTuple

from ..present.agenda import DecisionRow
from ..present.scorecard import KpiRow
from ..present.summary import AttentionRow
from ..present.view import PackView
from ..present.wording import WORDS
from .balance import balanced
from .columns import (
    CHIP_PADDING,
    HEADER_SIZE,
    HEADER_WEIGHT,
    MM,
    PADDING,
    SLACK,
    Column,
    Text,
    column,
    fit,
    fits,
    lines,
)
from .fonts import advance
from .pdfjob import Pages

# paper (width, height) in millimetres, portrait, keyed as in `PackView.page_size`
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4), "A3": (297.0, 420.0),
            "Legal": (215.9, 355.6)}
SIDE_MARGINS = 30 * MM  # pack.css @page: 15 mm left and right
KPI_GRID_FIRST, KPI_GRID_QUARTER = 26, 9.25  # % of the text width: KPI column, each quarter
KPI_GRID_LEAST = 60  # % of the text width the grid takes at least (room for the KPI names)
HEAT_SHARE, HEAT_STACKED = 55, 70  # % of the text width: the heat map beside its notes, at most
HEAT_AXES = 13 * MM + 8 * MM  # pack.css: the two axis columns, and the gap before the notes
HEAT_CELL = 2.6 * MM + 2 * MM  # a heat cell's padding and the spacing between cells
HEAT_ID = 8.4  # `.heat-id`: bold
CHIP, SMALL_CHIP = 8.0, 7.2  # `.chip` and `.chip-sm` sizes (bold)
SMALL_CHIP_PADDING = 3 * MM + 1
NARROW_HEADER = 7.0  # points: table headings on a portrait page (pack.css `.narrow`)
TALL = 6  # lines: a row this tall may run on to the next page rather than move whole
SPARK_WIDTH, SPARK_GAP = 16.8 * MM, 1.2 * MM  # pack.css `.trend-cell svg.spark`


class Layout(NamedTuple):
    """A table's column widths (percent) and the rows (by index) tall enough to run on to the
    next page; every other row is kept whole on one page. `name` is the table's in `TABLES`
    (set by `PackWidths`): the split rows' cells carry ids `cut-<name>-<row>-<column>`."""

    widths: tuple[float, ...]
    splits: frozenset[int] = frozenset()
    name: str = ""
    breaks: frozenset[int] = frozenset()  # rows that open a new page (`balance.balanced`)


def _splits(widths: Sequence[float], table: float, columns: Mapping[int, Sequence[str]],
            size: float, padding: float = PADDING) -> frozenset[int]:
    """The rows whose text in `columns` (index → each row's text) takes `TALL` lines or more."""
    tall: set[int] = set()
    for index, texts in columns.items():
        inner = table * widths[index] / 100 - padding
        tall.update(row for row, text in enumerate(texts) if lines(text, inner, size) >= TALL)
    return frozenset(tall)


@cache
def text_width(page_size: str) -> float:
    """The width of the pack's text on a page of `page_size` ("A4 portrait"), in points."""
    paper, _, orientation = page_size.partition(" ")
    short, long = PAPER_MM[paper]
    return (long if orientation == "landscape" else short) * MM - SIDE_MARGINS


def _chips(words: list[str], size: float = CHIP) -> Text:
    extra = CHIP_PADDING if size == CHIP else SMALL_CHIP_PADDING
    return Text(words, size, 700, keep=True, extra=extra)


def attention(view: PackView) -> Layout:
    """# · Type · Item · Why it is here: the summary's first items, their names on one line."""
    return _attention(view, view.summary.shown)


def attention_all(view: PackView) -> Layout:
    """The same columns for Appendix A, every item: measured by the names as the summary
    shortens them, so that a long name takes more lines rather than the reasons' width."""
    return _attention(view, view.summary.listed)


def _attention(view: PackView, rows: Sequence[AttentionRow]) -> Layout:
    heads = WORDS.columns.attention
    return Layout(fit([
        column(heads[0], [str(e.number) for e in rows], 8.4, keep=True),
        column(heads[1], [f"{e.kind.upper()} {e.ref}".rstrip() for e in rows], 7.5, 700,
               keep=True),  # "DECISION D-02" on one line
        column(heads[2], [e.brief for e in rows], 8.4, 600),
        column(heads[3], [e.why for e in rows], 8.4),
    ], text_width(view.page_size)))


def narrow_page(view: PackView) -> bool:
    """A portrait page: the scorecard and the risk register are set in narrower type there
    (pack.css `.narrow`), and measured so."""
    return view.page_size.endswith("portrait")


def scorecard(view: PackView) -> Layout:
    """KPI · Owner · Target · Previous · Actual · Variance · Status · Weight · Points · Trend."""
    rows = view.kpis
    narrow = narrow_page(view)
    size, small = (7.8, 7.3) if narrow else (8.7, 8.0)
    heads = view.scorecard_headings
    header_size = NARROW_HEADER if narrow else HEADER_SIZE
    overrides = [f"{WORDS.set_by_hand} {k.computed.word}" for k in rows if k.computed]
    chip = SMALL_CHIP if narrow else CHIP
    spark = SPARK_WIDTH + SPARK_GAP if any(k.spark for k in rows) else 0.0
    changes = [k.change_label for k in rows]
    total = Text((view.score_change,), size, 700)  # the total row's "+3 vs Q2 2025"
    columns = [
        Column(heads[0], (Text([k.name for k in rows], size, 600, names=True),
                          Text([k.metric + (f" · {k.direction_note}" if k.direction_note else "")
                                for k in rows], 7.5))),
        column(heads[1], [k.owner or "—" for k in rows], small, names=True),
        column(heads[2], [k.target for k in rows], size, keep=True),
        column(heads[3], [k.previous for k in rows], size, keep=True),
        column(heads[4], [k.actual for k in rows], size, 600, keep=True),
        column(heads[5], [k.variance for k in rows], size, 600, keep=True),
        Column(heads[6], (_chips([k.status.word for k in rows] + [view.status.word], chip),
                          Text(overrides, SMALL_CHIP))),
        column(heads[7], [k.weight for k in rows] + [view.total_weight], size, keep=True),
        column(heads[8], [k.points + k.points_mark for k in rows] + [view.score_points], size,
               700, keep=True),
        Column(heads[9], (Text(changes, 7.8, keep=True, extra=spark), total)),
    ]
    columns = [replace(c, header_size=header_size) for c in columns]
    width = text_width(view.page_size)
    if spark and not fits(columns, width):  # a narrow page: the change goes under its line
        columns[9] = replace(columns[9], texts=(Text(changes, 7.8, keep=True),
                                                Text(("",), 7.8, keep=True, extra=spark),
                                                total))
    return Layout(fit(columns, width))


def _with_tall_rows(view: PackView, columns: Sequence[Column],
                    texts: Mapping[int, Sequence[str]], size: float) -> Layout:
    """A full-width table's layout, with the rows whose `texts` (column index → each row's
    text, at `size` points) make them tall enough to run on to the next page."""
    width = text_width(view.page_size)
    widths = fit(columns, width)
    return Layout(widths, _splits(widths, width, texts, size))


def risks(view: PackView) -> Layout:
    """ID · Risk · P · I · Score · Rating · Mitigation / sponsor action · Owner · Due · Trend."""
    rows = view.risks
    heads = WORDS.columns.risks
    size = 7.8 if narrow_page(view) else 8.5
    texts = {6: [r.mitigation for r in rows], 7: [r.owner or "—" for r in rows]}
    columns = [
        column(heads[0], [r.id for r in rows], size, 600),
        Column(heads[1], (Text([r.description for r in rows], size),
                          Text([r.category for r in rows], 7.5))),
        column(heads[2], [r.probability for r in rows], size, keep=True),
        column(heads[3], [r.impact for r in rows], size, keep=True),
        Column(heads[4], (Text([r.score for r in rows], size, 700, keep=True),
                          Text([r.target for r in rows], 7.5, keep=True))),
        Column(heads[5], (_chips([r.rating.word for r in rows],
                                 SMALL_CHIP if narrow_page(view) else CHIP),)),
        column(heads[6], texts[6], size),
        column(heads[7], texts[7], size, names=True),
        column(heads[8], [r.due or "—" for r in rows], size, keep=True),
        column(heads[9], [r.trend_label for r in rows], 8, keep=True),
    ]
    if narrow_page(view):
        columns = [replace(c, header_size=NARROW_HEADER) for c in columns]
    return Layout(fit(columns, text_width(view.page_size)))  # a risk is never split


def closed_risks(view: PackView) -> Layout:
    rows = view.closed_risks
    heads = WORDS.columns.closed_risks
    return Layout(fit([  # a risk is never split, closed or open
        column(heads[0], [r.id for r in rows], 9, 600),
        column(heads[1], [r.description for r in rows], 9),
        column(heads[2], [r.score for r in rows], 9, keep=True),
        column(heads[3], [r.owner for r in rows], 9, names=True),
        column(heads[4], [r.mitigation for r in rows], 9),
    ], text_width(view.page_size)))


def decisions_requested(view: PackView) -> Layout:
    """ID · Decision and recommendation · Owner · Due · Financial impact · Notes."""
    return _decisions(view, view.agenda.requested, WORDS.columns.decisions_requested)


def decisions_taken(view: PackView) -> Layout:
    """ID · Decision · Owner · Due · Financial impact · Notes."""
    return _decisions(view, view.agenda.taken, WORDS.columns.decisions_taken)


def decisions_earlier(view: PackView) -> Layout:
    return _decisions(view, view.agenda.earlier, WORDS.columns.decisions_taken)


def summary_decisions(view: PackView) -> Layout:
    """The summary page's decisions requested: `summary_fit.decisions_layout`, beside the fit
    of the page that it serves."""
    from .summary_fit import decisions_layout

    return decisions_layout(view)


def _decisions(view: PackView, rows: Sequence[DecisionRow], heads: Sequence[str]) -> Layout:
    """One of the decision tables: the widths shared by all three (they stand one under
    another on a page, so their columns line up), measured over every decision and both sets
    of headings; the tall rows of `rows`."""
    a = view.agenda
    every = (*a.requested, *a.taken, *a.earlier)
    other = WORDS.columns.decisions_taken
    columns = [replace(c, texts=(*c.texts, Text((extra,), HEADER_SIZE, HEADER_WEIGHT)))
               for c, extra in zip(_decision_columns(every, WORDS.columns.decisions_requested),
                                   other, strict=True)]
    width = text_width(view.page_size)
    widths = fit(columns, width)
    return Layout(widths, _splits(widths, width, _decision_texts(rows), 9))


def _decision_texts(rows: Sequence[DecisionRow]) -> dict[int, list[str]]:
    """The decision columns of free text, by index: those that can make a row tall."""
    return {1: ["\n".join(t for t in (d.text, d.recommendation and
                                      f"{WORDS.recommendation} {d.recommendation}", d.answers)
                          if t) for d in rows],
            2: [d.owner for d in rows], 4: [d.financial_impact for d in rows],
            5: [d.notes for d in rows]}


def _decision_columns(rows: Sequence[DecisionRow], heads: Sequence[str]) -> list[Column]:
    texts = _decision_texts(rows)
    return [
        column(heads[0], [d.id for d in rows], 9, 600),
        Column(heads[1], (Text([d.text for d in rows], 9, 600),
                          Text([f"{WORDS.recommendation} {d.recommendation}"
                                for d in rows if d.recommendation], 8.4),
                          Text([d.answers for d in rows if d.answers], 8.4, 600))),
        column(heads[2], texts[2], 9, names=True),
        Column(heads[3], (Text([d.due or "—" for d in rows], 9, keep=True),
                          Text([d.overdue for d in rows if d.overdue], 7.6, 700, keep=True))),
        column(heads[4], [d.financial_impact or "—" for d in rows], 9),
        column(heads[5], texts[5], 9),
    ]


def actions(view: PackView) -> Layout:
    """ID · Action · Owner · Due · Status · Notes."""
    rows = view.agenda.actions
    heads = WORDS.columns.actions
    texts = {1: [a.text for a in rows], 2: [a.owner for a in rows], 5: [a.notes for a in rows]}
    return _with_tall_rows(view, [
        column(heads[0], [a.id for a in rows], 9, 600),
        column(heads[1], texts[1], 9, 600),
        column(heads[2], texts[2], 9, names=True),
        Column(heads[3], (Text([a.due or "—" for a in rows], 9, keep=True),
                          Text([a.overdue for a in rows if a.overdue], 7.6, 700, keep=True))),
        Column(heads[4], (_chips([a.status for a in rows]),)),
        column(heads[5], texts[5], 9),
    ], texts, 9)


def kpi_grid_share(view: PackView) -> float:
    """The KPI-by-quarter grid's width in percent of the text width: eight quarters fill it,
    and with few quarters it still leaves the KPI names room."""
    return max(KPI_GRID_LEAST, KPI_GRID_FIRST + KPI_GRID_QUARTER * len(view.trend.points))


def heat_share(view: PackView) -> float:
    """The heat map's width in percent of the text width: wide enough for its widest risk ID in
    a cell; 100 when that leaves too little room beside it, and its notes go below it."""
    ids = [text for row in view.heatmap for cell in row
           for text in (*(mark.label for mark in cell.risks), *cell.was)]
    widest = max((advance(rid, HEAT_ID, 700) * SLACK + 1 for rid in ids), default=0.0)
    width = text_width(view.page_size)
    needed = 100 * (5 * (widest + HEAT_CELL) + HEAT_AXES) / width
    share = max(HEAT_SHARE, round(needed, 1))
    return share if share <= HEAT_STACKED else 100


def governance_share(view: PackView) -> int:
    """The governance table's width in percent of the text width: three quarters of a
    landscape page, the whole of a portrait one (where its addresses need the room)."""
    return 100 if narrow_page(view) else 75


def kpi_grid(view: PackView) -> Layout:
    """KPI · one column per quarter, each cell a value and its status word: side by side in
    every row when the page has the room for each pair, else the word under the value in every
    row (`kpi_grid_paired`), so that all rows are set alike."""
    return Layout(fit(*_kpi_grid_columns(view, kpi_grid_paired(view))))


def kpi_grid_paired(view: PackView) -> bool:
    """Whether the KPI-by-quarter grid sets each value and its status word side by side (the
    template's grid is `stacked` otherwise): when every pair fits its column and the KPI
    names still take at most two lines."""
    columns, width = _kpi_grid_columns(view, paired=True)
    if not fits(columns, width):
        return False
    names = width * fit(columns, width)[0] / 100 - PADDING
    return all(lines(row.kpi, names, 8.6, 600) <= 2 for row in view.trend.kpi_grid)


def _kpi_grid_columns(view: PackView, paired: bool) -> tuple[list[Column], float]:
    """The grid's columns, each value measured with its status word beside it (`paired`) or
    above it, and the grid's width in points."""
    trend = view.trend
    cells = [[row.cells[i] for row in trend.kpi_grid] for i in range(len(trend.points))]
    quarters = []
    for p, column_cells in zip(trend.points, cells, strict=True):
        shown = [(c.value, c.status.word) for c in column_cells if c] + [
            (str(p.score), p.status.word)]
        if paired:  # each value with its chip's width (and the gap before it) added
            texts: tuple[Text, ...] = tuple(
                Text([value for value, w in shown if w == word], 8.6, 700, keep=True,
                     extra=advance(word, SMALL_CHIP, 700) + SMALL_CHIP_PADDING + 1 * MM)
                for word in sorted({word for _, word in shown}))
        else:
            texts = (Text([value for value, _ in shown], 8.6, 700, keep=True),
                     _chips([word for _, word in shown], SMALL_CHIP))
        missing = Text([WORDS.empty.not_reported] * any(c is None for c in column_cells), 8.6)
        quarters.append(Column(p.quarter, (*texts, missing)))
    kpis = column(WORDS.columns.kpi_grid_first, [r.kpi for r in trend.kpi_grid], 8.6, 600,
                  names=True)
    return [kpis, *quarters], text_width(view.page_size) * kpi_grid_share(view) / 100


class PackWidths:
    """Every table's layout for one view, for the templates (`widths.risks` is
    `risks(view)`), each worked out when a template first asks for it. The rows in `whole`
    (`Cut`s: a laid-out PDF showed them cut badly, see `stranded`) are kept whole."""

    def __init__(self, view: PackView, whole: frozenset[Cut] = frozenset(),
                 breaks: frozenset[Cut] = frozenset()) -> None:
        self.view = view
        self.whole = whole
        self.breaks = breaks
        self.kpi_grid_share = kpi_grid_share(view)
        self.heat_share = heat_share(view)
        self.governance_share = governance_share(view)
        self.kpi_grid_paired = kpi_grid_paired(view)

    def __getattr__(self, table: str) -> Layout:
        if table not in TABLES:
            raise AttributeError(table)
        layout = TABLES[table](self.view)
        layout = layout._replace(name=table, splits=frozenset(
            row for row in layout.splits if Cut(table, row) not in self.whole),
            breaks=frozenset(cut.row for cut in self.breaks if cut.table == table))
        setattr(self, table, layout)
        return layout


TABLES: dict[str, Callable[[PackView], Layout]] = {
    "attention": attention, "attention_all": attention_all, "scorecard": scorecard,
    "risks": risks, "closed_risks": closed_risks, "decisions_requested": decisions_requested,
    "summary_decisions": summary_decisions,
    "decisions_taken": decisions_taken, "decisions_earlier": decisions_earlier,
    "actions": actions, "kpi_grid": kpi_grid,
}


# --- laid out again: categories continued on a new page, rows cut badly (the PDF) ----------------

ROW_ID = "kpi-"  # the scorecard row ids: kpi-0, kpi-1, … (pack.css and scorecard partial)
_CUT_ID = re.compile(r"cut-([a-z_]+)-(\d+)-\d+")  # a split row's cell: macros.html.j2 `cut`


class Cut(NamedTuple):
    """A row of one of the pack's tables: `TABLES` key, row index."""

    table: str
    row: int


def category_cells(kpis: Sequence[KpiRow],
                   continued: frozenset[int] = frozenset()) -> tuple[str | None, ...]:
    """For each scorecard row, the category heading above it: the category's name where the
    category starts, "Name (cont.)" where a row in `continued` opens a page in the middle of
    its category, None elsewhere."""
    cells: list[str | None] = []
    for index, row in enumerate(kpis):
        if row.first_in_category:
            cells.append(row.category)
        elif index in continued:
            cells.append(f"{row.category} {WORDS.continued}")
        else:
            cells.append(None)
    return tuple(cells)


def continued_rows(kpis: Sequence[KpiRow], tops: frozenset[str]) -> frozenset[int]:
    """The scorecard rows that open a page (`tops`: each page's topmost anchor) in the middle
    of their category."""
    rows = (int(name.removeprefix(ROW_ID)) for name in tops if name.startswith(ROW_ID)
            and name.removeprefix(ROW_ID).isdigit())
    return frozenset(i for i in rows if i < len(kpis) and not kpis[i].first_in_category)


def stranded(first: Mapping[str, int]) -> frozenset[Cut]:
    """The split rows one of whose cells starts a page later than the row: at the foot of a
    page there was room for a line of the ID but not for the three lines a cell keeps
    together (`orphans`), so that cell was left empty there, its text all on the next page.
    Such a row is better moved whole."""
    pages: dict[Cut, set[int]] = {}
    for name, page in first.items():
        match = _CUT_ID.fullmatch(name)
        if match:
            pages.setdefault(Cut(match[1], int(match[2])), set()).add(page)
    return frozenset(cut for cut, seen in pages.items() if len(seen) > 1)


Html = Callable[[frozenset[int], frozenset[Cut], frozenset[Cut]], str]


def relayout(kpis: Sequence[KpiRow], html: Html, risks: int = 0
             ) -> Callable[[Pages], str | None]:
    """What the PDF renderer asks after each layout: given where that layout put things, the
    pack's HTML laid out again with its continued categories labelled, its badly cut rows
    kept whole and the last pages of its risk register (`risks` rows) balanced
    (`html(continued, whole, breaks)`), or None when nothing changes. A row once kept whole
    stays whole, and a page once opened stays open."""
    used: tuple[frozenset[int], frozenset[Cut], frozenset[Cut]] = (
        frozenset(), frozenset(), frozenset())

    def again(pages: Pages) -> str | None:
        nonlocal used
        opened = frozenset(Cut("risks", row) for row in balanced(pages.first, risks))
        asked = (continued_rows(kpis, pages.tops), used[1] | stranded(pages.first),
                 used[2] | opened)
        if asked == used:
            return None
        used = asked
        return html(*asked)

    return again
