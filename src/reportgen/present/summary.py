"""Scored review → the executive summary: the headline, the tiles (score, change, KPIs by status,
open risks by rating, decisions and actions) and the attention list, each item with why it is
there in figures ("88% vs 95% target; Green in Q2 2025", "High, score 12, up from 9").

The summary page shows every decision requested of the meeting in full (ID, the decision and its
recommendation, the risks it answers, owner, due date with days overdue, financial impact), then
the other items of the list, the first `attention_limit` (or fewer, when the page needs the room
for the decisions), each name shortened to one line's worth and told apart from a name that
would read alike, and "and N more — see Appendix A", where the same items are numbered alike;
`score --json` and the manifest's count carry the whole list, decisions too. The rule that ranks
it is `domain.attention`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..domain.attention import AttentionItem, Tier
from ..domain.measures import format_date, format_measure
from ..domain.model import Action, Decision, RiskRating
from ..domain.scoring import KpiResult, RiskResult, ScoredReview
from ..domain.text import clean_text, normalise, shorten
from .agenda import DecisionRow, by_due_date, decision_row, overdue_note
from .headline import headline
from .language import N_, _, in_force, join_words, ngettext, quarter_label, speaking, term
from .status import RatingView, by_hand

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..config import Settings

HEAD_WORDS = 4  # the first words a name keeps when told apart from one that reads alike
BRIEF_LIMIT = 62  # an item's name on the summary page, in average letters: one line, landscape
OWNER_LIMIT = 28  # an owner's name in an item's reason: "Dana Whitfield-Montgomery" whole
KINDS = {"kpi": N_("KPI"), "risk": N_("Risk"), "decision": N_("Decision"),
         "action": N_("Action")}
_MARKS = {Tier.CRITICAL_RISK: "red", Tier.RED_KPI: "red", Tier.OVERDUE: "red",
          Tier.HIGH_RISK: "amber", Tier.RISK_UP: "amber", Tier.AMBER_KPI: "amber",
          Tier.NO_DATA_KPI: "amber"}


@dataclass(frozen=True)
class AttentionRow:
    number: int
    kind: str  # "KPI", "Risk", "Decision", "Action"
    ref: str  # the ID shown beside the kind; "" for a KPI (its name is the item)
    id: str  # what `score --json` calls it: the risk, decision or action ID, or the KPI's name
    name: str  # in full (Appendix A)
    brief: str  # on one summary line
    why: str
    mark: str  # "red", "amber" or "": the edge colour (the words say the same)


@dataclass(frozen=True)
class Summary:
    """The executive summary. Its page shows every decision requested in full (`decisions`),
    then the first `shown_count` of the other attention items (`listed`), numbered from 1: at
    most `attention_limit`, fewer when the page would not hold them beside the decisions (the
    renderers' `render.summary_fit` decides, the same for the PDF and the Word pack)."""

    headline: tuple[str, ...]
    attention: tuple[AttentionRow, ...]  # the whole list, decisions too (`score --json`)
    decisions: tuple[DecisionRow, ...]  # every decision requested, earliest due first, in full
    listed: tuple[AttentionRow, ...]  # without the decisions, from 1 (page one, Appendix A)
    shown_count: int  # how many of `listed` the summary page shows
    change_note: str  # "88 (Green) in Q2 2025", or "" for the first archived quarter
    risk_counts: tuple[tuple[RatingView, int], ...]  # open risks: Critical, High, Medium, Low
    agenda_counts: tuple[tuple[int, str], ...]  # (2, "decisions requested") …
    language: str = "en"  # the pack's: `more` is worded in it

    @property
    def shown(self) -> tuple[AttentionRow, ...]:
        """The attention items on the summary page."""
        return self.listed[:self.shown_count]

    @property
    def more(self) -> str:
        """"and 2 more — see Appendix A" under them, "3 items — see Appendix A" when the
        decisions leave no room for any, or "" when the page shows them all."""
        more = len(self.listed) - self.shown_count
        if more <= 0:
            return ""
        with speaking(self.language):
            return (ngettext("and {n} more — see Appendix A", "and {n} more — see Appendix A",
                             more) if self.shown_count else
                    ngettext("{n} item — see Appendix A", "{n} items — see Appendix A",
                             more)).format(n=more)


def summary_of(review: ScoredReview, settings: Settings,
               env: Environment | None = None, language: str = "") -> Summary:
    """The summary under `settings` (dates, attention limit), in `language` or else the
    review's (its Partnership sheet's, else the settings'), as its pack words it; `env` writes
    the headline through `headline.txt.j2`, as `present.headline.headline` says."""
    date_format = settings.date_format
    with speaking(language or review.input.partnership.language or settings.language):
        return summarise(review, headline(review, date_format, env), date_format,
                         settings.attention_limit)


def summarise(review: ScoredReview, sentences: tuple[str, ...], date_format: str,
              attention_limit: int) -> Summary:
    before = quarter_label(review.previous.quarter) if review.previous else ""
    rows = attention_rows(review, date_format)
    listed = tuple(replace(row, number=number) for number, row in enumerate(
        (row for row, item in zip(rows, review.attention, strict=True)
         if item.kind != "decision"), start=1))
    return Summary(
        headline=sentences,
        attention=rows,
        decisions=tuple(decision_row(review, d, date_format)
                        for d in by_due_date(review.open_decisions)),
        listed=listed,
        shown_count=min(attention_limit, len(listed)),
        change_note=(_("{score} ({status}) in {quarter}").format(
            score=review.previous.score, status=term(review.previous.status), quarter=before)
            if review.previous else ""),
        risk_counts=tuple(
            (RatingView.of(rating), sum(1 for r in review.open_risks if r.rating is rating))
            for rating in (RiskRating.CRITICAL, RiskRating.HIGH, RiskRating.MEDIUM,
                           RiskRating.LOW)),
        agenda_counts=_agenda_counts(review),
        language=in_force(),
    )


def attention_rows(review: ScoredReview, date_format: str) -> tuple[AttentionRow, ...]:
    """The whole attention list as the pack and `score --json` write it."""
    before = quarter_label(review.previous.quarter) if review.previous else ""
    names = [clean_text(item.name) for item in review.attention]
    return tuple(
        AttentionRow(
            number=number, kind=_(KINDS[item.kind]),
            ref="" if item.kind == "kpi" else clean_text(item.id),
            id=clean_text(item.id), name=name, brief=brief,
            why=why(item, review, before, date_format), mark=_MARKS.get(item.tier, ""),
        )
        for number, (item, name, brief) in enumerate(
            zip(review.attention, names, told_apart(names), strict=True), start=1)
    )


def told_apart(names: list[str], limit: int = BRIEF_LIMIT) -> list[str]:
    """Each name shortened to one line (`limit` average letters), told apart from the others
    that would shorten alike: those keep as many first words as leave room (at least
    `HEAD_WORDS`), then "…" and the words from where they differ ("Service Level Agreement
    (SLA) Adherence for … Processing #15" beside "… Processing #27"). Names alike in full stay
    alike: their IDs tell them apart."""
    briefs = [shorten(name, limit) for name in names]
    words = [name.split() for name in names]
    alike: dict[str, list[int]] = {}
    for index, brief in enumerate(briefs):
        alike.setdefault(brief, []).append(index)
    for group in alike.values():
        for index in group:
            common = max((_common(words[index], words[other]) for other in group
                          if other != index and words[other] != words[index]), default=None)
            if common is None or common <= HEAD_WORDS:
                continue
            tail = " ".join(words[index][common - 1:])
            briefs[index] = next(
                (brief for count in range(common - 2, HEAD_WORDS - 1, -1)
                 if shorten(brief := " ".join(words[index][:count]) + " … " + tail,
                            limit) == brief),  # as many first words as leave the tail whole
                " ".join(words[index][:HEAD_WORDS]) + " … " + shorten(tail, limit // 2))
    return briefs


def _common(a: list[str], b: list[str]) -> int:
    """How many words `a` and `b` begin with alike."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def why(item: AttentionItem, review: ScoredReview, before: str, date_format: str) -> str:
    """Why the item is on the list, in figures the workbook gave."""
    subject = item.subject
    if isinstance(subject, KpiResult):
        return _kpi_why(subject, item.tier, review, before)
    if isinstance(subject, RiskResult):
        facts = {"rating": term(subject.rating), "score": subject.score,
                 "previous": subject.previous_score}
        text = (_("{rating}, score {score}, up from {previous}") if subject.rose
                else _("{rating}, score {score}, new this quarter") if subject.is_new
                else _("{rating}, score {score}")).format(**facts)
        answering = [clean_text(d.id) for d in review.open_decisions
                     if d.answers((subject.risk.id,))]
        if answering:  # "; decision D-07 answers it" (the decisions stand on the summary)
            text += (_("; decision {id} answers it").format(id=answering[0])
                     if len(answering) == 1 else
                     _("; decisions {ids} answer it").format(ids=join_words(answering)))
        return text
    return _due_why(subject, item, date_format)


def _kpi_why(k: KpiResult, tier: Tier, review: ScoredReview, before: str) -> str:
    """'Red: 88% vs 95% target; Green in Q2 2025' (the status first: never colour alone); a
    status set by hand against the rules says so: 'Set to Amber by hand; the rules give Red:
    88% vs 95% target'."""
    target = format_measure(k.kpi.target)
    hand = by_hand(k)
    status = hand[0].upper() + hand[1:] if hand else term(k.status)
    parts = [_("{status}: {actual} vs {target} target").format(
        status=status, actual=format_measure(k.kpi.actual), target=target)
             if k.kpi.actual is not None else _("{status} (target {target})").format(
        status=status, target=target)]
    if tier is Tier.KPI_WORSE and review.previous is not None:
        key = normalise(k.kpi.name)
        earlier = review.previous.kpi_actual.get(key)
        if earlier is not None and k.kpi.actual is not None:
            # last quarter's actual as its workbook showed it, else in this quarter's look
            look = review.previous.kpi_measure.get(key) or k.kpi.actual._replace(value=earlier)
            shown = format_measure(look)
            moved = (_("down from {actual} in {quarter}") if k.actual_trend == -1
                     else _("up from {actual} in {quarter}"))
            parts.append(moved.format(actual=shown, quarter=before))
    elif review.previous is not None:
        parts.append(_("{status} in {quarter}").format(status=term(k.previous_status),
                                                        quarter=before)
                     if k.previous_status else _("new this quarter"))
    return _("; ").join(parts)


def _due_why(subject: Decision | Action, item: AttentionItem, date_format: str) -> str:
    """'due 30 Sep 2025, 14 days overdue; owner Marcus Lee' or 'requested, due 31 Oct 2025; …'
    (the Type column says decision or action)."""
    due = format_date(subject.due, date_format)
    if item.tier is Tier.OVERDUE:
        text = _("due {date}, {overdue}").format(date=due,
                                                 overdue=overdue_note(item.days_overdue))
    else:
        text = (_("requested, due {date}").format(date=due) if due
                else _("requested, no due date"))
    # who, not their title: "Dana Whitfield, SVP Innovation" → "Dana Whitfield"
    name = clean_text(subject.owner).split(",")[0].strip() or clean_text(subject.owner)
    owner = shorten(name, OWNER_LIMIT)
    return _("{reason}; owner {owner}").format(reason=text, owner=owner) if owner else text


def _agenda_counts(review: ScoredReview) -> tuple[tuple[int, str], ...]:
    """The agenda tile: (2, "decisions requested"), (0, "decisions overdue") …"""
    requested = len(review.open_decisions)
    late = sum(1 for d in review.open_decisions if review.overdue(d.due))
    actions = len(review.open_actions)
    late_actions = sum(1 for a in review.open_actions if review.overdue(a.due))
    return (
        (requested, ngettext("decision requested", "decisions requested", requested)),
        (late, ngettext("decision overdue", "decisions overdue", late)),
        (actions, ngettext("action open", "actions open", actions)),
        (late_actions, ngettext("action overdue", "actions overdue", late_actions)),
    )
