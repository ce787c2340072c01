"""The Word pack's executive summary: the score tiles, the changes since last quarter, the
attention list, the top risks and the open decisions (as the PDF's summary page)."""

from __future__ import annotations

from dataclasses import replace

from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from .looks import BOLD, INK, MUTED, STATUS_COLOURS, TILE, rating_cell
from .wordml import CM, PLAIN, Cell, Look, Writer, cell


def write_summary(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.summary)
    big, small = Look(bold=True, size=22), Look(size=8)
    if view.score_delta:
        change = ((view.score_delta, big), (f"points since {view.previous_quarter_label}", small))
    else:
        change = (("—", big), ("first archived quarter: nothing to compare yet", small))
    tiles = [  # label, value lines, fill, text colour
        ("Overall score", ((view.score, big), ("out of 100", small)), TILE, INK),
        ("Overall status", ((view.status.word, big),), *STATUS_COLOURS[view.status.css]),
        ("Change since last quarter", change, TILE, INK),
        *((f"{status.word} KPIs", ((str(count), big),), *STATUS_COLOURS[status.css])
          for status, count in view.status_counts),
    ]
    labels = [cell(label, replace(small, colour=ink), fill=fill) for label, _, fill, ink in tiles]
    values = [Cell(tuple((text, replace(look, colour=ink)) for text, look in lines), fill=fill)
              for _, lines, fill, ink in tiles]
    w.table([1.4, 1.4, 2.0, 1, 1, 1, 1], [labels, values], tiles=True, keep_together=True)
    if view.changes:  # as the PDF's change tile, in one paragraph: the page keeps its panels
        shown = [*view.changes_in_brief, *([view.changes_more] if view.changes_more else [])]
        w.paragraph([(f"Since {view.previous_quarter_label}: ", BOLD),
                     ("  ·  ".join(shown), PLAIN)], space_before=round(0.3 * CM))

    w.heading(WORDS.sections.attention, 2)
    if view.exceptions:
        w.table(widths.attention(view).widths, [
            [cell(str(n), align="right"),
             Cell(((e.kind, Look(bold=True, size=7.5, colour=MUTED, caps=True)),
                   *(((e.ref, BOLD),) if e.kind != "KPI" else ()))),
             cell(e.name, BOLD), cell(e.reason)]
            for n, e in enumerate(view.exceptions, start=1)
        ], header=WORDS.columns.attention)
    else:
        w.paragraph(WORDS.empty.attention)
    if widths.paired(view):  # side by side, as in the PDF
        share = widths.PAIR_SHARE
        w.columns([share, 1 - share], lambda: _top_risks(w, view),
                  lambda: _open_decisions(w, view))
    else:
        _top_risks(w, view)
        _open_decisions(w, view)

def _top_risks(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.top_risks, 2)
    if view.top_risks:
        w.table(widths.top_risks(view).widths, [
            [cell(r.id, BOLD), cell(r.description), cell(r.score, align="right"),
             rating_cell(r.rating), cell(r.trend_label)] for r in view.top_risks
        ], header=WORDS.columns.top_risks)
    else:
        w.paragraph(WORDS.empty.top_risks)

def _open_decisions(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.open_decisions, 2)
    if view.open_decisions:
        w.table(widths.open_decisions(view).widths,
                [[cell(d.id, BOLD), cell(d.text), cell(d.owner), cell(d.due or "—")]
                 for d in view.open_decisions], header=WORDS.columns.open_decisions)
    else:
        w.paragraph(WORDS.empty.open_decisions)
