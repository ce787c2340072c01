"""The Word pack's risk section: `PackView` in, WordprocessingML out. The ranked risk register
(with each mitigation's due date and target score), in the columns `render.widths` gives both
formats; the 5×5 heat map with last quarter's moves marked as in the PDF, beside (or above) its
key and legend; and the closed risks."""

from __future__ import annotations

from ...domain.text import right_to_left
from ...present.risks import HeatCell, RiskRow
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from ..columns import keep_name
from .looks import (
    BOLD,
    MUTED,
    NOTE,
    RATING_COLOURS,
    heading_size,
    move_look,
    rating_cell,
    risk_bands,
)
from .wordml import CM, PLAIN, Cell, Look, Writer, cell, prose


def write_risks(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.risks)
    if view.risks:
        layout = widths.risks(view)
        w.table(layout.widths, [_risk_cells(r, w.primary) for r in view.risks],  # tall rows:
                header=WORDS.columns.risks, splits=layout.splits, last_kept=2,  # as in the PDF
                header_size=heading_size(view))
        w.paragraph(view.risk_key, "caption")
    else:
        w.paragraph(WORDS.empty.risks)
    w.heading(WORDS.sections.heat_map, 2)
    share = widths.heat_share(view)  # as in the PDF: beside its key, or above it when narrow
    if share < 100:
        w.columns([share, 100 - share], lambda: _heatmap(w, view), lambda: _heat_key(w, view))
    else:
        _heatmap(w, view)
        _heat_key(w, view)
    if view.closed_risks:
        w.heading(WORDS.sections.closed_risks, 2)
        layout = widths.closed_risks(view)
        w.table(layout.widths, [[cell(r.id, BOLD), prose(r.description),
                                 cell(r.score, align="right"), cell(keep_name(r.owner)),
                                 prose(r.mitigation)] for r in view.closed_risks],
                header=WORDS.columns.closed_risks, splits=layout.splits)


def _risk_cells(r: RiskRow, primary: str) -> list[Cell]:
    description = Cell(((r.description, PLAIN),) + (((r.category, NOTE),) if r.category else ()),
                       rtl=right_to_left(r.description))
    score = Cell(((r.score, BOLD),) + (((r.target, NOTE),) if r.target else ()), align="center")
    return [cell(r.id, BOLD), description, cell(r.probability, align="center"),
            cell(r.impact, align="center"), score, rating_cell(r.rating), prose(r.mitigation),
            cell(keep_name(r.owner or "—")), cell(r.due or "—"),
            cell(r.trend_label, move_look(r.trend_css, primary))]


def _heatmap(w: Writer, view: PackView) -> None:
    axis = Look(bold=True, colour=MUTED)
    rows: list[list[Cell]] = []
    for index, heat_row in enumerate(view.heatmap):
        side = cell(WORDS.heat_map.probability, axis,
                    merge="restart" if index == 0 else "continue", align="center", rotate=True)
        label = cell(str(heat_row[0].probability), axis, align="center")
        rows.append([side, label, *(_heat_cell(c) for c in heat_row)])
    rows.append([cell("", span=2), *(cell(str(i), axis, align="center") for i in range(1, 6))])
    rows.append([cell("", span=2), cell(WORDS.heat_map.impact, axis, align="center",
                                        span=5)])
    w.table([1.2, 0.6, 2.6, 2.6, 2.6, 2.6, 2.6], rows, total=min(w.width, 17 * CM), tiles=True,
            heights=[CM] * 5, keep_together=True)


def _heat_key(w: Writer, view: PackView) -> None:
    w.paragraph([(WORDS.heat_map.bands, BOLD)], keep_next=True)
    risk_bands(w, view)
    w.paragraph(WORDS.heat_key, "caption")
    for line in view.heat_legend:
        w.paragraph(line, "caption")


def _heat_cell(c: HeatCell) -> Cell:
    """As the PDF's cell: rating and score, the risks in it (with their moves), then in italics
    those that sat here last quarter. IDs as small as the PDF's, so SR-2025-0001 fits whole."""
    fill, ink = RATING_COLOURS[c.rating.css]
    lines = [(c.tag, Look(bold=True, size=7, colour=ink))]
    if c.risks:
        lines.append((", ".join(mark.label for mark in c.risks),
                      Look(bold=True, size=8.5, colour=ink)))
    if c.was:
        lines.append((", ".join(c.was), Look(italic=True, size=7.5, colour=ink)))
    return Cell(tuple(lines), fill=fill)
