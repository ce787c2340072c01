"""The attention list's one rule (docs/scoring.md#attention-list): the tiers in order, the order
inside each tier, what counts as overdue and on which day, and what is never listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from factories import example_input, example_review
from reportgen.config import Settings
from reportgen.domain.attention import Tier
from reportgen.domain.history import PreviousReview
from reportgen.domain.model import (
    Action,
    ActionState,
    Decision,
    DecisionState,
    Direction,
    Kpi,
    Measure,
    ReviewInput,
    Risk,
    RiskState,
    Status,
)
from reportgen.domain.scoring import ScoredReview, score_review

RULES = Settings().scoring.rules, Settings().risk_bands.rules
REVIEW_DAY = dt.date(2025, 10, 14)
NEXT_REVIEW = dt.date(2026, 1, 20)


def kpi(name: str, actual: float | None, weight: str, *, override: Status | None = None,
        direction: Direction = Direction.HIGHER) -> Kpi:
    """Target 95, Amber from 90 (higher is better) or up to 100 (lower is better)."""
    amber = 90 if direction is Direction.HIGHER else 100
    return Kpi("C", name, "%", Measure(95), None if actual is None else Measure(actual),
               direction, Measure(amber), Fraction(weight), override=override)


def review(kpis: tuple[Kpi, ...], risks: tuple[Risk, ...] = (),
           decisions: tuple[Decision, ...] = (), actions: tuple[Action, ...] = (), *,
           previous: PreviousReview | None = None, review_date: dt.date | None = REVIEW_DAY,
           next_review: dt.date | None = NEXT_REVIEW,
           today: dt.date | None = None) -> ScoredReview:
    base = example_input(3)
    partnership = replace(base.partnership, review_date=review_date, next_review=next_review)
    source = ReviewInput(partnership, kpis, risks, decisions, actions=actions)
    return score_review(source, *RULES, previous, today)


def ids(scored: ScoredReview) -> list[str]:
    return [item.id for item in scored.attention]


def test_the_example_in_the_rules_order():
    scored = example_review(3)
    assert [(item.tier, item.id) for item in scored.attention] == [
        (Tier.RED_KPI, "Joint Project Milestone Delivery"),
        (Tier.OVERDUE, "A-02"),  # due 30 Sep, the review is on 14 Oct
        (Tier.HIGH_RISK, "SR-02"), (Tier.HIGH_RISK, "SR-03"), (Tier.HIGH_RISK, "SR-01"),
        (Tier.DECISION_DUE, "D-02"), (Tier.DECISION_DUE, "D-03"),
        # 4.0 against 4.5 misses by 11.1%, before $1.8M against $2.0M (10%)
        (Tier.AMBER_KPI, "Executive Engagement Score"),
        (Tier.AMBER_KPI, "Cost Synergy Realization"),
    ]
    assert scored.attention[1].days_overdue == 14
    assert [item.kind for item in scored.attention[:3]] == ["kpi", "action", "risk"]


def test_a_critical_risk_comes_before_twelve_red_kpis():
    """The issue's complaint: a score-25 Critical risk was 13th, below twelve Red KPIs."""
    reds = tuple(kpi(f"K{i:02d}", 50, "1/12") for i in range(12))
    scored = review(reds, (Risk("SR-09", "Platform outage", 5, 5),))
    assert ids(scored)[0] == "SR-09"
    assert ids(scored)[1:] == [f"K{i:02d}" for i in range(12)]


def test_every_tier_in_order():
    previous = PreviousReview(
        "2025-Q2", 80, Status.AMBER,
        kpi_status={"slipping": Status.GREEN},
        kpi_actual={"slipping": 99.0},
        risk_score={"R-LOW": 2, "R-UP": 4, "R-HIGH": 12, "R-CRIT": 20},
    )
    scored = review(
        (kpi("amber", 92, "0.2"), kpi("red", 50, "0.1"), kpi("no data", None, "0.1"),
         kpi("by hand", 50, "0.1", override=Status.GREEN), kpi("slipping", 97, "0.1"),
         kpi("fine", 99, "0.4")),
        (Risk("R-LOW", "quiet", 1, 2), Risk("R-UP", "rising", 2, 3), Risk("R-HIGH", "high", 3, 4),
         Risk("R-CRIT", "critical", 4, 5)),
        (Decision("D-SOON", "soon", due=dt.date(2025, 11, 1)),
         Decision("D-LATE", "late", due=dt.date(2025, 10, 1))),
        (Action("A-LATE", "late action", due=dt.date(2025, 9, 1)),),
        previous=previous,
    )
    assert [(item.tier, item.id) for item in scored.attention] == [
        (Tier.CRITICAL_RISK, "R-CRIT"),
        (Tier.RED_KPI, "red"),
        (Tier.OVERDUE, "A-LATE"),  # 43 days before the decision's 13
        (Tier.OVERDUE, "D-LATE"),
        (Tier.HIGH_RISK, "R-HIGH"),
        (Tier.DECISION_DUE, "D-SOON"),
        (Tier.RISK_UP, "R-UP"),
        (Tier.AMBER_KPI, "amber"),
        (Tier.NO_DATA_KPI, "no data"),
        (Tier.SET_BY_HAND, "by hand"),
        (Tier.KPI_WORSE, "slipping"),  # Green, but 97 after 99
    ]
    assert [item.days_overdue for item in scored.attention[2:4]] == [43, 13]


def test_within_a_tier_risks_by_score_then_id_and_kpis_by_weight_then_row():
    scored = review(
        (kpi("light", 50, "0.1"), kpi("heavy", 50, "0.5"), kpi("light too", 50, "0.1"),
         kpi("fine", 99, "0.3")),
        (Risk("B", "b", 4, 4), Risk("A", "a", 4, 4), Risk("C", "c", 5, 5)),
    )
    assert ids(scored) == ["C", "A", "B", "heavy", "light", "light too"]


def test_red_and_amber_kpis_by_the_size_of_the_miss_relative_to_the_target():
    """The issue's case: 35% below target before 0.05 pp below, whatever their weights; equal
    misses by weight, then row; a lower-is-better KPI's miss is how far above target it is;
    any miss of a target of 0 is the biggest."""
    def pct(name: str, target: float, actual: float, weight: str, amber: float,
            direction: Direction = Direction.HIGHER) -> Kpi:
        return Kpi("C", name, "%", Measure(target, percent=True), Measure(actual, percent=True),
                   direction, Measure(amber, percent=True), Fraction(weight))

    scored = review((
        pct("uptime, 0.05 pp short", 0.999, 0.9985, "0.4", 0.99),  # Amber, 0.05% below
        pct("growth, 35% short", 0.05, 0.0325, "0.1", 0.03),  # Amber, 35% below
        pct("churn, 20% over", 0.05, 0.06, "0.1", 0.07, Direction.LOWER),  # Amber, 20% over
        pct("margin, 10% short", 0.2, 0.18, "0.1", 0.15),  # Amber, 10% below
        pct("margin too, 10% short", 0.2, 0.18, "0.2", 0.15),  # heavier: before the one above
        pct("defects over a zero target", 0, 0.01, "0.05", 0.02, Direction.LOWER),  # Amber
        pct("red, 1% short", 0.5, 0.495, "0.025", 0.499),  # Red
        pct("red, 50% short", 0.5, 0.25, "0.025", 0.45),  # Red
    ))
    assert ids(scored) == [
        "red, 50% short", "red, 1% short",  # Red first, the bigger miss first
        "defects over a zero target", "growth, 35% short", "churn, 20% over",
        "margin too, 10% short", "margin, 10% short", "uptime, 0.05 pp short"]


def test_decisions_due_before_the_next_review_earliest_first_and_no_date_last():
    decisions = (
        Decision("D-1", "no date"),
        Decision("D-2", "after the next review", due=dt.date(2026, 2, 1)),
        Decision("D-3", "on the next review day", due=NEXT_REVIEW),
        Decision("D-4", "soon", due=dt.date(2025, 12, 1)),
        Decision("D-5", "sooner", due=dt.date(2025, 11, 1)),
        Decision("D-6", "decided", due=dt.date(2025, 1, 1), state=DecisionState.DECIDED),
    )
    fine = (kpi("fine", 99, "1"),)
    assert ids(review(fine, decisions=decisions)) == ["D-5", "D-4", "D-1"]
    # without a next review date, every open decision that is not overdue is asked for
    assert ids(review(fine, decisions=decisions, next_review=None)) == [
        "D-5", "D-4", "D-3", "D-2", "D-1"]


def test_overdue_is_counted_on_the_review_date_else_today_else_never():
    late = (Decision("D-1", "late", due=dt.date(2025, 10, 10)),)
    fine = (kpi("fine", 99, "1"),)
    on_review_day = review(fine, decisions=late)
    assert on_review_day.as_of == REVIEW_DAY
    assert on_review_day.attention[0].days_overdue == 4
    built_later = review(fine, decisions=late, review_date=None, today=dt.date(2025, 10, 20))
    assert built_later.as_of == dt.date(2025, 10, 20)
    assert built_later.attention[0].days_overdue == 10
    no_day = review(fine, decisions=late, review_date=None)
    assert no_day.as_of is None
    assert no_day.attention[0].tier is Tier.DECISION_DUE
    due_today = review(fine, decisions=(Decision("D-1", "today", due=REVIEW_DAY),))
    assert due_today.attention[0].tier is Tier.DECISION_DUE


def test_what_is_never_listed():
    scored = review(
        (kpi("fine", 99, "0.5"), kpi("agreed by hand", 99, "0.5", override=Status.GREEN)),
        (Risk("CLOSED", "closed", 5, 5, state=RiskState.CLOSED), Risk("LOW", "low", 1, 1)),
        actions=(Action("A-1", "done late", due=dt.date(2025, 1, 1), state=ActionState.DONE),
                 Action("A-2", "open, not due yet", due=dt.date(2025, 12, 1))),
    )
    assert scored.attention == ()


def test_a_lower_is_better_kpi_is_worse_when_its_actual_rises():
    previous = PreviousReview("2025-Q2", 100, Status.GREEN,
                              kpi_status={"latency": Status.GREEN, "errors": Status.GREEN},
                              kpi_actual={"latency": 80.0, "errors": 90.0})
    scored = review((kpi("latency", 90, "0.5", direction=Direction.LOWER),
                     kpi("errors", 80, "0.5", direction=Direction.LOWER)), previous=previous)
    assert ids(scored) == ["latency"]
    assert scored.attention[0].tier is Tier.KPI_WORSE


def test_decisions_taken_since_last_quarter_are_those_not_decided_then():
    previous = PreviousReview("2025-Q2", 88, Status.GREEN,
                              decision_state={"D-01": DecisionState.OPEN,
                                              "D-09": DecisionState.DECIDED})
    source = example_input(3)
    decided_before = Decision("D-09", "decided last quarter", state=DecisionState.DECIDED)
    scored = score_review(replace(source, decisions=(*source.decisions, decided_before)),
                          *RULES, previous)
    assert [d.id for d in scored.decisions_taken] == ["D-01"]
    assert [d.id for d in scored.decided_earlier] == ["D-09"]
    assert [d.id for d in example_review(3).decisions_taken] == ["D-01"]  # nothing archived


def test_a_new_risk_since_last_quarter_is_listed_with_the_risks_that_rose():
    previous = PreviousReview("2025-Q2", 100, Status.GREEN, risk_score={"OLD": 6})
    scored = review((kpi("fine", 99, "1"),),
                    (Risk("OLD", "old", 2, 3), Risk("NEW", "new", 2, 3), Risk("UP", "up", 2, 4)),
                    previous=replace(previous, risk_score={"OLD": 6, "UP": 6}))
    assert [(item.tier, item.id) for item in scored.attention] == [
        (Tier.RISK_UP, "UP"), (Tier.RISK_UP, "NEW")]
