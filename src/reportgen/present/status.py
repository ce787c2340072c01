"""How a status or a risk rating is shown: its word (always), its letter, and a class name that
each renderer maps to its colours (never colour alone)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import RiskRating, Status
from .language import term


@dataclass(frozen=True)
class StatusView:
    word: str  # "Green", "Amber", "Red", "No data"
    letter: str  # "G", "A", "R", "–"
    css: str  # "green", "amber", "red", "nodata": a class name, never shown

    @classmethod
    def of(cls, status: Status) -> StatusView:
        return cls(term(status), status.letter, status.name.lower().replace("_", ""))


@dataclass(frozen=True)
class RatingView:
    word: str  # "Low" … "Critical"
    css: str  # "low", "medium", "high", "critical"

    @classmethod
    def of(cls, rating: RiskRating) -> RatingView:
        return cls(term(rating), rating.value.lower())
