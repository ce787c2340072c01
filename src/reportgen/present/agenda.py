"""Scored review → the rows of the Decisions and Actions sections: decisions requested of the
meeting (earliest due first), decisions taken since last quarter, earlier decisions, and the
actions from the last review, each due date written in the settings' `date_format` and an
overdue one flagged with its days ("14 days overdue", counted on the review's `as_of` day); an
open decision names the open risks it answers. The summary page shows the decisions requested
with the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.measures import format_date
from ..domain.model import Action, ActionState, Decision, DecisionState
from ..domain.scoring import ScoredReview
from ..domain.text import clean_text
from .language import _, join_words, ngettext, term
from .wording import WORDS


@dataclass(frozen=True)
class DecisionRow:
    id: str
    text: str
    owner: str
    due: str  # "31 Oct 2025", or "" when none
    status: str  # "Open" or "Decided"
    notes: str
    recommendation: str = ""
    financial_impact: str = ""  # as the workbook shows it: "$1.2M"
    overdue: str = ""  # "14 days overdue", or "" when it is not
    # the open risks it answers: "Answers Critical risk SR-10 (score 20)"
    answers: str = ""


@dataclass(frozen=True)
class ActionRow:
    id: str
    text: str
    owner: str
    due: str
    status: str  # "Open" or "Done", in the pack's language
    notes: str
    overdue: str = ""
    state: str = "open"  # "open" or "done": the colour key, in any language


@dataclass(frozen=True)
class Agenda:
    """What the Decisions and Actions sections list."""

    requested: tuple[DecisionRow, ...]  # open decisions, earliest due first (none last)
    taken: tuple[DecisionRow, ...]  # decided since last quarter
    earlier: tuple[DecisionRow, ...]  # decided, and already decided last quarter
    actions: tuple[ActionRow, ...]  # workbook order
    taken_title: str  # "Decisions taken since last quarter", or "Decisions taken" in a first
    decisions_lead: str  # "2 decisions are requested of this meeting; 1 was taken …"
    actions_lead: str  # "2 of 3 actions are open; 1 is overdue (counted on 14 Oct 2025, …)."


def overdue_note(days: int) -> str:
    """"14 days overdue", "1 day overdue", or "" for 0."""
    if not days:
        return ""
    return ngettext("{n} day overdue", "{n} days overdue", days).format(n=days)


def by_due_date(decisions: Sequence[Decision]) -> list[Decision]:
    """Earliest due first, those with no due date last; ties in workbook order."""
    return sorted(decisions, key=lambda d: d.due or dt.date.max)


def agenda(review: ScoredReview, pattern: str) -> Agenda:
    requested = tuple(decision_row(review, d, pattern)
                      for d in by_due_date(review.open_decisions))
    taken = tuple(decision_row(review, d, pattern) for d in review.decisions_taken)
    actions = tuple(_action_row(review, a, pattern) for a in review.input.actions)
    counted = _counted_on(review, pattern)
    late = sum(1 for d in requested if d.overdue)
    n = len(requested)
    lead = (ngettext("{n} decision is requested of this meeting",
                     "{n} decisions are requested of this meeting", n).format(n=n)
            if requested else _("No decision is requested of this meeting"))
    if late:
        lead += (_(", {late} of it overdue ({counted})") if n == 1
                 else _(", {late} of them overdue ({counted})")).format(late=late, counted=counted)
    if taken:
        n = len(taken)
        lead += (ngettext("; {n} was taken since last quarter",
                          "; {n} were taken since last quarter", n) if review.previous
                 else ngettext("; {n} is recorded as taken", "; {n} are recorded as taken",
                               n)).format(n=n)
    open_actions = [a for a, raw in zip(actions, review.input.actions, strict=True)
                    if raw.state is ActionState.OPEN]
    overdue = sum(1 for a in open_actions if a.overdue)
    actions_lead = (ngettext("1 of {n} action is open", "1 of {n} actions is open", len(actions))
                    if len(open_actions) == 1 else
                    ngettext("{open} of {n} action are open", "{open} of {n} actions are open",
                             len(actions)))
    if overdue:
        actions_lead += ngettext("; {late} is overdue ({counted})",
                                 "; {late} are overdue ({counted})", overdue)
    return Agenda(
        requested=requested,
        taken=taken,
        earlier=tuple(decision_row(review, d, pattern) for d in review.decided_earlier),
        actions=actions,
        taken_title=(WORDS.sections.decisions_taken if review.previous
                     else WORDS.sections.decisions_recorded),
        decisions_lead=lead + _("."),
        actions_lead=actions_lead.format(open=len(open_actions), n=len(actions), late=overdue,
                                         counted=counted) + _("."),
    )


def _counted_on(review: ScoredReview, pattern: str) -> str:
    """'counted on 14 Oct 2025, the review date' (or the day the pack was built)."""
    when = format_date(review.as_of, pattern)
    if review.input.partnership.review_date:
        return _("counted on {date}, the review date").format(date=when)
    return _("counted on {date}, the day the pack was built").format(date=when)



def answers(review: ScoredReview, d: Decision) -> str:
    """The open risks `d` answers (`Decision.answers`: its Risk column, or an ID its text names),
    the highest first: "Answers Critical risk SR-10 (score 20)", "Answers Critical risk SR-10
    (score 20) and High risk SR-02 (score 12)". The register has their descriptions."""
    ranked = {r.risk.id: r for r in review.open_risks}
    risks = [ranked[rid] for rid in d.answers(ranked)]
    if not risks:
        return ""
    named = [_("{rating} risk {id} (score {score})").format(
        rating=term(r.rating), id=clean_text(r.risk.id), score=r.score) for r in risks]
    return _("{answers} {risks}").format(answers=WORDS.answers, risks=join_words(named))


def decision_row(review: ScoredReview, d: Decision, pattern: str) -> DecisionRow:
    open_ = d.state is DecisionState.OPEN
    return DecisionRow(
        id=clean_text(d.id), text=clean_text(d.text), owner=clean_text(d.owner),
        due=format_date(d.due, pattern), status=term(d.state), notes=clean_text(d.notes),
        recommendation=clean_text(d.recommendation),
        financial_impact=clean_text(d.financial_impact),
        overdue=overdue_note(review.overdue(d.due)) if open_ else "",
        answers=answers(review, d) if open_ else "",
    )


def _action_row(review: ScoredReview, a: Action, pattern: str) -> ActionRow:
    open_ = a.state is ActionState.OPEN
    return ActionRow(
        id=clean_text(a.id), text=clean_text(a.text), owner=clean_text(a.owner),
        due=format_date(a.due, pattern), status=term(a.state), notes=clean_text(a.notes),
        state=a.state.value.lower(),
        overdue=overdue_note(review.overdue(a.due)) if open_ else "",
    )
