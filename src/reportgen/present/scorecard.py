"""Scored KPIs + the archived quarters → the scorecard's rows (docs/pack.md#the-scorecard).

Every number formatted once: target, last quarter's actual as that quarter's workbook showed
it, actual, the variance to target in the KPI's own unit (+ favourable), weight and points,
with the † of a row the rounding rule moved; the category each row opens, the change since last
quarter in words and arrow, and the sparkline of the KPI's actuals with its target line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..domain.exact import exact_sum, round_to
from ..domain.measures import (
    format_measure,
    format_number,
    format_percent,
    format_points,
    format_variance,
)
from ..domain.measures import variance as measure_variance
from ..domain.model import Direction, Measure
from ..domain.scoring import KpiResult, ScoredReview
from ..domain.text import clean_text, normalise
from .language import _, quarter_label, term
from .status import StatusView
from .trend import Quarters, past_actual
from .wording import WORDS

Point = tuple[float, float]


@dataclass(frozen=True)
class Spark:
    """A KPI's actuals over the trend's quarters and its target, placed in a box 1 wide and 1
    tall (y up): both packs draw these same shapes, the PDF as vector and Word as an image."""

    lines: tuple[tuple[Point, ...], ...]  # runs of consecutive quarters that have an actual
    dots: tuple[Point, ...]  # every quarter that has an actual
    last: Point | None  # this quarter's (drawn larger, in its status colour)
    last_css: str  # this quarter's status, as `StatusView.css`
    target: float  # height of the target line
    alt: str  # in words: "Joint Revenue Growth by quarter: Q2 2025 4.6%, Q3 2025 6.2%; target 5%."


SUBTOTALS_AFTER = 12  # KPIs: a longer scorecard of two or more categories gets subtotals


@dataclass(frozen=True)
class Subtotal:
    """A category's weight and points, summed as shown, under its last KPI."""

    label: str  # "Subtotal: Financial Performance"
    weight: str
    points: str


@dataclass(frozen=True)
class KpiRow:
    category: str
    first_in_category: bool  # the category's heading goes above this row
    name: str
    metric: str
    direction: str  # "Higher is better" / "Lower is better"
    target: str
    previous: str  # last quarter's actual as that workbook showed it; "—" when none
    actual: str  # "—" when there is no data
    variance: str  # actual − target, + favourable: "+1.2 pp", "−$0.2M"; "—" without an actual
    variance_css: str  # "better", "worse" or "" (on target, or no actual)
    amber_threshold: str  # "" when none
    status: StatusView
    computed: StatusView | None  # set only when the status was overridden by hand
    weight: str
    points: str
    points_mark: str  # "†" when the rounding rule gave a point back (or took one), else ""
    previous_status: StatusView | None
    change: str  # "▲", "▼", "▬", "●" (new this quarter) or "" (no previous quarter)
    change_text: str  # "Green → Red", "unchanged", "new this quarter", ""
    owner: str
    commentary: str
    spark: Spark | None  # None until the KPI has two quarters to show
    lower_is_better: bool = False
    subtotal: Subtotal | None = None  # set on a category's last KPI of a long scorecard

    @property
    def direction_note(self) -> str:
        """The note under the KPI's name: "Lower is better" where it is, else ""."""
        return self.direction if self.lower_is_better else ""

    @property
    def change_label(self) -> str:
        """The change as one line: "▼ Green → Red", "▬ unchanged", "—" with nothing to compare."""
        return f"{self.change} {self.change_text}" if self.change else "—"

    @property
    def change_css(self) -> str:
        """How the change reads, for its colour: "better", "worse", "new" or "same"."""
        return {"▲": "better", "▼": "worse", "●": "new"}.get(self.change, "same")


def kpi_rows(review: ScoredReview, quarters: Quarters) -> tuple[KpiRow, ...]:
    rows = []
    labels = [*(quarter_label(h.quarter) for h in quarters.entries),
              quarter_label(review.input.partnership.quarter)]
    unit = review.points_unit
    subtotals = _subtotals(review)
    for index, result in enumerate(review.kpis):
        k = result.kpi
        first = index == 0 or review.kpis[index - 1].kpi.category != k.category
        gap = None
        if k.actual is not None:
            gap = measure_variance(k.actual, k.target, k.direction is Direction.LOWER)
        change, change_text = _change(review, result)
        actuals = [*(quarters.actual(i, k) for i in range(len(quarters.entries))), k.actual]
        rows.append(KpiRow(
            category=clean_text(k.category),
            first_in_category=first,
            name=clean_text(k.name),
            metric=clean_text(k.metric),
            direction=(_("Higher is better") if k.direction is Direction.HIGHER
                       else _("Lower is better")),
            target=format_measure(k.target),
            previous=_previous(review, result),
            actual=format_measure(k.actual) if k.actual else "—",
            variance="—" if gap is None else format_variance(gap, _("{value} pp")),
            variance_css="" if gap is None or gap.value == 0 else
            "better" if gap.value > 0 else "worse",
            amber_threshold=format_measure(k.amber_threshold) if k.amber_threshold else "",
            status=StatusView.of(result.status),
            computed=StatusView.of(result.computed) if result.overridden else None,
            weight=format_percent(k.weight),
            points=format_points(result.shown, unit),
            points_mark="†" if _moved(result, unit) else "",
            previous_status=(StatusView.of(result.previous_status) if result.previous_status
                             else None),
            change=change,
            change_text=change_text,
            owner=clean_text(k.owner),
            commentary=_blank_as_none(clean_text(k.commentary)),
            spark=_spark(result, actuals, labels),
            lower_is_better=k.direction is Direction.LOWER,
            subtotal=subtotals.get(index),
        ))
    return tuple(rows)


def _subtotals(review: ScoredReview) -> dict[int, Subtotal]:
    """Each category's subtotal, keyed by the index of its last KPI: when the scorecard has more
    than `SUBTOTALS_AFTER` KPIs in two or more categories (a table that runs over pages), so
    that a reader sees where each category's points went without adding them up. The points are
    the sum of the points shown, so the subtotals add up to the overall score."""
    kpis = review.kpis
    if len(kpis) <= SUBTOTALS_AFTER or len({k.kpi.category for k in kpis}) < 2:
        return {}
    ends = [i for i in range(len(kpis))
            if i == len(kpis) - 1 or kpis[i + 1].kpi.category != kpis[i].kpi.category]
    found: dict[int, Subtotal] = {}
    start = 0
    for end in ends:
        group = kpis[start:end + 1]
        found[end] = Subtotal(_("{subtotal}: {category}").format(
                                  subtotal=WORDS.subtotal,
                                  category=clean_text(group[0].kpi.category)),
                              format_percent(exact_sum([k.kpi.weight for k in group])),
                              format_points(exact_sum([k.shown for k in group]),
                                            review.points_unit))
        start = end + 1
    return found


def points_note(review: ScoredReview) -> str:
    """The † footnote: which way the marked rows were rounded and the exact total they keep the
    column at; '' when no row was moved."""
    unit = review.points_unit
    moved = [r for r in review.kpis if _moved(r, unit)]
    if not moved:
        return ""
    down = moved[0].shown < round_to(moved[0].exact_points, unit)
    naive = exact_sum([round_to(r.exact_points, unit) for r in review.kpis])
    exact = exact_sum([r.exact_points for r in review.kpis])
    exact_text = format_number(round(float(exact), 2))
    if exact.denominator != 1:
        exact_text = _("{exact}, {score} once rounded").format(exact=exact_text,
                                                                score=review.score)
    note = (_("† Rounded down, not up: rounding every row half-up would total {naive} points, "
              "but the exact total (weight × status factor, summed) is {exact}; the marked rows "
              "make up the difference, so the points add up to {score}.") if down else
            _("† Rounded up, not down: rounding every row half-up would total {naive} points, "
              "but the exact total (weight × status factor, summed) is {exact}; the marked rows "
              "make up the difference, so the points add up to {score}."))
    return note.format(naive=format_number(float(naive)), exact=exact_text, score=review.score)


def _moved(result: KpiResult, unit: Fraction) -> bool:
    """Whether the rounding rule moved this row off its own half-up rounding (to `unit`)."""
    return result.shown != round_to(result.exact_points, unit)


def _previous(review: ScoredReview, result: KpiResult) -> str:
    if review.previous is None:
        return "—"
    key = normalise(result.kpi.name)
    actual = past_actual(result.kpi, review.previous.kpi_measure.get(key),
                         review.previous.kpi_actual.get(key))
    return "—" if actual is None else format_measure(actual)


def _change(review: ScoredReview, result: KpiResult) -> tuple[str, str]:
    before, now = result.previous_status, result.status
    if before is None:
        if review.previous is not None and review.previous.kpi_status:
            return "●", _("new this quarter")
        return "", ""
    if now.rank > before.rank:
        return "▲", f"{term(before)} → {term(now)}"
    if now.rank < before.rank:
        return "▼", f"{term(before)} → {term(now)}"
    return "▬", _("unchanged")


def _spark(result: KpiResult, actuals: Sequence[Measure | None],
           labels: Sequence[str]) -> Spark | None:
    """The sparkline of `actuals` (one per trend quarter, oldest first, labelled `labels`),
    when two or more quarters have one; a tenth of the box stays free above and below."""
    known = [m.value for m in actuals if m is not None]
    if len(known) < 2:
        return None
    k = result.kpi
    low, high = min(*known, k.target.value), max(*known, k.target.value)

    def y(value: float) -> float:
        return 0.5 if high == low else round(0.1 + 0.8 * (value - low) / (high - low), 4)

    step = 1 / (len(actuals) - 1)
    points = [None if m is None else (round(i * step, 4), y(m.value))
              for i, m in enumerate(actuals)]
    lines: list[tuple[Point, ...]] = []
    run: list[Point] = []
    for point in [*points, None]:
        if point is None:
            if len(run) > 1:
                lines.append(tuple(run))
            run = []
        else:
            run.append(point)
    words = _(", ").join(f"{label} {format_measure(m)}"
                      for label, m in zip(labels, actuals, strict=True) if m is not None)
    alt = _("{kpi} by quarter: {actuals}; target {target}.").format(
        kpi=clean_text(k.name), actuals=words, target=format_measure(k.target))
    return Spark(tuple(lines), tuple(p for p in points if p is not None), points[-1],
                 StatusView.of(result.status).css, y(k.target.value), alt)


def _blank_as_none(text: str) -> str:
    """Text with nothing visible in it is no text: no commentary row is drawn for it."""
    return text if text.strip() else ""
