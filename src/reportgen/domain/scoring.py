"""Scoring: `ReviewInput` + rules → `ScoredReview`. Pure: no I/O, no clock, no logging.

KPI status from direction and Amber band, points rounded half-up with the overall score the sum
of the shown points, risk score, rating and rank, movement against the previous quarter when one
is given, and the sponsors' attention list (`attention`): docs/scoring.md, one section each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from .attention import AttentionItem, attention_list
from .exact import exact_sum, reconcile, round_half_up
from .history import PreviousReview
from .model import (
    Action,
    ActionState,
    Decision,
    DecisionState,
    Direction,
    Kpi,
    ReviewInput,
    Risk,
    RiskRating,
    RiskState,
    Status,
    StatusSource,
    days_overdue,
)
from .rules import RiskBands, Scoring
from .text import normalise

TENTHS_BELOW = Fraction(5, 100)  # with a KPI weighing less, points are shown to a tenth
TENTHS = Fraction(1, 10)


def points_unit(kpis: Iterable[Kpi]) -> Fraction:
    """What the scorecard rounds points to: a tenth when any KPI weighs under `TENTHS_BELOW`
    (whole points would show a 2% KPI's Green 2 and Amber 1.5 alike), else a whole point."""
    return TENTHS if any(k.weight < TENTHS_BELOW for k in kpis) else Fraction(1)


class RiskMove(StrEnum):
    NEW = "New"
    UP = "Up"
    DOWN = "Down"
    SAME = "Same"
    CLOSED = "Closed"


class KpiResult(NamedTuple):
    """One KPI scored (a named tuple, like `RiskResult`: a portfolio makes thousands)."""

    kpi: Kpi
    status: Status
    computed: Status  # what the rules give, shown beside a manual override
    source: StatusSource
    points: int  # whole points, as archived and in `score --json`
    exact_points: Fraction
    previous_status: Status | None = None
    actual_trend: int | None = None  # +1 actual rose, -1 fell, 0 unchanged, None unknown
    shown: Fraction = Fraction(0)  # the points the scorecard shows (`points_unit`)

    @property
    def overridden(self) -> bool:
        return self.source is StatusSource.OVERRIDE

    @property
    def worse_than_before(self) -> bool:
        return self.previous_status is not None and self.status.rank < self.previous_status.rank

    @property
    def miss(self) -> float:
        """How far the actual falls short of the target, as a share of the target: 0.35 for
        3.25% against 5% (35% below), 0.0005 for 99.85% against 99.9%; 0 on or better than
        target and with no actual; infinite for any shortfall against a target of 0. Rounded
        to 9 decimals, so that equal misses are equal (docs/scoring.md#attention-list)."""
        actual = self.kpi.actual
        if actual is None:
            return 0.0
        target = self.kpi.target.value
        short = (target - actual.value if self.kpi.direction is Direction.HIGHER
                 else actual.value - target)
        if short <= 0:
            return 0.0
        return round(short / abs(target), 9) if target else float("inf")

    @property
    def actual_worse(self) -> bool:
        """The actual moved the wrong way for its direction since last quarter."""
        if not self.actual_trend:
            return False
        return (self.actual_trend < 0) == (self.kpi.direction is Direction.HIGHER)


class RiskResult(NamedTuple):
    risk: Risk
    score: int
    rating: RiskRating
    move: RiskMove | None = None
    previous_score: int | None = None
    previous_cell: tuple[int, int] | None = None

    @property
    def rose(self) -> bool:
        return self.move is RiskMove.UP

    @property
    def is_new(self) -> bool:
        return self.move is RiskMove.NEW


@dataclass(frozen=True)
class ScoredReview:
    input: ReviewInput
    kpis: tuple[KpiResult, ...]
    risks: tuple[RiskResult, ...]  # open risks by rank, then closed ones
    score: int
    status: Status
    attention: tuple[AttentionItem, ...]  # the attention list, most urgent first
    scoring: Scoring
    risk_bands: RiskBands
    previous: PreviousReview | None = None
    dropped_risks: tuple[str, ...] = ()  # ids archived last quarter and absent now
    as_of: dt.date | None = None  # the day overdue is counted on: the review date, else today

    @property
    def open_risks(self) -> tuple[RiskResult, ...]:
        return tuple(r for r in self.risks if r.risk.state is RiskState.OPEN)

    @property
    def closed_risks(self) -> tuple[RiskResult, ...]:
        return tuple(r for r in self.risks if r.risk.state is RiskState.CLOSED)

    @property
    def open_decisions(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.input.decisions if d.state is DecisionState.OPEN)

    @property
    def decisions_taken(self) -> tuple[Decision, ...]:
        """Decided now and not yet decided in the previous archived quarter (every decided one
        when that quarter is not archived, or was archived without its decisions)."""
        before = {} if self.previous is None else self.previous.decision_state
        return tuple(d for d in self.input.decisions if d.state is DecisionState.DECIDED
                     and before.get(d.id) is not DecisionState.DECIDED)

    @property
    def decided_earlier(self) -> tuple[Decision, ...]:
        """Decided now and already decided last quarter."""
        taken = set(self.decisions_taken)
        return tuple(d for d in self.input.decisions
                     if d.state is DecisionState.DECIDED and d not in taken)

    @property
    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.input.actions if a.state is ActionState.OPEN)

    def overdue(self, due: dt.date | None) -> int:
        """Days `due` is past on `as_of` (0 when it is not, or either date is unknown)."""
        return days_overdue(due, self.as_of)

    @property
    def points_unit(self) -> Fraction:
        """A whole point, or a tenth when a KPI weighs under 5% (`points_unit`)."""
        return points_unit(r.kpi for r in self.kpis)

    @property
    def score_delta(self) -> int | None:
        return None if self.previous is None else self.score - self.previous.score

    def count(self, status: Status) -> int:
        return sum(1 for k in self.kpis if k.status is status)


def kpi_status(kpi: Kpi) -> Status:
    """A KPI's status by the rules, without the override: Green / Amber / Red / No data."""
    if kpi.actual is None:
        return Status.NO_DATA
    actual, target = kpi.actual.value, kpi.target.value
    threshold = None if kpi.amber_threshold is None else kpi.amber_threshold.value
    if kpi.direction is Direction.HIGHER:
        if actual >= target:
            return Status.GREEN
        if threshold is not None and threshold <= actual:
            return Status.AMBER
        return Status.RED
    if actual <= target:
        return Status.GREEN
    if threshold is not None and actual <= threshold:
        return Status.AMBER
    return Status.RED


def kpi_points(weight: Fraction, status: Status, scoring: Scoring) -> Fraction:
    """Points out of 100 before rounding: weight × factor(status)."""
    return weight * scoring.points_per_weight[status]


def overall_status(score: int, scoring: Scoring) -> Status:
    if score >= scoring.green_from:
        return Status.GREEN
    if score >= scoring.amber_from:
        return Status.AMBER
    return Status.RED


def risk_rating(score: int, bands: RiskBands) -> RiskRating:
    if score >= bands.critical_from:
        return RiskRating.CRITICAL
    if score >= bands.high_from:
        return RiskRating.HIGH
    if score >= bands.medium_from:
        return RiskRating.MEDIUM
    return RiskRating.LOW


def score_kpi(kpi: Kpi, scoring: Scoring, previous: PreviousReview | None = None) -> KpiResult:
    computed = kpi_status(kpi)
    if kpi.override is not None:
        status, source = kpi.override, StatusSource.OVERRIDE
    elif computed is Status.NO_DATA:
        status, source = computed, StatusSource.NO_DATA
    else:
        status, source = computed, StatusSource.COMPUTED
    exact = kpi_points(kpi.weight, status, scoring)
    prev_status = prev_actual = None
    if previous is not None:
        key = normalise(kpi.name)
        prev_status = previous.kpi_status.get(key)
        prev_actual = previous.kpi_actual.get(key)
    trend = None
    if prev_actual is not None and kpi.actual is not None:
        trend = (kpi.actual.value > prev_actual) - (kpi.actual.value < prev_actual)
    points = round_half_up(exact)
    return KpiResult(kpi, status, computed, source, points, exact, prev_status, trend,
                     Fraction(points))


def score_risk(risk: Risk, bands: RiskBands, previous: PreviousReview | None = None) -> RiskResult:
    score = risk.probability * risk.impact
    move = prev_score = prev_cell = None
    if previous is not None:
        prev_score = previous.risk_score.get(risk.id)
        prev_cell = previous.risk_cell.get(risk.id)
        if risk.state is RiskState.CLOSED:
            move = RiskMove.CLOSED
        elif prev_score is None:
            move = RiskMove.NEW
        else:
            move = (RiskMove.UP if score > prev_score
                    else RiskMove.DOWN if score < prev_score else RiskMove.SAME)
    return RiskResult(risk, score, risk_rating(score, bands), move, prev_score, prev_cell)


def score_review(
    review: ReviewInput,
    scoring: Scoring,
    bands: RiskBands,
    previous: PreviousReview | None = None,
    today: dt.date | None = None,
) -> ScoredReview:
    """Score `review` (against `previous`, the quarter before, when given). Overdue is counted
    on the review date, or on `today` when the workbook gives none."""
    as_of = review.partnership.review_date or today
    kpis = reconcile_points([score_kpi(k, scoring, previous) for k in review.kpis])
    total = sum(k.points for k in kpis)
    risks = [score_risk(r, bands, previous) for r in review.risks]
    open_risks = sorted((r for r in risks if r.risk.state is RiskState.OPEN), key=_risk_rank)
    closed = [r for r in risks if r.risk.state is RiskState.CLOSED]
    present = {r.risk.id for r in risks}
    dropped = () if previous is None else tuple(sorted(set(previous.risk_score) - present))
    return ScoredReview(
        input=review,
        kpis=kpis,
        risks=(*open_risks, *closed),
        score=total,
        status=overall_status(total, scoring),
        attention=attention_list(kpis, open_risks, review.decisions, review.actions,
                                 as_of=as_of, next_review=review.partnership.next_review),
        scoring=scoring,
        risk_bands=bands,
        previous=previous,
        dropped_risks=dropped,
        as_of=as_of,
    )


def score_reviews(reviews: Iterable[ReviewInput], scoring: Scoring, bands: RiskBands,
                  today: dt.date | None = None) -> list[ScoredReview]:
    """`score_review` for each of a workbook's reviews (a portfolio has hundreds), without a
    previous quarter. The results hold no cycles: callers scoring a big portfolio may hold the
    garbage collector back meanwhile (`gctune.fewer_collections`)."""
    return [score_review(review, scoring, bands, today=today) for review in reviews]


def reconcile_points(results: list[KpiResult]) -> tuple[KpiResult, ...]:
    """Make the whole points, and the points the scorecard shows (to a tenth when a KPI weighs
    under 5%: `points_unit`), each add up to the exact total rounded half-up (never above 100).

    Each KPI's points are its exact points rounded half-up. Rounding every row up can make the
    column add up to one more than the true total (27.5 + 72.5 would show 28 + 73 = 101); then
    the rows whose rounding moved them furthest from their exact value give the point back, the
    fewest needed, later rows first (`exact.reconcile`). The methodology appendix states this
    rule.
    """
    exact = [r.exact_points for r in results]
    target = min(round_half_up(exact_sum(exact)), 100)
    points = reconcile(exact, Fraction(1), target)
    unit = points_unit(r.kpi for r in results)
    shown = points if unit == 1 else reconcile(exact, unit, target)
    return tuple(r if r.shown == s and r.points == p else r._replace(points=int(p), shown=s)
                 for r, p, s in zip(results, points, shown, strict=True))


def _risk_rank(result: RiskResult) -> tuple[int, str]:
    return (-result.score, result.risk.id)
