"""How a status or a risk rating is shown: its word (always), its letter, and a class name that
each renderer maps to its colours (never colour alone); and how a status set by hand against
the rules is told ("set to Amber by hand; the rules give Red"), the same on the summary page,
in the headline and in Appendix A."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import RiskRating, Status
from ..domain.scoring import KpiResult
from .language import term
from .wording import WORDS


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


def by_hand(k: KpiResult) -> str:
    """"set to Amber by hand; the rules give Red" for a KPI whose status was typed in the
    workbook and differs from the one the rules give; "" otherwise (a hand-set status the rules
    agree with is nothing to tell)."""
    if not k.overridden or k.computed is k.status:
        return ""
    return WORDS.by_hand.format(status=term(k.status), computed=term(k.computed))
