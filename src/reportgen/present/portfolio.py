"""Many scored reviews → the portfolio summary: ranking, category grid, top risks.

`PortfolioLine.of()` keeps what the summary needs from one `ScoredReview` (small enough to pass
between processes); `portfolio_view()` ranks the lines and formats them for the template.
A category's status in the grid is its worst KPI status, so a Red KPI is never averaged away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .. import __version__
from ..config import Settings
from ..domain.measures import format_signed
from ..domain.model import RiskRating, Status
from ..domain.scoring import ExceptionItem, ScoredReview
from ..domain.text import clean_text
from .status import RatingView, StatusView
from .view import Branding


@dataclass(frozen=True)
class PortfolioRisk:
    partnership: str
    id: str
    description: str
    score: int
    rating: RiskRating


@dataclass(frozen=True)
class PortfolioLine:
    partnership: str
    partner: str
    quarter: str
    score: int
    status: Status
    delta: int | None
    top_exception: str
    categories: tuple[tuple[str, Status], ...]  # (category, worst KPI status), workbook order
    risks: tuple[PortfolioRisk, ...]  # open High and Critical risks

    @classmethod
    def of(cls, review: ScoredReview) -> PortfolioLine:
        p = review.input.partnership
        worst: dict[str, Status] = {}
        for k in review.kpis:
            seen = worst.get(k.kpi.category)
            if seen is None or k.status.rank < seen.rank:
                worst[k.kpi.category] = k.status
        top = review.exceptions[0] if review.exceptions else None
        return cls(
            partnership=p.name, partner=p.partner, quarter=p.quarter.canonical,
            score=review.score, status=review.status, delta=review.score_delta,
            top_exception=_describe(top) if top else "",
            categories=tuple(worst.items()),
            risks=tuple(
                PortfolioRisk(p.name, r.risk.id, r.risk.description, r.score, r.rating)
                for r in review.open_risks
                if r.rating in (RiskRating.HIGH, RiskRating.CRITICAL)
            ),
        )


def _describe(item: ExceptionItem) -> str:
    """'SR-02 Disruptive technology … — Critical (score 20)', 'Milestone Delivery — Red'."""
    name = f"{item.ref} {item.name}" if item.kind in ("risk", "decision") else item.name
    return f"{name} — {item.reason}"


@dataclass(frozen=True)
class RankRow:
    rank: int
    partnership: str
    partner: str
    score: str
    status: StatusView
    delta: str
    top_exception: str


@dataclass(frozen=True)
class GridRow:
    partnership: str
    cells: tuple[StatusView | None, ...]  # one per category column; None: no KPI there


@dataclass(frozen=True)
class RiskRow:
    partnership: str
    id: str
    description: str
    score: str
    rating: RatingView


@dataclass(frozen=True)
class PortfolioView:
    title: str
    quarter: str
    quarter_label: str
    count: int
    status_counts: tuple[tuple[StatusView, int], ...]
    ranking: tuple[RankRow, ...]
    categories: tuple[str, ...]
    grid: tuple[GridRow, ...]
    risks: tuple[RiskRow, ...]
    generated_at: str
    generated: dt.datetime  # the same moment (UTC), for document metadata
    version: str
    page_size: str
    branding: Branding


def portfolio_view(lines: Sequence[PortfolioLine], quarter_label: str, generated_at: dt.datetime,
                   settings: Settings) -> PortfolioView:
    """Rank by overall score (highest first, then name); grid and risks follow the ranking."""
    ranked = sorted(lines, key=lambda line: (-line.score, line.partnership.casefold()))
    categories: list[str] = []
    for line in ranked:
        for name, _ in line.categories:
            if name not in categories:
                categories.append(name)
    risks = sorted((r for line in ranked for r in line.risks),
                   key=lambda r: (-r.score, r.partnership.casefold(), r.id))
    return PortfolioView(
        title="Partnership Portfolio Summary",
        quarter=ranked[0].quarter if ranked else "",
        quarter_label=quarter_label,
        count=len(ranked),
        status_counts=tuple((StatusView.of(s), sum(line.status is s for line in ranked))
                            for s in (Status.GREEN, Status.AMBER, Status.RED)),
        ranking=tuple(
            RankRow(i, clean_text(line.partnership), clean_text(line.partner), str(line.score),
                    StatusView.of(line.status),
                    "" if line.delta is None else format_signed(line.delta),
                    clean_text(line.top_exception))
            for i, line in enumerate(ranked, start=1)
        ),
        categories=tuple(clean_text(c) for c in categories),
        grid=tuple(
            GridRow(clean_text(line.partnership),
                    tuple(StatusView.of(dict(line.categories)[c]) if c in dict(line.categories)
                          else None for c in categories))
            for line in ranked
        ),
        risks=tuple(RiskRow(clean_text(r.partnership), clean_text(r.id),
                            clean_text(r.description), str(r.score), RatingView.of(r.rating))
                    for r in risks),
        generated_at=generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        generated=generated_at.astimezone(dt.UTC),
        version=__version__,
        page_size=f"{settings.page.size} {settings.page.orientation}",
        branding=Branding(settings.branding.organisation, settings.branding.primary_colour,
                          settings.branding.accent_colour, settings.branding.font, None),
    )
