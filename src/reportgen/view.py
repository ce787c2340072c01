"""`ScoredReview` (+ history) → `PackView`: the documented data every renderer receives.

Every number is formatted here, once (through `numfmt`), so the PDF, the HTML preview and the
Word pack show the same text. Templates only loop and branch over these fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import __version__
from .config import Settings
from .model import Direction, Quarter, RiskRating, Status
from .numfmt import format_measure, format_percent, format_signed
from .scoring import KpiResult, RiskMove, RiskResult, ScoredReview, kpi_key, risk_rating
from .text import clean_text


@dataclass(frozen=True)
class StatusView:
    word: str  # "Green", "Amber", "Red", "No data"
    letter: str  # "G", "A", "R", "–"
    css: str  # "green", "amber", "red", "nodata": a class name, never shown

    @classmethod
    def of(cls, status: Status) -> StatusView:
        return cls(status.value, status.letter, status.name.lower().replace("_", ""))


@dataclass(frozen=True)
class RatingView:
    word: str  # "Low" … "Critical"
    css: str  # "low", "medium", "high", "critical"

    @classmethod
    def of(cls, rating: RiskRating) -> RatingView:
        return cls(rating.value, rating.value.lower())


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


@dataclass(frozen=True)
class RiskRow:
    id: str
    description: str
    category: str
    probability: str
    impact: str
    score: str
    rating: RatingView
    mitigation: str
    owner: str
    trend: str  # "New", "Up", "Down", "Same", "Closed" or "" (first archived quarter)
    trend_arrow: str  # "▲", "▼", "▬", "●" (new), "✓" (closed) or ""
    previous_score: str


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    score: int
    rating: RatingView
    ids: tuple[str, ...]  # open risks in this cell now
    previous_ids: tuple[str, ...]  # risks that sat here last quarter and have moved since


@dataclass(frozen=True)
class ExceptionRow:
    kind: str  # "KPI", "Risk", "Decision"
    name: str
    reason: str
    ref: str
    severity: int  # 1 most severe


@dataclass(frozen=True)
class DecisionRow:
    id: str
    text: str
    owner: str
    due: str
    status: str
    notes: str


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
class HistoryEntry:
    """One archived quarter, as the archive hands it to the view (oldest first)."""

    quarter: str  # canonical "2025-Q2"
    score: int
    status: Status
    kpi_status: dict[str, Status] = field(default_factory=dict)  # KPI name → status


@dataclass(frozen=True)
class Trend:
    points: tuple[TrendPoint, ...]  # oldest first, this quarter last, at most 8
    kpi_grid: tuple[KpiHistoryRow, ...]
    first_quarter: bool  # no earlier archived review


@dataclass(frozen=True)
class Band:
    label: str  # "Green", "High"
    rule: str  # "85 and above", "10–14"
    css: str


@dataclass(frozen=True)
class Methodology:
    factors: tuple[tuple[StatusView, str], ...]  # (status, "1.0 × weight")
    overall_bands: tuple[Band, ...]
    risk_bands: tuple[Band, ...]
    green_from: float = 85  # the overall-score thresholds as numbers, for the trend chart's bands
    amber_from: float = 70


@dataclass(frozen=True)
class Provenance:
    source_file: str
    source_sha256: str
    generated_at: str  # "2025-10-01 09:30 UTC"
    version: str
    config_digest: str


@dataclass(frozen=True)
class Branding:
    organisation: str
    primary_colour: str
    accent_colour: str
    font: str
    logo_url: str | None  # resolved by the renderer's fetcher; only the configured logo


@dataclass(frozen=True)
class PackView:
    title: str
    partnership: str
    partner: str
    quarter: str  # "2025-Q3"
    quarter_label: str  # "Q3 2025"
    confidentiality: str
    executive_sponsor: str
    partner_sponsor: str
    alliance_manager: str
    governance_model: str
    review_date: str
    next_review: str
    distribution: tuple[str, ...]

    score: str
    status: StatusView
    score_delta: str  # "+3", "−5", "0" or "" (first archived quarter)
    previous_quarter_label: str
    status_counts: tuple[tuple[StatusView, int], ...]
    exceptions: tuple[ExceptionRow, ...]
    changes: tuple[str, ...]  # "what changed since last review" sentences

    kpis: tuple[KpiRow, ...]
    total_weight: str
    commentary: tuple[tuple[str, str], ...]  # (KPI, commentary) for KPIs that have one

    risks: tuple[RiskRow, ...]  # open, ranked
    closed_risks: tuple[RiskRow, ...]
    top_risks: tuple[RiskRow, ...]
    heatmap: tuple[tuple[HeatCell, ...], ...]  # rows from probability 5 down to 1
    decisions: tuple[DecisionRow, ...]
    open_decisions: tuple[DecisionRow, ...]

    trend: Trend
    methodology: Methodology
    provenance: Provenance
    branding: Branding
    page_size: str  # CSS @page size, e.g. "A4 landscape"
    slug: str

    @property
    def changes_in_brief(self) -> tuple[str, ...]:
        """The first four changes, for the summary page of either pack."""
        return self.changes[:4]

    @property
    def changes_more(self) -> str:
        """What the summary says of the changes beyond the first four ('' when none)."""
        more = len(self.changes) - len(self.changes_in_brief)
        return f"and {more} more: see the scorecard and the risk matrix." if more else ""


_ARROWS = {RiskMove.UP: "▲", RiskMove.DOWN: "▼", RiskMove.SAME: "▬", RiskMove.NEW: "●",
           RiskMove.CLOSED: "✓"}
_KIND = {"kpi": "KPI", "risk": "Risk", "decision": "Decision"}


def build_view(
    review: ScoredReview,
    settings: Settings,
    generated_at: dt.datetime,
    history: Sequence[HistoryEntry] = (),
    logo_url: str | None = None,
) -> PackView:
    """Everything the pack shows, as text. `history` holds earlier archived quarters."""
    p = review.input.partnership
    previous_label = ""
    if review.previous is not None:
        previous_label = Quarter.parse(review.previous.quarter).label
    kpi_rows = _kpi_rows(review.kpis)
    risk_rows = tuple(_risk_row(r) for r in review.open_risks)
    decisions = tuple(
        DecisionRow(d.id, clean_text(d.text), clean_text(d.owner),
                    d.due.isoformat() if d.due else "", d.state.value, clean_text(d.notes))
        for d in review.input.decisions
    )
    return PackView(
        title="Quarterly Business Review",
        partnership=clean_text(p.name),
        partner=clean_text(p.partner),
        quarter=p.quarter.canonical,
        quarter_label=p.quarter.label,
        confidentiality=clean_text(p.confidentiality),
        executive_sponsor=clean_text(p.executive_sponsor),
        partner_sponsor=clean_text(p.partner_sponsor),
        alliance_manager=clean_text(p.alliance_manager),
        governance_model=p.governance_model.value if p.governance_model else "",
        review_date=_date(p.review_date),
        next_review=_date(p.next_review),
        distribution=tuple(clean_text(str(r)) for r in p.distribution),
        score=str(review.score),
        status=StatusView.of(review.status),
        score_delta="" if review.score_delta is None else format_signed(review.score_delta),
        previous_quarter_label=previous_label,
        status_counts=tuple(
            (StatusView.of(s), review.count(s))
            for s in (Status.GREEN, Status.AMBER, Status.RED, Status.NO_DATA)
        ),
        exceptions=tuple(
            ExceptionRow(_KIND[e.kind], clean_text(e.name), clean_text(e.reason),
                         clean_text(e.ref), e.severity)
            for e in review.exceptions
        ),
        changes=_changes(review, previous_label),
        kpis=kpi_rows,
        total_weight=format_percent(sum(k.kpi.weight for k in review.kpis)),
        commentary=tuple((row.name, row.commentary) for row in kpi_rows if row.commentary),
        risks=risk_rows,
        closed_risks=tuple(_risk_row(r) for r in review.closed_risks),
        top_risks=risk_rows[:3],
        heatmap=_heatmap(review),
        decisions=decisions,
        open_decisions=tuple(d for d in decisions if d.status == "Open"),
        trend=_trend(review, history),
        methodology=_methodology(settings),
        provenance=Provenance(
            source_file=review.input.source_file,
            source_sha256=review.input.source_sha256,
            generated_at=generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
            config_digest=settings.digest(),
        ),
        branding=Branding(
            organisation=settings.branding.organisation,
            primary_colour=settings.branding.primary_colour,
            accent_colour=settings.branding.accent_colour,
            font=settings.branding.font,
            logo_url=logo_url,
        ),
        page_size=f"{settings.page.size} {settings.page.orientation}",
        slug=p.slug,
    )


def _date(value: dt.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _kpi_rows(results: Sequence[KpiResult]) -> tuple[KpiRow, ...]:
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


def _risk_row(result: RiskResult) -> RiskRow:
    r = result.risk
    return RiskRow(
        id=clean_text(r.id),
        description=clean_text(r.description),
        category=clean_text(r.category),
        probability=str(r.probability),
        impact=str(r.impact),
        score=str(result.score),
        rating=RatingView.of(result.rating),
        mitigation=clean_text(r.mitigation),
        owner=clean_text(r.owner),
        trend=result.move.value if result.move else "",
        trend_arrow=_ARROWS[result.move] if result.move else "",
        previous_score="" if result.previous_score is None else str(result.previous_score),
    )


def _heatmap(review: ScoredReview) -> tuple[tuple[HeatCell, ...], ...]:
    now: dict[tuple[int, int], list[str]] = {}
    before: dict[tuple[int, int], list[str]] = {}
    for result in review.open_risks:
        cell = (result.risk.probability, result.risk.impact)
        now.setdefault(cell, []).append(clean_text(result.risk.id))
        if result.previous_cell and result.previous_cell != cell:
            before.setdefault(result.previous_cell, []).append(clean_text(result.risk.id))
    rows = []
    for probability in range(5, 0, -1):
        rows.append(tuple(
            HeatCell(probability, impact, probability * impact,
                     RatingView.of(risk_rating(probability * impact, review.risk_bands)),
                     tuple(now.get((probability, impact), ())),
                     tuple(before.get((probability, impact), ())))
            for impact in range(1, 6)
        ))
    return tuple(rows)


def _changes(review: ScoredReview, previous_label: str) -> tuple[str, ...]:
    if review.previous is None:
        return ()
    lines = []
    delta = review.score_delta or 0
    verb = "rose" if delta > 0 else "fell" if delta < 0 else "held"
    amount = f" by {abs(delta)} point{'s' if abs(delta) != 1 else ''}" if delta else ""
    lines.append(
        f"Overall score {verb}{amount}: {review.previous.score} in {previous_label} → "
        f"{review.score} now ({review.previous.status.value} → {review.status.value})."
    )
    for k in review.kpis:
        if k.previous_status is not None and k.previous_status is not k.status:
            lines.append(f"{clean_text(k.kpi.name)}: {k.previous_status.value} → {k.status.value}.")
        elif k.previous_status is None and review.previous.kpi_status:
            lines.append(f"{clean_text(k.kpi.name)}: new KPI this quarter.")
    for r in review.risks:
        if r.move is RiskMove.UP:
            lines.append(f"Risk {clean_text(r.risk.id)} up from {r.previous_score} to {r.score}.")
        elif r.move is RiskMove.DOWN:
            lines.append(f"Risk {clean_text(r.risk.id)} down from {r.previous_score} to {r.score}.")
        elif r.move is RiskMove.NEW:
            lines.append(f"Risk {clean_text(r.risk.id)} is new (score {r.score}).")
        elif r.move is RiskMove.CLOSED:
            lines.append(f"Risk {clean_text(r.risk.id)} closed.")
    for rid in review.dropped_risks:
        lines.append(f"Risk {clean_text(rid)} no longer listed.")
    return tuple(lines)


def _trend(review: ScoredReview, history: Sequence[HistoryEntry]) -> Trend:
    current = review.input.partnership.quarter
    earlier = [h for h in history if Quarter.parse(h.quarter) < current][-7:]
    points = [TrendPoint(Quarter.parse(h.quarter).label, h.score, StatusView.of(h.status))
              for h in earlier]
    points.append(TrendPoint(current.label, review.score, StatusView.of(review.status)))
    grid = []
    for k in review.kpis:
        key = kpi_key(k.kpi.name)
        cells: list[StatusView | None] = []
        for h in earlier:
            past = {kpi_key(name): status for name, status in h.kpi_status.items()}.get(key)
            cells.append(StatusView.of(past) if past else None)
        cells.append(StatusView.of(k.status))
        grid.append(KpiHistoryRow(clean_text(k.kpi.name), tuple(cells)))
    return Trend(tuple(points), tuple(grid), first_quarter=not earlier)


def _methodology(settings: Settings) -> Methodology:
    s = settings.scoring
    factors = tuple(
        (StatusView.of(status), _factor_text(value))
        for status, value in ((Status.GREEN, s.green), (Status.AMBER, s.amber),
                              (Status.RED, s.red), (Status.NO_DATA, s.no_data))
    )
    green, amber = _num(s.green_from), _num(s.amber_from)
    overall = (
        Band("Green", f"{green} and above", "green"),
        Band("Amber", f"{amber} to below {green}", "amber"),
        Band("Red", f"below {amber}", "red"),
    )
    b = settings.risk_bands
    risk = (
        Band("Low", _span(1, b.medium_from - 1), "low"),
        Band("Medium", _span(b.medium_from, b.high_from - 1), "medium"),
        Band("High", _span(b.high_from, b.critical_from - 1), "high"),
        Band("Critical", _span(b.critical_from, 25), "critical"),
    )
    return Methodology(factors, overall, tuple(band for band in risk if band.rule),
                       green_from=s.green_from, amber_from=s.amber_from)


def _factor_text(value: float) -> str:
    if abs(value - 1 / 3) < 1e-9:
        return "⅓ of the weight"
    return f"{_num(value)} × the weight"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _span(low: int, high: int) -> str:
    if high < low:
        return ""
    return str(low) if low == high else f"{low}–{high}"
