"""The Word pack's scorecard and trend sections: the KPI table with its Overall row and the
commentary, the trend chart (a PNG with its text alternative) and the KPI-by-quarter grid."""

from __future__ import annotations

from collections.abc import Sequence

from ...present.palette import PALETTE, hex_digits
from ...present.scorecard import KpiRow
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from ..charts.png import trend_alt_text
from .looks import BOLD, NOTE, status_cell
from .wordml import CM, PLAIN, Cell, Look, Writer, cell

KEPT_CATEGORY = 6  # a category of up to this many KPIs is kept on one page


def write_scorecard(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.scorecard)
    status = Look(bold=True, colour=hex_digits(PALETTE.solid[view.status.css]))
    w.paragraph([(f"{WORDS.score_lead[0]} ", PLAIN), (view.score, BOLD),
                 (f" {WORDS.score_lead[1]} ", PLAIN), (view.status.word, status),
                 (f". {WORDS.kpis_lead} {view.kpi_counts}. {WORDS.points_note}", PLAIN)])
    rows = [_kpi_cells(row) for row in view.kpis]
    rows.append([
        cell(WORDS.score_row, BOLD, span=5), status_cell(view.status),
        cell(view.total_weight, BOLD, align="right"), cell(view.score, BOLD, align="right"),
        cell(view.score_change, BOLD),
    ])
    *columns, change = WORDS.columns.scorecard
    if view.previous_quarter_label:
        change = f"{change} vs {view.previous_quarter_label}"
    w.table(widths.scorecard(view).widths, rows, header=(*columns, change),
            keep=_kept(view.kpis))
    if not view.previous_quarter_label:
        w.paragraph(WORDS.empty.no_previous, "caption")
    if view.commentary:
        w.heading(WORDS.sections.commentary, 2)
        layout = widths.commentary(view)
        w.table(layout.widths, [[cell(row.name, BOLD), cell(row.owner), cell(row.commentary)]
                                for row in view.commentary],
                header=WORDS.columns.commentary, splits=layout.splits)


def _kept(kpis: Sequence[KpiRow]) -> set[int]:
    """The rows kept with the row after them: the last, with the total row; and every row of
    a short category but its last, so that a category Word cannot label again on the next
    page (its cell spans its rows) does not run over one."""
    kept = {len(kpis) - 1}
    for start, row in enumerate(kpis):
        if 1 < row.category_span <= KEPT_CATEGORY:
            kept.update(range(start, start + row.category_span - 1))
    return kept

def _kpi_cells(row: KpiRow) -> list[Cell]:
    if row.category_span:
        category = cell(row.category, BOLD, merge="restart" if row.category_span > 1 else None)
    else:
        category = cell("", merge="continue")
    note = f"{WORDS.set_by_hand} {row.computed.word}" if row.computed else ""
    name = Cell(((row.name, BOLD),) + (((row.direction_note, NOTE),) if row.direction_note
                                       else ()))
    return [category, name, cell(row.metric), cell(row.target, align="right"),
            cell(row.actual, align="right"), status_cell(row.status, note),
            cell(row.weight, align="right"), cell(row.points, align="right"),
            cell(row.change_label)]

def write_trend(w: Writer, view: PackView, png: bytes | None) -> None:
    w.heading(WORDS.sections.trend)
    trend = view.trend
    w.paragraph(view.trend_lead)
    if png is not None:
        w.picture(png, min(w.width, 20 * CM), trend_alt_text(trend), name="Trend chart")
        w.paragraph(view.trend_caption, "caption", align="center")
    w.heading(WORDS.sections.kpi_grid, 2)
    quarters = [p.quarter for p in trend.points]
    rows = [[cell(r.kpi, BOLD), *(status_cell(s, align="center") if s else
                                  cell(WORDS.empty.not_reported, NOTE, align="center")
                                  for s in r.cells)]
            for r in trend.kpi_grid]
    rows.append([cell(WORDS.trend_row, BOLD),
                 *(status_cell(p.status, align="center", score=str(p.score))
                   for p in trend.points)])
    w.table(widths.kpi_grid(view).widths, rows, header=(WORDS.columns.kpi_grid_first, *quarters),
            total=round(w.width * widths.kpi_grid_share(view) / 100), keep={len(rows) - 2})
