"""The Word pack's closing sections: decisions and escalations, governance, and the appendix
(the methodology in force and the provenance)."""

from __future__ import annotations

from ...present.status import StatusView
from ...present.view import PackView
from ...present.wording import WORDS
from .. import widths
from .looks import BOLD, facts, risk_bands, status_cell
from .wordml import PLAIN, Writer, cell


def write_decisions(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.decisions)
    w.paragraph(view.decisions_lead)
    layout = widths.decisions(view)
    w.table(layout.widths, [
        [cell(d.id, BOLD), cell(d.text, BOLD), cell(d.owner), cell(d.due or "—"),
         cell(d.status, BOLD if d.status == "Open" else PLAIN), cell(d.notes)]
        for d in view.decisions
    ], header=WORDS.columns.decisions, splits=layout.splits)

def write_governance(w: Writer, view: PackView) -> None:
    w.heading(WORDS.sections.governance, new_page=False)  # after the section before, as in the PDF
    facts(w, view.governance_facts, fraction=0.75)

def write_appendix(w: Writer, view: PackView) -> None:
    m, s, c = view.methodology, WORDS.sections, WORDS.columns
    w.heading(s.appendix)
    w.heading(s.method_status, 2)
    for rule in m.status_rules:
        w.paragraph([("•  ", PLAIN), (rule.lead, BOLD), (f" {rule.text}", PLAIN)])
    w.heading(s.method_points, 2)
    w.paragraph(m.points_rule, keep_next=True)
    w.columns(
        [1, 1],
        lambda: w.table([1, 1.3], [[status_cell(status), cell(text)] for status, text in m.factors],
                        header=c.factors),
        lambda: w.table([1, 1.3], [[status_cell(StatusView(b.label, b.label[0], b.css)),
                                    cell(b.rule)] for b in m.overall_bands],
                        header=c.overall_bands),
    )
    w.heading(s.method_risks, 2)
    w.paragraph(m.risk_rule, keep_next=True)
    risk_bands(w, view, fraction=0.45)
    w.heading(s.method_attention, 2)
    w.paragraph(m.attention_rule)
    w.heading(s.provenance, 2)
    facts(w, view.provenance_facts, fraction=0.8)
