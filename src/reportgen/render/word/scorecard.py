"""The Word pack's scorecard and trend sections: `PackView` in, WordprocessingML out.

The scorecard as the PDF has it: the lead, a heading row per category, each KPI's row (with its
sparkline as a PNG with alternative text) kept with its commentary beneath, the Overall row and
the notes, in the columns `render.widths` gives both formats; the trend chart (a PNG with its
text alternative) and the KPI-by-quarter grid of values and status words; a first archived
quarter's trend is one paragraph on the page before.
"""

from __future__ import annotations

from ...present.palette import PALETTE, hex_digits
from ...present.scorecard import KpiRow, Subtotal
from ...present.trend import GridCell
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from ..charts.png import trend_alt_text
from ..charts.spark import spark_png
from ..columns import keep_name
from .looks import BOLD, MUTED, NOTE, STATUS_COLOURS, TILE, heading_size, move_look, status_cell
from .wordml import CM, PLAIN, Cell, Look, Writer, cell, prose

COMMENT = Look(size=7.5, colour=MUTED)
SUBTOTAL = Look(bold=True, size=8, colour=MUTED)
SPARK_WIDTH = round(1.6 * CM)  # twips; the height follows the sparkline's shape


def write_scorecard(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.scorecard)
    status = Look(bold=True, colour=hex_digits(PALETTE.solid[view.status.css]))
    w.paragraph([(f"{WORDS.score_lead[0]} ", PLAIN), (view.score, BOLD),
                 (f" {WORDS.score_lead[1]} ", PLAIN), (view.status.word, status),
                 (f"{WORDS.full_stop} {WORDS.kpis_lead} {view.kpi_counts}{WORDS.full_stop} "
                  f"{WORDS.points_note}", PLAIN)])
    w.paragraph(WORDS.variance_key, "caption")
    columns = len(view.scorecard_headings)
    rows: list[list[Cell]] = []
    kept: list[int] = []  # rows kept on the page of the next: a heading, a KPI with its comment
    starts: list[int] = []  # where each KPI's rows begin
    for row in view.kpis:
        starts.append(len(rows))
        if row.first_in_category:
            kept.append(len(rows))
            rows.append([cell(row.category, Look(bold=True, size=8.5, colour=w.primary),
                              fill=TILE, span=columns)])
        rows.append(_kpi_cells(row, view.branding.primary_colour, w.primary))
        if row.commentary:
            kept.append(len(rows) - 1)
            rows.append([prose(row.commentary, COMMENT, span=columns)])
        if row.subtotal:  # under the category's last KPI, on its page
            kept.append(len(rows) - 1)
            rows.append(_subtotal_cells(row.subtotal))
    # as in the PDF: the last three KPIs stay with the Overall row, and it with the notes below
    kept.extend(range(starts[-3] if len(starts) > 2 else 0, len(rows)))
    notes = view.scorecard_notes
    if notes:
        kept.append(len(rows))
    rows.append([
        cell(WORDS.score_row, BOLD, span=6), status_cell(view.status),
        cell(view.total_weight, BOLD, align="right"), cell(view.score_points, BOLD, align="right"),
        cell(view.score_change, BOLD),
    ])
    w.table(widths.scorecard(view).widths, rows, header=view.scorecard_headings, keep=kept,
            header_size=heading_size(view))
    for index, note in enumerate(notes):
        w.paragraph(note, "caption", keep_next=index < len(notes) - 1)


def _subtotal_cells(subtotal: Subtotal) -> list[Cell]:
    """A category's subtotal row: its label across the first seven columns, then its weight and
    points, as the PDF's `subtotal-row`."""
    return [cell(subtotal.label, SUBTOTAL, span=7, align="right"),
            cell(subtotal.weight, SUBTOTAL, align="right"),
            cell(subtotal.points, SUBTOTAL, align="right"), cell("", PLAIN)]


def _kpi_cells(row: KpiRow, line_colour: str, primary: str) -> list[Cell]:
    hint = row.metric + (f" · {row.direction_note}" if row.direction_note else "")
    note = f"{WORDS.set_by_hand} {row.computed.word}" if row.computed else ""
    change = row.change_label.replace(" ", "\u00a0")  # one unit: beside the line, or under it
    picture = None
    if row.spark is not None:  # then the change, on its right
        picture = (spark_png(row.spark, line_colour), SPARK_WIDTH, row.spark.alt)
        change = f"  {change}"
    colour = {"better": STATUS_COLOURS["green"][1], "worse": STATUS_COLOURS["red"][1]}
    variance = Look(bold=bool(row.variance_css), colour=colour.get(row.variance_css))
    return [Cell(((keep_name(row.name), BOLD), (hint, COMMENT))),
            cell(keep_name(row.owner or "—"), Look(size=8)),
            cell(row.target, align="right"), cell(row.previous, align="right"),
            cell(row.actual, BOLD, align="right"), cell(row.variance, variance, align="right"),
            status_cell(row.status, note), cell(row.weight, align="right"),
            cell(row.points + row.points_mark, BOLD, align="right"),
            Cell(((change, move_look(row.change_css, primary)),), picture=picture)]


def write_trend(w: Writer, view: PackView, png: bytes | None) -> None:
    trend = view.trend
    if trend.first_quarter:  # one paragraph: no chart or grid yet, and no page of its own
        w.heading(WORDS.sections.trend, new_page=False)
        w.paragraph(view.trend_lead)
        return
    w.heading(WORDS.sections.trend)
    w.paragraph(view.trend_lead)
    if png is not None:
        w.picture(png, min(w.width, 20 * CM), trend_alt_text(trend), name="Trend chart")
        w.paragraph(view.trend_caption, "caption", align="center")
    w.heading(WORDS.sections.kpi_grid, 2)
    quarters = [p.quarter for p in trend.points]
    rows = [[cell(keep_name(r.kpi), BOLD), *(_grid_cell(c) if c else
                                  cell(WORDS.empty.not_reported, NOTE, align="center")
                                  for c in r.cells)]
            for r in trend.kpi_grid]
    rows.append([cell(WORDS.trend_row, BOLD),
                 *(status_cell(p.status, align="center", score=str(p.score))
                   for p in trend.points)])
    w.table(widths.kpi_grid(view).widths, rows, header=(WORDS.columns.kpi_grid_first, *quarters),
            total=round(w.width * widths.kpi_grid_share(view) / 100), keep={len(rows) - 2})


def _grid_cell(c: GridCell) -> Cell:
    """A quarter's value above its status word, on the status colour."""
    fill, ink = STATUS_COLOURS[c.status.css]
    return Cell(((c.value, Look(bold=True, colour=ink)), (c.status.word, Look(size=7.5,
                                                                              colour=ink))),
                fill=fill, align="center")
