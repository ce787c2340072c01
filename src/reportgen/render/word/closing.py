"""The Word pack's closing sections: decisions and escalations (requested of this meeting, taken
since last quarter, decided before), the actions from the last review, governance, and the
appendix (the methodology in force and the provenance)."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain.text import right_to_left
from ...present.agenda import ActionRow, DecisionRow
from ...present.palette import PALETTE, hex_digits
from ...present.status import StatusView
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from ..columns import keep_name
from .looks import BOLD, facts, risk_bands, state_cell, status_cell
from .wordml import PLAIN, Cell, Look, Writer, cell, prose

OVERDUE = Look(bold=True, size=7.5, colour=hex_digits(PALETTE.worse))


def write_decisions(w: Writer, view: PackView) -> None:
    a, s = view.agenda, WORDS.sections
    w.heading(s.decisions)
    w.paragraph(a.decisions_lead)
    w.heading(s.decisions_requested, 2)
    if a.requested:
        _decisions(w, a.requested, WORDS.columns.decisions_requested,
                   widths.decisions_requested(view))
    else:
        w.paragraph(WORDS.empty.decisions_requested)
    for title, rows, layout in ((a.taken_title, a.taken, widths.decisions_taken),
                                (s.decisions_earlier, a.earlier, widths.decisions_earlier)):
        if rows:
            w.heading(title, 2)
            _decisions(w, rows, WORDS.columns.decisions_taken, layout(view))


def _decisions(w: Writer, rows: Sequence[DecisionRow], header: Sequence[str],
               layout: widths.Layout) -> None:
    w.table(layout.widths, [
        [cell(d.id, BOLD),
         Cell(((d.text, BOLD), *(((f"{WORDS.recommendation} {d.recommendation}", PLAIN),)
                                 if d.recommendation else ()),
               *(((d.answers, BOLD),) if d.answers else ())), rtl=right_to_left(d.text)),
         cell(keep_name(d.owner)), _due(d.due, d.overdue), cell(d.financial_impact or "—"),
         prose(d.notes)]
        for d in rows
    ], header=header, splits=layout.splits)


def write_actions(w: Writer, view: PackView) -> None:
    a = view.agenda
    w.heading(WORDS.sections.actions, new_page=not view.decisions)  # follows the decisions
    w.paragraph(a.actions_lead)
    layout = widths.actions(view)
    rows: Sequence[ActionRow] = a.actions
    w.table(layout.widths, [
        [cell(x.id, BOLD), prose(x.text, BOLD), cell(keep_name(x.owner)), _due(x.due, x.overdue),
         state_cell(x.status, x.state), prose(x.notes)]
        for x in rows
    ], header=WORDS.columns.actions, splits=layout.splits)


def _due(due: str, overdue: str) -> Cell:
    return Cell(((due or "—", PLAIN), *(((overdue, OVERDUE),) if overdue else ())))


def write_governance(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.governance, new_page=False)  # after the section before, as in the PDF
    facts(w, view.governance_facts, fraction=widths.governance_share(view) / 100)

RULE, RULE_BOLD = Look(size=8.5), Look(bold=True, size=8.5)  # the appendix's prose, as the PDF's


def write_appendix(w: Writer, view: PackView) -> None:
    """The methodology and provenance in two columns, as in the PDF: how KPIs are scored on the
    left; how risks are rated, the attention rule and the provenance on the right."""
    m, s, c = view.methodology, WORDS.sections, WORDS.columns
    w.heading(view.appendix_title, lettered=True)

    def scoring() -> None:
        w.heading(s.method_status, 2, new_page=False)
        for rule in m.status_rules:
            w.paragraph([("•  ", RULE), (rule.lead, RULE_BOLD), (f" {rule.text}", RULE)])
        w.heading(s.method_points, 2)
        w.paragraph([(m.points_rule, RULE)])
        w.table([1, 1.3], [[status_cell(status), cell(text)] for status, text in m.factors],
                header=c.factors)
        w.table([1, 1.3], [[status_cell(StatusView(b.label, b.label[0], b.css)), cell(b.rule)]
                           for b in m.overall_bands], header=c.overall_bands)

    def rating() -> None:
        w.heading(s.method_risks, 2, new_page=False)
        w.paragraph([(m.risk_rule, RULE)])
        risk_bands(w, view)
        w.heading(s.method_attention, 2)
        w.paragraph([(m.attention_rule, RULE)])
        w.heading(s.provenance, 2)
        facts(w, view.provenance_facts, fraction=1)

    def in_full() -> None:  # the risk texts the register trims, as in the PDF
        w.heading(s.risks_in_full, 2)
        for r in view.long_risks:
            w.paragraph([(r.id, BOLD), (f" {r.full_description or r.description}", PLAIN)])
            if r.full_mitigation:
                w.paragraph([(f"{c.risks[6]}:", BOLD), (f" {r.full_mitigation}", PLAIN)])

    w.columns([1, 1], scoring, rating)
    if view.long_risks:
        in_full()
