"""Scoring rules (docs/scoring.md): the seed figures, every status rule at its boundaries,
points, risks."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import example_input, example_review
from reportgen.domain.model import Direction, Kpi, Measure, ReviewInput, Risk, RiskState, Status
from reportgen.domain.rules import RiskBands, Scoring
from reportgen.domain.scoring import (
    PreviousReview,
    RiskMove,
    kpi_status,
    overall_status,
    risk_rating,
    round_half_up,
    score_kpi,
    score_review,
)


def kpi(actual: float | None, target: float = 10, amber: float | None = 8,
        direction: Direction = Direction.HIGHER, weight: str = "1",
        override: Status | None = None) -> Kpi:
    return Kpi("Cat", "K", "unit", Measure(target), None if actual is None else Measure(actual),
               direction, None if amber is None else Measure(amber), Fraction(weight),
               override=override)


def test_seed_scorecard_reproduces_table_1():
    review = example_review(3)
    assert [k.points for k in review.kpis] == [30, 15, 15, 5, 10, 8]
    assert [k.status.value for k in review.kpis] == ["Green", "Amber", "Green", "Red", "Green",
                                                     "Amber"]
    assert review.score == 83
    assert review.status is Status.AMBER


def test_seed_risks_reproduce_table_2():
    review = example_review(3)
    assert [(r.risk.id, r.score, r.rating.value) for r in review.risks] == [
        ("SR-02", 12, "High"), ("SR-03", 12, "High"), ("SR-01", 10, "High"), ("SR-04", 9, "Medium")
    ]


def test_previous_quarter_example_is_green():
    review = example_review(2)
    assert review.score == 88
    assert review.status is Status.GREEN


@pytest.mark.parametrize(("actual", "expected"), [
    (11, Status.GREEN), (10, Status.GREEN), (9.99, Status.AMBER), (8, Status.AMBER),
    (7.99, Status.RED), (0, Status.RED),
])
def test_higher_is_better_boundaries(actual, expected):
    assert kpi_status(kpi(actual)) is expected


@pytest.mark.parametrize(("actual", "expected"), [
    (9, Status.GREEN), (10, Status.GREEN), (10.01, Status.AMBER), (12, Status.AMBER),
    (12.01, Status.RED), (50, Status.RED),
])
def test_lower_is_better_boundaries(actual, expected):
    assert kpi_status(kpi(actual, amber=12, direction=Direction.LOWER)) is expected


@pytest.mark.parametrize(("direction", "actual", "expected"), [
    (Direction.HIGHER, 10, Status.GREEN), (Direction.HIGHER, 9.9, Status.RED),
    (Direction.LOWER, 10, Status.GREEN), (Direction.LOWER, 10.1, Status.RED),
])
def test_without_amber_threshold_there_is_no_amber_band(direction, actual, expected):
    assert kpi_status(kpi(actual, amber=None, direction=direction)) is expected


def test_no_actual_is_no_data_with_zero_points():
    result = score_kpi(kpi(None, weight="0.2"), Scoring())
    assert result.status is Status.NO_DATA
    assert result.source.value == "no-data"
    assert result.points == 0


def test_override_replaces_status_and_keeps_the_computed_one():
    result = score_kpi(kpi(5, weight="0.2", override=Status.AMBER), Scoring())
    assert result.status is Status.AMBER
    assert result.computed is Status.RED
    assert result.overridden
    assert result.points == 15


@pytest.mark.parametrize(("exact", "shown"), [
    (Fraction(15, 2), 8), (Fraction(5, 2), 3), (Fraction(149, 10), 15), (Fraction(145, 10), 15),
    (Fraction(144, 10), 14), (Fraction(0), 0), (Fraction(100), 100),
])
def test_round_half_up(exact, shown):
    assert round_half_up(exact) == shown


def test_red_is_one_third_of_the_weight():
    assert score_kpi(kpi(0, weight="0.15"), Scoring()).points == 5
    assert score_kpi(kpi(0, weight="0.3"), Scoring()).points == 10


@pytest.mark.parametrize(("score", "expected"), [
    (100, Status.GREEN), (85, Status.GREEN), (84, Status.AMBER), (70, Status.AMBER),
    (69, Status.RED), (0, Status.RED),
])
def test_overall_bands(score, expected):
    assert overall_status(score, Scoring()) is expected


def test_overall_bands_are_configurable():
    assert overall_status(84, Scoring(green_from=80)) is Status.GREEN


@pytest.mark.parametrize(("score", "rating"), [
    (1, "Low"), (4, "Low"), (5, "Medium"), (9, "Medium"), (10, "High"), (14, "High"),
    (15, "Critical"), (25, "Critical"),
])
def test_risk_rating_bands(score, rating):
    assert risk_rating(score, RiskBands()).value == rating


def _review_with_risks(*risks: Risk) -> ReviewInput:
    base = example_input(3)
    return ReviewInput(base.partnership, base.kpis, risks)


def test_risks_rank_by_score_then_id_and_closed_ones_last():
    review = score_review(_review_with_risks(
        Risk("B", "b", 2, 2), Risk("A", "a", 2, 2), Risk("C", "c", 5, 5, state=RiskState.CLOSED),
        Risk("D", "d", 3, 3),
    ), Scoring(), RiskBands())
    assert [r.risk.id for r in review.risks] == ["D", "A", "B", "C"]
    assert [r.risk.id for r in review.open_risks] == ["D", "A", "B"]


def test_movement_against_the_previous_quarter():
    previous = PreviousReview(
        quarter="2025-Q2", score=88, status=Status.GREEN,
        kpi_status={"joint project milestone delivery": Status.GREEN},
        kpi_actual={"joint project milestone delivery": 0.96},
        risk_score={"SR-02": 9, "SR-03": 9, "SR-01": 10, "SR-09": 4},
    )
    review = example_review(3, previous)
    assert review.score_delta == -5
    milestone = review.kpis[3]
    assert milestone.previous_status is Status.GREEN
    assert milestone.worse_than_before
    assert milestone.actual_trend == -1
    moves = {r.risk.id: r.move for r in review.risks}
    assert moves == {"SR-02": RiskMove.UP, "SR-03": RiskMove.UP, "SR-01": RiskMove.SAME,
                     "SR-04": RiskMove.NEW}
    assert review.dropped_risks == ("SR-09",)
    assert [r.risk.id for r in review.risks if r.rose] == ["SR-02", "SR-03"]
    assert [r.risk.id for r in review.risks if r.is_new] == ["SR-04"]


statuses = st.sampled_from([Status.GREEN, Status.AMBER, Status.RED, None])


@given(st.lists(st.tuples(st.integers(1, 1000), statuses), min_size=1, max_size=40))
def test_overall_is_the_sum_of_shown_points_and_never_exceeds_100(parts):
    total = sum(share for share, _ in parts)
    weights = [Fraction(share, total) for share, _ in parts]
    weights[-1] = 1 - sum(weights[:-1])
    kpis = tuple(
        Kpi("C", f"K{i}", "u", Measure(10), Measure(10), Direction.HIGHER, Measure(8), w,
            override=status)
        if status else
        Kpi("C", f"K{i}", "u", Measure(10), None, Direction.HIGHER, Measure(8), w)
        for i, ((_, status), w) in enumerate(zip(parts, weights, strict=True))
    )
    base = example_input(3)
    review = score_review(ReviewInput(base.partnership, kpis, ()), Scoring(), RiskBands())
    assert review.score == sum(k.points for k in review.kpis)
    assert 0 <= review.score <= 100


def test_rounding_never_makes_the_column_add_up_to_more_than_the_total():
    base = example_input(3)
    kpis = tuple(
        Kpi("C", name, "u", Measure(10), Measure(10), Direction.HIGHER, Measure(8), Fraction(w))
        for name, w in (("A", "0.275"), ("B", "0.725"))
    )
    review = score_review(ReviewInput(base.partnership, kpis, ()), Scoring(), RiskBands())
    assert [k.points for k in review.kpis] == [28, 72]
    assert review.score == 100
