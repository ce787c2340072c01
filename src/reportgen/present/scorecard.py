"""Scored KPIs → the scorecard's rows: every number formatted, categories grouped, the change
since last quarter in words and arrow (docs/pack.md#sections)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.measures import format_measure, format_percent
from ..domain.model import Direction
from ..domain.scoring import KpiResult
from ..domain.text import clean_text
from .status import StatusView


@dataclass(frozen=True)
class KpiRow:
    category: str
    category_span: int  # rows in this category when this is its first row, else 0
    name: str
    metric: str
    direction: str  # "Higher is better" / "Lower is better"
    target: str
    actual: str  # "—" when there is no data
    amber_threshold: str  # "" when none
    status: StatusView
    computed: StatusView | None  # set only when the status was overridden by hand
    weight: str
    points: str
    previous: StatusView | None
    change: str  # "▲", "▼", "▬" or "" (no previous quarter)
    change_text: str  # "Green → Red", "unchanged", "new", ""
    owner: str
    commentary: str

    @property
    def direction_note(self) -> str:
        """The note under the KPI's name: "Lower is better" where it is, else ""."""
        return self.direction if self.direction == "Lower is better" else ""

    @property
    def change_label(self) -> str:
        """The change as one line: "▼ Green → Red", "▬ unchanged", "—" with nothing to compare."""
        return f"{self.change} {self.change_text}" if self.change else "—"


def kpi_rows(results: Sequence[KpiResult]) -> tuple[KpiRow, ...]:
    spans: list[int] = []
    for index, result in enumerate(results):
        if index and results[index - 1].kpi.category == result.kpi.category:
            spans.append(0)
            first = max(i for i, s in enumerate(spans) if s)
            spans[first] += 1
        else:
            spans.append(1)
    rows = []
    for result, span in zip(results, spans, strict=True):
        k = result.kpi
        previous = StatusView.of(result.previous_status) if result.previous_status else None
        if result.previous_status is None:
            change, change_text = "", ""
        elif result.status.rank > result.previous_status.rank:
            change, change_text = "▲", f"{result.previous_status.value} → {result.status.value}"
        elif result.status.rank < result.previous_status.rank:
            change, change_text = "▼", f"{result.previous_status.value} → {result.status.value}"
        else:
            change, change_text = "▬", "unchanged"
        rows.append(KpiRow(
            category=clean_text(k.category),
            category_span=span,
            name=clean_text(k.name),
            metric=clean_text(k.metric),
            direction="Higher is better" if k.direction is Direction.HIGHER else "Lower is better",
            target=format_measure(k.target),
            actual=format_measure(k.actual) if k.actual else "—",
            amber_threshold=format_measure(k.amber_threshold) if k.amber_threshold else "",
            status=StatusView.of(result.status),
            computed=StatusView.of(result.computed) if result.overridden else None,
            weight=format_percent(k.weight),
            points=str(result.points),
            previous=previous,
            change=change,
            change_text=change_text,
            owner=clean_text(k.owner),
            commentary=clean_text(k.commentary),
        ))
    return tuple(rows)
