"""Scored review → the headline: what happened and what the meeting must decide, in three or four
sentences written by fixed rules (docs/pack.md#the-headline), so the same review always reads
the same, and every figure is a workbook cell or a sum of them, as the pack shows it.

1. The overall score and status, and the change since the previous archived quarter (or that
   this is the first archived quarter).
2. The KPIs: the biggest movers (status changed; most points gained or lost first, at most three,
   each with its actual against its target), else how many KPIs are in each status and the
   Red (else Amber) one that misses its target by most, relative to the target
   (`domain.attention.kpi_rank`).
3. The risks: those up or new since last quarter (at most three named), else the open High and
   Critical ones; left out when there are none.
4. The asks: the open decisions (how many, the earliest due, how many overdue) and the actions
   from the last review that are overdue.

The PDF, the Word pack, `score --json`, the manifest and the e-mail all carry these sentences.
`headline.txt.j2` (overridable in a template folder) receives them, with the facts, as
`headline` and writes one sentence per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.attention import kpi_rank
from ..domain.measures import format_date, format_measure
from ..domain.model import RiskRating, Status
from ..domain.scoring import KpiResult, RiskResult, ScoredReview, kpi_points, risk_rating
from ..domain.text import clean_text, shorten
from .agenda import by_due_date, overdue_note
from .language import _, join_words, ngettext, quarter_label, term
from .status import by_hand

if TYPE_CHECKING:
    from jinja2 import Environment

HEADLINE_TEMPLATE = "headline.txt.j2"
NAMED = 3  # KPIs or risks a sentence names before "and N more"
ID_LIMIT = 16


@dataclass(frozen=True)
class Headline:
    """What `headline.txt.j2` receives: the sentences, and the facts they are written from."""

    sentences: tuple[str, ...]
    quarter: str  # "Q3 2025"
    previous_quarter: str  # "Q2 2025", or "" for the first archived quarter
    score: int
    status: str
    previous_score: int | None
    previous_status: str
    kpi_counts: tuple[tuple[str, int], ...]  # ("Green", 3) …, every status
    decisions_requested: int
    decisions_overdue: int
    actions_overdue: int


def headline(review: ScoredReview, date_format: str,
             env: Environment | None = None) -> tuple[str, ...]:
    """The headline's sentences; through `headline.txt.j2` when given the Jinja environment
    (a user's template folder may reword them), else as the rules write them."""
    facts = headline_facts(review, date_format)
    if env is None:
        return facts.sentences
    plain = env.overlay(autoescape=False, finalize=None, cache_size=0)
    text = plain.get_template(HEADLINE_TEMPLATE).render(headline=facts)
    return tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())


def headline_facts(review: ScoredReview, date_format: str) -> Headline:
    p = review.input.partnership
    previous = review.previous
    before = quarter_label(previous.quarter) if previous else ""
    sentences = [_score(review, before), _kpis(review, before), _risks(review, before),
                 _asks(review, date_format)]
    late_decisions = [d for d in review.open_decisions if review.overdue(d.due)]
    return Headline(
        sentences=tuple(s for s in sentences if s),
        quarter=quarter_label(p.quarter),
        previous_quarter=before,
        score=review.score,
        status=review.status.value,
        previous_score=previous.score if previous else None,
        previous_status=previous.status.value if previous else "",
        kpi_counts=tuple((s.value, review.count(s)) for s in Status),
        decisions_requested=len(review.open_decisions),
        decisions_overdue=len(late_decisions),
        actions_overdue=sum(1 for a in review.open_actions if review.overdue(a.due)),
    )


# --- the four sentences -------------------------------------------------------------------------
# Each sentence, or each clause a semicolon ends, is one translatable template with named
# placeholders, so that a translator orders its words as the language needs (docs/languages.md).

def _score(review: ScoredReview, before: str) -> str:
    facts = {"score": review.score, "status": term(review.status)}
    previous, delta = review.previous, review.score_delta
    if previous is None or delta is None:
        return _("Overall health is {score} out of 100 ({status}); {quarter} is the first "
                 "archived quarter, so there is no earlier quarter to compare with.").format(
            quarter=quarter_label(review.input.partnership.quarter), **facts)
    if delta == 0:
        return _("Overall health is unchanged at {score} out of 100 ({status}) since "
                 "{before}.").format(before=before, **facts)
    n = abs(delta)
    sentence = (ngettext("Overall health rose {n} point to {score} out of 100 ({status}), "
                         "from {previous} ({previous_status}) in {before}.",
                         "Overall health rose {n} points to {score} out of 100 ({status}), "
                         "from {previous} ({previous_status}) in {before}.", n) if delta > 0
                else ngettext("Overall health fell {n} point to {score} out of 100 ({status}), "
                              "from {previous} ({previous_status}) in {before}.",
                              "Overall health fell {n} points to {score} out of 100 ({status}), "
                              "from {previous} ({previous_status}) in {before}.", n))
    return sentence.format(n=n, previous=previous.score, previous_status=term(previous.status),
                           before=before, **facts)


def _kpis(review: ScoredReview, before: str) -> str:
    kpis = review.kpis
    if all(k.status is Status.NO_DATA for k in kpis):
        if len(kpis) == 1:
            return _("The only KPI has no actual this quarter: it is No data.")
        return _("None of the {n} KPIs has an actual this quarter, so all are No data.").format(
            n=len(kpis))
    movers = [k for k in kpis if k.previous_status is not None
              and k.previous_status is not k.status]
    if review.previous is not None and movers:
        text, named = _movers(review, movers)
    elif review.previous is not None:
        counts, named = _counts(review, True)
        text = _("No KPI changed status since {before}: {counts}").format(
            before=before, counts=counts)
    else:
        text, named = _counts(review, False)
    return _sentence(text + _set_by_hand(review, named))


def _set_by_hand(review: ScoredReview, named: list[KpiResult]) -> str:
    """'; Cost Synergy Realization was set to Red by hand; the rules give Amber' for the KPIs
    whose status was set by hand against the rules and that the sentence has not named (whose
    figures would say so), at most three named, so that page one always tells."""
    hand = [k for k in review.kpis if by_hand(k) and k not in named]
    if not hand:
        return ""
    if len(hand) == 1:
        return _("; {kpi} was {by_hand}").format(kpi=_name(hand[0]), by_hand=by_hand(hand[0]))
    listed = [_("{kpi} ({status}; the rules give {computed})").format(
        kpi=_name(k), status=term(k.status), computed=term(k.computed)) for k in hand[:NAMED]]
    return ngettext("; {n} status was set by hand: {kpis}",
                    "; {n} statuses were set by hand: {kpis}", len(hand)).format(
        n=len(hand), kpis=join_words(_more(listed, len(hand))))


def _movers(review: ScoredReview, movers: list[KpiResult]) -> tuple[str, list[KpiResult]]:
    """The movers' clause, and the KPIs it names."""
    clauses = kpi_movers(review, movers)
    text = join_words(list(clauses[:NAMED]))
    if len(clauses) > NAMED:
        others = len(clauses) - NAMED
        text = ngettext("{movers}; {n} other KPI also changed status",
                        "{movers}; {n} other KPIs also changed status", others).format(
            movers=text, n=others)
    return text, _by_swing(review, movers)[:NAMED]


def kpi_movers(review: ScoredReview, movers: list[KpiResult] | None = None) -> tuple[str, ...]:
    """Each KPI whose status changed since last quarter, in words ("Milestones fell from Green
    to Red (88% vs 95% target)"): the most points gained or lost first, then the worse first,
    then workbook order."""
    if movers is None:
        movers = [k for k in review.kpis if k.previous_status is not None
                  and k.previous_status is not k.status]

    clauses = []
    for k in _by_swing(review, movers):
        assert k.previous_status is not None
        clause = (_("{kpi} fell from {before} to {now} ({figures})") if k.worse_than_before
                  else _("{kpi} rose from {before} to {now} ({figures})"))
        clauses.append(clause.format(kpi=_name(k), before=term(k.previous_status),
                                     now=term(k.status), figures=_figures(k)))
    return tuple(clauses)


def _by_swing(review: ScoredReview, movers: list[KpiResult]) -> list[KpiResult]:
    """The movers, the most points gained or lost first, then the worse first, then workbook
    order."""
    def swing(k: KpiResult) -> tuple[object, ...]:
        assert k.previous_status is not None
        before = kpi_points(k.kpi.weight, k.previous_status, review.scoring)
        return (-abs(k.exact_points - before), not k.worse_than_before)

    return sorted(movers, key=swing)  # stable: workbook order breaks ties


def _counts(review: ScoredReview, continued: bool) -> tuple[str, list[KpiResult]]:
    """'3 of 6 KPIs are Green, 2 are Amber and 1 is Red (Milestones, 88% vs 95% target)'."""
    total = len(review.kpis)
    if review.count(Status.GREEN) == total:
        if total == 1:
            return (_("it is Green") if continued else _("The only KPI is Green")), []
        return (_("all {n} are Green") if continued else _("All {n} KPIs are Green")).format(
            n=total), []
    named = Status.RED if review.count(Status.RED) else Status.AMBER
    parts: list[str] = []
    led: list[KpiResult] = []
    for status in Status:
        n = review.count(status)
        if not n:
            continue
        part = (_count_first(n, total, status) if not parts else
                ngettext("{n} has no data", "{n} have no data", n) if status is Status.NO_DATA
                else ngettext("{n} is {status}", "{n} are {status}", n))
        part = part.format(n=n, total=total, status=term(status))
        if status is named:
            worst = min((kpi_rank(k, row), k) for row, k in enumerate(review.kpis)
                        if k.status is status)[1]  # the attention list's rule
            lead = (_("{counted} ({kpi}, {figures})") if n == 1
                    else _("{counted} (led by {kpi}, {figures})"))
            part = lead.format(counted=part, kpi=_name(worst), figures=_figures(worst))
            led.append(worst)
        parts.append(part)
    return join_words(parts), led


def _count_first(n: int, total: int, status: Status) -> str:
    """The first count names the KPIs: '3 of 6 KPIs are Green', '1 of 6 KPIs has no data'."""
    if total == 1:
        return (_("1 of 1 KPI has no data") if status is Status.NO_DATA
                else _("1 of 1 KPI is {status}"))
    if status is Status.NO_DATA:
        return ngettext("{n} of {total} KPIs has no data", "{n} of {total} KPIs have no data", n)
    return ngettext("{n} of {total} KPIs is {status}", "{n} of {total} KPIs are {status}", n)


def _risks(review: ScoredReview, before: str) -> str:
    open_risks = review.open_risks  # ranked: score, highest first, then ID
    if review.previous is not None:
        rose = [r for r in open_risks if r.rose]
        new = [r for r in open_risks if r.is_new]
        if rose or new:
            clauses = []
            if rose:
                named = [_("{id} from {previous} to {score} ({rating})").format(
                    id=_id(r.risk.id), previous=r.previous_score, score=r.score,
                    rating=_rating_now(review, r)) for r in rose[:NAMED]]
                clauses.append(ngettext("{n} risk rose since {before}: {risks}",
                                        "{n} risks rose since {before}: {risks}",
                                        len(rose)).format(
                    n=len(rose), before=before, risks=join_words(_more(named, len(rose)))))
            if new:  # named as room is left: three risks in all
                room = NAMED - min(len(rose), NAMED)
                named = [_at(r) for r in new[:room]]
                risks = join_words(_more(named, len(new))) if named else ""
                clause = (ngettext("{n} risk is new since {before}: {risks}",
                                   "{n} risks are new since {before}: {risks}", len(new))
                          if not rose else
                          ngettext("{n} is new: {risks}", "{n} are new: {risks}", len(new))
                          if named else ngettext("{n} is new", "{n} are new", len(new)))
                clauses.append(clause.format(n=len(new), before=before, risks=risks))
            return _sentence(_("; ").join(clauses))
    serious = [r for r in open_risks if r.rating in (RiskRating.HIGH, RiskRating.CRITICAL)]
    if not serious:
        return ""
    named = [_at(r) for r in serious[:NAMED]]
    return ngettext("{n} of {total} open risks is rated High or Critical: {risks}.",
                    "{n} of {total} open risks are rated High or Critical: {risks}.",
                    len(serious)).format(n=len(serious), total=len(open_risks),
                                         risks=join_words(_more(named, len(serious))))


def _asks(review: ScoredReview, date_format: str) -> str:
    requested = by_due_date(review.open_decisions)
    if not requested:
        text = _("No decision is requested of this meeting")
    else:
        n = len(requested)
        text = ngettext("The meeting is asked to take {n} decision",
                        "The meeting is asked to take {n} decisions", n).format(n=n)
        late = sum(1 for d in requested if review.overdue(d.due))
        if late > 1:
            text += _(", {late} of them overdue").format(late=late)
        first = requested[0]
        if first.due is not None:
            days = review.overdue(first.due)
            due = format_date(first.due, date_format)
            text += (_("; the earliest was due {date} ({id}, {overdue})") if days
                     else _(", the earliest due {date} ({id})")).format(
                date=due, id=_id(first.id), overdue=overdue_note(days))
    actions = [a for a in review.open_actions if review.overdue(a.due)]
    if len(actions) == 1:
        due = format_date(actions[0].due, date_format)
        text += _("; 1 action from the last review is overdue ({id}, due {date})").format(
            id=_id(actions[0].id), date=due)
    elif actions:
        named = _more([_id(a.id) for a in actions[:NAMED]], len(actions))
        text += ngettext("; {n} action from the last review is overdue ({ids})",
                         "; {n} actions from the last review are overdue ({ids})",
                         len(actions)).format(n=len(actions), ids=join_words(named))
    return _sentence(text)


# --- pieces ---------------------------------------------------------------------------------

def _sentence(text: str) -> str:
    """A sentence's full stop, as the language writes it ("。" in Japanese)."""
    return _("{sentence}.").format(sentence=text)


def _at(r: RiskResult) -> str:
    return _("{id} at {score} ({rating})").format(id=_id(r.risk.id), score=r.score,
                                                  rating=term(r.rating))


def _figures(k: KpiResult) -> str:
    """'88% vs 95% target', or 'no actual; target 95%'; a status set by hand against the rules
    says so: '88% vs 95% target, set to Amber by hand; the rules give Red'."""
    target = format_measure(k.kpi.target)
    figures = (_("{actual} vs {target} target").format(actual=format_measure(k.kpi.actual),
                                                       target=target)
               if k.kpi.actual is not None else _("no actual; target {target}").format(
                   target=target))
    hand = by_hand(k)
    return _("{figures}, {by_hand}").format(figures=figures, by_hand=hand) if hand else figures


def _rating_now(review: ScoredReview, r: RiskResult) -> str:
    """'now High' when the rise moved the risk into a new rating, else 'High'."""
    assert r.previous_score is not None
    moved = risk_rating(r.previous_score, review.risk_bands) is not r.rating
    return _("now {rating}").format(rating=term(r.rating)) if moved else term(r.rating)


def _name(k: KpiResult) -> str:
    """The KPI's name in full: never cut mid-name (the summary page gives way instead)."""
    return " ".join(clean_text(k.kpi.name).split())


def _id(raw: str) -> str:
    return shorten(clean_text(raw), ID_LIMIT)


def _more(named: list[str], total: int) -> list[str]:
    """The named items, and 'N more' for the rest."""
    rest = total - len(named)
    return named + ([ngettext("{n} more", "{n} more", rest).format(n=rest)] if rest > 0 else [])
