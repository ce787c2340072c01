"""Scored risks → the risk matrix's rows and its 5×5 heat map (with where each moved risk sat
last quarter)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.scoring import RiskMove, RiskResult, ScoredReview, risk_rating
from ..domain.text import clean_text
from .status import RatingView


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

    @property
    def trend_label(self) -> str:
        """The trend as one line: "▲ Up from 9", "● New", "—" in a first archived quarter."""
        if not self.trend:
            return "—"
        moved = self.previous_score and self.trend in ("Up", "Down")
        return f"{self.trend_arrow} {self.trend}" + (f" from {self.previous_score}" if moved
                                                     else "")


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    score: int
    rating: RatingView
    ids: tuple[str, ...]  # open risks in this cell now
    previous_ids: tuple[str, ...]  # risks that sat here last quarter and have moved since


_ARROWS = {RiskMove.UP: "▲", RiskMove.DOWN: "▼", RiskMove.SAME: "▬", RiskMove.NEW: "●",
           RiskMove.CLOSED: "✓"}


def risk_row(result: RiskResult) -> RiskRow:
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


def heat_map(review: ScoredReview) -> tuple[tuple[HeatCell, ...], ...]:
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
