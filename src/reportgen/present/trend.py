"""Scored review + archived quarters → the trend: overall score per quarter (at most eight) and
each KPI's status by quarter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.history import HistoryEntry
from ..domain.model import Quarter
from ..domain.scoring import ScoredReview
from ..domain.text import clean_text, normalise
from .status import StatusView


@dataclass(frozen=True)
class TrendPoint:
    quarter: str  # "Q3 2025"
    score: int
    status: StatusView


@dataclass(frozen=True)
class KpiHistoryRow:
    kpi: str
    cells: tuple[StatusView | None, ...]  # one per trend quarter; None when not reported


@dataclass(frozen=True)
class Trend:
    points: tuple[TrendPoint, ...]  # oldest first, this quarter last, at most 8
    kpi_grid: tuple[KpiHistoryRow, ...]
    first_quarter: bool  # no earlier archived review


def score_trend(review: ScoredReview, history: Sequence[HistoryEntry]) -> Trend:
    current = review.input.partnership.quarter
    earlier = [h for h in history if Quarter.parse(h.quarter) < current][-7:]
    points = [TrendPoint(Quarter.parse(h.quarter).label, h.score, StatusView.of(h.status))
              for h in earlier]
    points.append(TrendPoint(current.label, review.score, StatusView.of(review.status)))
    grid = []
    for k in review.kpis:
        key = normalise(k.kpi.name)
        cells: list[StatusView | None] = []
        for h in earlier:
            past = {normalise(name): status for name, status in h.kpi_status.items()}.get(key)
            cells.append(StatusView.of(past) if past else None)
        cells.append(StatusView.of(k.status))
        grid.append(KpiHistoryRow(clean_text(k.kpi.name), tuple(cells)))
    return Trend(tuple(points), tuple(grid), first_quarter=not earlier)
