"""The Word pack's executive summary, on one page as the PDF's: the headline, the tiles (score and
status, change, KPIs by status, open risks by rating, decisions and actions), every decision
requested in full, and the first other items of the attention list with "and N more — see
Appendix A"; and Appendix A, the whole list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...domain.text import right_to_left
from ...present.agenda import DecisionRow
from ...present.palette import PALETTE, hex_digits
from ...present.summary import AttentionRow
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from ..columns import keep_name
from .closing import OVERDUE
from .looks import INK, MUTED, RATING_COLOURS, STATUS_COLOURS, TILE
from .wordml import WHITE, Cell, Look, Writer, cell

_MARKS = {mark: hex_digits(PALETTE.status[mark].fill) for mark in ("red", "amber")}
KIND = Look(bold=True, size=7, colour=MUTED, caps=True)  # "Action A-02", in capitals as the PDF's
SMALL, SMALL_BOLD = Look(size=8), Look(bold=True, size=8)
DETAIL, DETAIL_BOLD = Look(size=7.5), Look(bold=True, size=7.5)  # recommendation, risks answered


def write_summary(w: Writer, view: PackView) -> None:
    s, t = view.summary, WORDS.tiles
    w.heading(WORDS.sections.summary)
    # one paragraph, a sentence a line: no paragraph spacing between them
    w.paragraph([(("\n" if index else "") + sentence, Look(bold=index == 0, size=10))
                 for index, sentence in enumerate(s.headline)])
    big, small, label = Look(bold=True, size=18), Look(size=8), Look(bold=True, size=7.5,
                                                                      colour=MUTED)
    change: tuple[tuple[str, Look], ...]
    if view.score_delta:
        change = ((view.score_delta, big),
                  (f"{t.points_vs} {view.previous_quarter_label}", small), (s.change_note, small))
    else:
        change = ((t.first_quarter, Look(bold=True, size=12)), (t.first_quarter_note, small))
    status_fill = hex_digits(PALETTE.solid[view.status.css])

    def counts(pairs: Sequence[tuple[str, str, str | None]]) -> Cell:
        return Cell(tuple((f"{n}  {word}", Look(bold=True, size=9, colour=ink))
                          for n, word, ink in pairs), fill=TILE)

    labels = [cell(t.score.upper(), label, fill=TILE, span=2),
              cell(t.change.upper(), label, fill=TILE),
              cell(f"{t.kpis.upper()} ({len(view.kpis)})", label, fill=TILE),
              cell(f"{t.risks.upper()} ({len(view.risks)})", label, fill=TILE),
              cell(t.agenda.upper(), label, fill=TILE)]
    values = [
        Cell(((view.score, big), (t.out_of, small)), fill=TILE),
        Cell(((view.status.word.upper(), Look(bold=True, size=13, colour=WHITE)),),
             fill=status_fill, align="center"),
        Cell(tuple((text, replace(look, colour=INK)) for text, look in change), fill=TILE),
        counts([(str(n), st.word, STATUS_COLOURS[st.css][1]) for st, n in view.status_counts]),
        counts([(str(n), r.word, _rating_ink(r.css)) for r, n in s.risk_counts]),
        counts([(str(n), words, INK) for n, words in s.agenda_counts]),
    ]
    w.table([1.3, 1.2, 2.0, 1.7, 1.7, 2.0], [labels, values], tiles=True, keep_together=True)

    if s.decisions:
        w.heading(WORDS.sections.decisions_requested, 2, outline=False)
        _decisions(w, s.decisions, widths.summary_decisions(view))
    w.heading(WORDS.sections.attention, 2, outline=False)
    if s.shown:
        attention_table(w, s.shown, widths.attention(view), brief=True, more=s.more)
    else:
        w.paragraph(s.more or WORDS.empty.attention)


def _decisions(w: Writer, rows: Sequence[DecisionRow], layout: widths.Layout) -> None:
    """Every decision requested, in full, as the PDF's summary shows them: the decision, its
    recommendation and the risks it answers; owner; due (and how overdue); financial impact."""
    w.table(layout.widths, [
        [cell(d.id, SMALL_BOLD),
         Cell(((d.text, SMALL_BOLD),
               *(((f"{WORDS.recommendation} {d.recommendation}", DETAIL),) if d.recommendation
                 else ()),
               *(((d.answers, DETAIL_BOLD),) if d.answers else ())), rtl=right_to_left(d.text)),
         cell(keep_name(d.owner) or "—", SMALL),
         Cell(((d.due or "—", SMALL), *(((d.overdue, OVERDUE),) if d.overdue else ()))),
         cell(d.financial_impact or "—", SMALL)]
        for d in rows
    ], header=WORDS.columns.summary_decisions)


def write_attention_appendix(w: Writer, view: PackView) -> None:
    """Appendix A: the whole attention list, with the rule that ranks it."""
    w.heading(WORDS.sections.attention_appendix, lettered=True)
    w.paragraph(view.methodology.attention_rule, space_before=0)
    attention_table(w, view.summary.listed, widths.attention_all(view), brief=False)


def attention_table(w: Writer, rows: Sequence[AttentionRow], layout: widths.Layout, *,
                    brief: bool, more: str = "") -> None:
    """The list as a table; `more` ("and 3 more — see Appendix A") is its last row, as in the
    PDF, which takes less of the page than a paragraph after it."""
    body = [[cell(str(e.number), SMALL, align="right", fill=_MARKS.get(e.mark)),
             cell(f"{e.kind} {e.ref}".rstrip(), KIND),
             cell(e.brief if brief else e.name, SMALL_BOLD), cell(e.why, SMALL)]
            for e in rows]
    if more:
        body.append([cell(more, Look(bold=True, size=8, colour=MUTED), span=4)])
    w.table(layout.widths, body, header=WORDS.columns.attention)


def _rating_ink(css: str) -> str:
    """The rating's colour as text on a light tile: its fill when that is dark (Critical),
    else its ink."""
    fill, ink = RATING_COLOURS[css]
    return fill if ink == WHITE else ink
