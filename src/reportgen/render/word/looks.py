"""The Word pack's look, shared by its sections: the palette's colours as WordprocessingML writes
them, the status and rating cells (colour and word, never colour alone), label/value tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...present.palette import PALETTE, hex_digits
from ...present.status import RatingView, StatusView
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from .wordml import HEADER_SIZE, Cell, Look, Writer, cell

# (fill, text) as WordprocessingML writes colours, from the one palette (present/palette.py)
STATUS_COLOURS = {css: (hex_digits(s.fill), hex_digits(s.ink))
                  for css, s in PALETTE.status.items()}
RATING_COLOURS = {css: (hex_digits(s.fill), hex_digits(s.ink))
                  for css, s in PALETTE.rating.items()}
TILE = hex_digits(PALETTE.faint)  # neutral fill of the summary tiles
INK = hex_digits(PALETTE.ink)
MUTED = hex_digits(PALETTE.muted)

BOLD = Look(bold=True)
NOTE = Look(size=8, colour=MUTED)

def status_cell(status: StatusView, note: str = "", align: str | None = None,
                score: str = "") -> Cell:
    """A status in its colour, its word always written (after `score`, when given)."""
    fill, ink = STATUS_COLOURS[status.css]
    lines = [(f"{score} {status.word}".strip(), Look(bold=True, colour=ink))]
    if note:
        lines.append((note, Look(size=7.5, colour=ink)))
    return Cell(tuple(lines), fill=fill, align=align)

def move_look(css: str, primary: str) -> Look:
    """A move since last quarter ("▲ Amber → Green", "▲ Up from 9") in the colour of its
    reading (`KpiRow.change_css`, `RiskRow.trend_css`), as pack.css's `.move-*`: better,
    worse (bold), new (the primary colour, bold), same (muted). `primary` is RRGGBB."""
    colour = {"better": hex_digits(PALETTE.better), "worse": hex_digits(PALETTE.worse),
              "new": primary}.get(css, MUTED)
    return Look(bold=css in ("worse", "new"), size=8, colour=colour)


def rating_cell(rating: RatingView) -> Cell:
    fill, ink = RATING_COLOURS[rating.css]
    return Cell(((rating.word, Look(bold=True, colour=ink)),), fill=fill)


def state_cell(word: str, state: str) -> Cell:
    """A decision's or action's state (`word`: "Open", "Erledigt") on the colour of `state`
    ("open", "done"), as the PDF's chip."""
    swatch = PALETTE.decision[state]
    return Cell(((word, Look(bold=True, colour=hex_digits(swatch.ink))),),
                fill=hex_digits(swatch.fill))

def facts(w: Writer, rows: Sequence[tuple[str, str]], fraction: float = 0.6,
           size: float | None = None) -> None:
    """A two-column table of labels and values (cover, governance, provenance)."""
    label, value = Look(bold=True, size=size, colour=MUTED), Look(size=size)
    w.table([1, 2.6], [[cell(key, label), cell(text or "—", value)] for key, text in rows],
            total=round(w.width * fraction), keep_together=True)

def risk_bands(w: Writer, view: PackView, fraction: float = 1) -> None:
    w.table([1, 1.3], [[rating_cell(RatingView(b.label, b.css)), cell(b.rule)]
                       for b in view.methodology.risk_bands], header=WORDS.columns.risk_bands,
            total=round(w.width * fraction), keep_together=True)


def heading_size(view: PackView) -> float:
    """The size of the scorecard's and the risk register's headings: smaller on a portrait page,
    as the PDF's are, for whose size their columns are measured."""
    return widths.NARROW_HEADER if widths.narrow_page(view) else HEADER_SIZE
