"""Scored review + archived quarters → the trend: the overall score per quarter (at most eight)
on an axis fitted to the scores, and each KPI's actual and status by quarter
(docs/pack.md#sections).

Also how an archived quarter's KPI actual is read back (`Quarters`), which the scorecard's
Previous column and sparklines use too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.history import HistoryEntry
from ..domain.measures import format_measure, in_look
from ..domain.model import Kpi, Measure, Quarter, Status
from ..domain.scoring import ScoredReview
from ..domain.text import clean_text, normalise
from .language import quarter_label
from .status import StatusView

QUARTERS_SHOWN = 8  # this quarter and up to seven archived ones


@dataclass(frozen=True)
class TrendPoint:
    quarter: str  # "Q3 2025"
    score: int
    status: StatusView


@dataclass(frozen=True)
class GridCell:
    value: str  # the actual as its workbook showed it ("6.2%"), "—" for no data
    status: StatusView


@dataclass(frozen=True)
class KpiHistoryRow:
    kpi: str
    cells: tuple[GridCell | None, ...]  # one per trend quarter; None when not reported


@dataclass(frozen=True)
class Trend:
    points: tuple[TrendPoint, ...]  # oldest first, this quarter last, at most 8
    kpi_grid: tuple[KpiHistoryRow, ...]
    first_quarter: bool  # no earlier archived review
    axis: tuple[int, int] = (0, 100)  # the score axis: low, high (fitted to the scores)
    ticks: tuple[int, ...] = (0, 25, 50, 75, 100)


class Quarters:
    """The archived quarters a pack shows (oldest first, at most seven before this one), with
    each KPI's status and actual looked up by name."""

    def __init__(self, review: ScoredReview, history: Sequence[HistoryEntry]) -> None:
        current = review.input.partnership.quarter
        self.entries = [h for h in history if Quarter.parse(h.quarter) < current]
        self.entries = self.entries[-(QUARTERS_SHOWN - 1):]
        self._status = [{normalise(k): s for k, s in h.kpi_status.items()} for h in self.entries]
        self._actual = [{normalise(k): a for k, a in h.kpi_actual.items()} for h in self.entries]
        self._measure = [{normalise(k): m for k, m in h.kpi_measure.items()}
                         for h in self.entries]

    def status(self, index: int, kpi: Kpi) -> Status | None:
        """The KPI's status in the `index`th quarter; None when it was not reported then."""
        return self._status[index].get(normalise(kpi.name))

    def actual(self, index: int, kpi: Kpi) -> Measure | None:
        """The KPI's actual in the `index`th quarter as that workbook showed it (None when it
        was not reported or had no data)."""
        key = normalise(kpi.name)
        if key not in self._status[index]:
            return None
        return past_actual(kpi, self._measure[index].get(key), self._actual[index].get(key))


def past_actual(kpi: Kpi, measure: Measure | None, value: float | None) -> Measure | None:
    """An archived actual as its workbook showed it: `measure` when the archive kept its look;
    otherwise (archived before it kept looks) `value` in this quarter's look of the KPI."""
    if measure is not None:
        return measure
    if value is None:
        return None
    return in_look(value, kpi.actual or kpi.target)


def score_trend(review: ScoredReview, history: Sequence[HistoryEntry] | Quarters,
                green_from: float = 85, amber_from: float = 70) -> Trend:
    quarters = history if isinstance(history, Quarters) else Quarters(review, history)
    earlier = quarters.entries
    current = review.input.partnership.quarter
    points = [TrendPoint(quarter_label(h.quarter), h.score, StatusView.of(h.status))
              for h in earlier]
    points.append(TrendPoint(quarter_label(current), review.score, StatusView.of(review.status)))
    grid = []
    for k in review.kpis:
        cells: list[GridCell | None] = []
        for index in range(len(earlier)):
            status = quarters.status(index, k.kpi)
            actual = quarters.actual(index, k.kpi)
            cells.append(None if status is None else _grid_cell(actual, status))
        cells.append(_grid_cell(k.kpi.actual, k.status))
        grid.append(KpiHistoryRow(clean_text(k.kpi.name), tuple(cells)))
    return points_trend(points, green_from, amber_from, tuple(grid))


def points_trend(points: Sequence[TrendPoint], green_from: float = 85, amber_from: float = 70,
                 kpi_grid: tuple[KpiHistoryRow, ...] = ()) -> Trend:
    """The trend of these scores (oldest first) on an axis fitted to them."""
    low, high = fitted_axis([p.score for p in points], (amber_from, green_from))
    return Trend(tuple(points), kpi_grid, first_quarter=len(points) == 1, axis=(low, high),
                 ticks=_ticks(low, high))


def fitted_axis(scores: Sequence[int], edges: Sequence[float]) -> tuple[int, int]:
    """The score axis for `scores`: 5 points of room each side, widened to take in a band edge
    lying within 10 points of it (with 5 points of that band showing), at least 20 points tall,
    in multiples of 5 within 0–100. A 5-point change is then at least a sixth of the height."""
    bottom = max(0, 5 * math.floor((min(scores) - 5) / 5))
    top = min(100, 5 * math.ceil((max(scores) + 5) / 5))
    low, high = bottom, top
    for edge in edges:  # each measured from the scores' own range: one edge pulls in no other
        if bottom - 10 <= edge <= bottom:
            low = min(low, max(0, 5 * math.floor((edge - 5) / 5)))
        if top <= edge <= top + 10:
            high = max(high, min(100, 5 * math.ceil((edge + 5) / 5)))
    while high - low < 20:
        low, high = max(0, low - 5), min(100, high + 5)
    return low, high


def _ticks(low: int, high: int) -> tuple[int, ...]:
    step = 5 if high - low <= 40 else 10 if high - low <= 80 else 25
    return tuple(range(low + (-low) % step, high + 1, step))


def _grid_cell(actual: Measure | None, status: Status) -> GridCell:
    return GridCell(format_measure(actual) if actual is not None else "—",
                    StatusView.of(status))

