"""The Word pack's scorecard and trend sections: the KPI table with its Overall row and the
commentary, the trend chart (a PNG with its text alternative) and the KPI-by-quarter grid."""

from __future__ import annotations

from ...present.scorecard import KpiRow
from ...present.view import PackView
from ...present.wording import WORDS
from ..charts.png import trend_alt_text
from .looks import BOLD, NOTE, status_cell
from .wordml import CM, Cell, Writer, cell


def write_scorecard(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.scorecard)
    rows = [_kpi_cells(row) for row in view.kpis]
    rows.append([
        cell("Overall", BOLD, span=5), status_cell(view.status), cell(view.total_weight, BOLD,
                                                                       align="right"),
        cell(view.score, BOLD, align="right"), cell(view.score_delta or "—", BOLD),
    ])
    *columns, change = WORDS.columns.scorecard
    if view.previous_quarter_label:
        change = f"{change} vs {view.previous_quarter_label}"
    w.table([2.2, 3.6, 1.4, 1.2, 1.2, 1.9, 1.0, 1.0, 1.9], rows, header=(*columns, change))
    if not view.previous_quarter_label:
        w.paragraph(WORDS.empty.no_previous, "caption")
    if view.commentary:
        w.heading(WORDS.sections.commentary, 2)
        w.table([3, 2, 8], [[cell(row.name, BOLD), cell(row.owner), cell(row.commentary)]
                            for row in view.commentary], header=WORDS.columns.commentary)

def _kpi_cells(row: KpiRow) -> list[Cell]:
    if row.category_span:
        category = cell(row.category, BOLD, merge="restart" if row.category_span > 1 else None)
    else:
        category = cell("", merge="continue")
    note = f"{WORDS.set_by_hand} {row.computed.word}" if row.computed else ""
    change = f"{row.change} {row.change_text}" if row.change else "—"
    return [category, cell(row.name), cell(row.metric), cell(row.target, align="right"),
            cell(row.actual, align="right"), status_cell(row.status, note),
            cell(row.weight, align="right"), cell(row.points, align="right"),
            cell(change)]

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
    rows.append([cell("Overall", BOLD), *(status_cell(p.status, f"score {p.score}", align="center")
                                           for p in trend.points)])
    w.table([3.2] + [1.0] * len(quarters), rows, header=(WORDS.columns.kpi_grid_first, *quarters),
            total=min(w.width, (7 + 2.6 * len(quarters)) * CM))
