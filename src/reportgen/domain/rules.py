"""The scoring rules in force: status factors and overall bands, and the risk rating bands.

Plain frozen values, made from the validated settings (`config.ScoringSettings.rules`,
`config.RiskBandSettings.rules`) or directly in tests. Factors are exact fractions, so a third
is a third: points never pass through binary floating point
(docs/scoring.md#points-and-the-overall-score).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from .model import Status


@dataclass(frozen=True)
class Scoring:
    """What each status earns (a share of the KPI's weight) and where the overall bands start."""

    green: Fraction = Fraction(1)
    amber: Fraction = Fraction(3, 4)
    red: Fraction = Fraction(1, 3)
    no_data: Fraction = Fraction(0)
    green_from: float = 85  # overall score that is Green
    amber_from: float = 70  # overall score that is Amber

    def factor(self, status: Status) -> Fraction:
        return {Status.GREEN: self.green, Status.AMBER: self.amber, Status.RED: self.red,
                Status.NO_DATA: self.no_data}[status]

    @cached_property
    def points_per_weight(self) -> dict[Status, Fraction]:
        """100 × each status's factor, exact: a KPI earns its weight times this."""
        return {status: 100 * self.factor(status) for status in Status}


@dataclass(frozen=True)
class RiskBands:
    """The lowest risk score (probability × impact, 1–25) of each rating; below Medium is Low."""

    medium_from: int = 5
    high_from: int = 10
    critical_from: int = 15
