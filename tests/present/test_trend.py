"""The trend: the score axis fitted to the scores (bands kept in view, a 5-point change
visible), the KPI-by-quarter grid of values with their status word, a first quarter."""

from __future__ import annotations

import pytest

from factories import GENERATED_AT, example_history, example_review
from reportgen.config import Settings
from reportgen.present.trend import fitted_axis, score_trend
from reportgen.present.view import build_view

EDGES = (70, 85)  # the default Amber and Green thresholds


@pytest.mark.parametrize(("scores", "axis"), [
    ((88, 83), (65, 95)),  # the example: both band edges and a little of each band in view
    ((100, 100), (80, 100)),  # at the top: the Green edge and some Amber below it
    ((50, 52), (45, 75)),  # deep Red: the Amber edge nearby shows; the Green one stays out
    ((0, 5), (0, 20)),  # never below 0
    ((20, 95), (15, 100)),  # a wide spread keeps its own range
])
def test_the_axis_fits_the_scores(scores: tuple[int, int], axis: tuple[int, int]) -> None:
    assert fitted_axis(scores, EDGES) == axis


@pytest.mark.parametrize("scores", [(88, 83), (71, 76), (40, 45), (95, 100), (0, 5)])
def test_a_five_point_change_takes_at_least_a_sixth_of_the_height(scores) -> None:
    low, high = fitted_axis(scores, EDGES)
    assert 5 / (high - low) >= 1 / 7  # 30 points tall at most for two close scores
    assert low <= min(scores) and max(scores) <= high


def test_trend_after_last_quarter_gives_each_kpis_value_and_status():
    previous, entry = example_history()
    trend = score_trend(example_review(3, previous), [entry])
    assert trend.axis == (65, 95) and trend.ticks == (65, 70, 75, 80, 85, 90, 95)
    milestone = trend.kpi_grid[3]
    assert milestone.kpi == "Joint Project Milestone Delivery"
    assert [(c.value, c.status.word) for c in milestone.cells if c] == [("96%", "Green"),
                                                                        ("88%", "Red")]
    assert [(c.value if c else None) for c in trend.kpi_grid[1].cells] == ["$1.6M", "$1.8M"]


def test_a_first_quarter_is_one_short_sentence():
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    assert view.trend.first_quarter
    assert view.trend_lead == (
        "Q3 2025 is the first archived quarter for this partnership, at 83 (Amber): the trend "
        "chart, the KPI sparklines and the KPI-by-quarter grid start with the next review.")


def test_the_caption_says_where_the_axis_runs():
    previous, entry = example_history()
    view = build_view(example_review(3, previous), Settings(), GENERATED_AT, history=[entry])
    assert view.trend_caption.startswith(
        "Overall score by quarter; the axis runs from 65 to 95 (not from 0), so that a change "
        "of a few points shows. Shaded bands: Green 85 and above;")
