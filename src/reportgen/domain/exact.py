"""Exact arithmetic, kept cheap: weights and points never pass through floats.

`fractions.Fraction` is exact but slow (every operation normalises through a gcd in Python);
these helpers do the work in integers and make one Fraction at the end. `denoise` strips the
binary noise a float picks up (0.1 + 0.2), for numbers read from a workbook and shown again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def exact_sum(values: Sequence[Fraction]) -> Fraction:
    """Σ values over their least common denominator: one Fraction made instead of one per add."""
    common = math.lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (common // v.denominator) for v in values), common)


def round_half_up(value: Fraction | int) -> int:
    """floor(value + ½), in integers: (2n + d) // 2d for n/d."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def denoise(value: float) -> float:
    """Strip binary noise (0.1 + 0.2) without changing any value a person typed."""
    if len(repr(value)) < 17:  # short repr: no noise to strip (the common case, kept cheap)
        return value
    return float(f"{value:.12g}")


def round_to(value: Fraction, unit: Fraction) -> Fraction:
    """`value` rounded half-up to a multiple of `unit` (1 for whole points, 1/10 for tenths)."""
    return round_half_up(value / unit) * unit


def reconcile(exact: Sequence[Fraction], unit: Fraction, target: int) -> list[Fraction]:
    """Each value rounded half-up to a multiple of `unit`, then moved by a unit, one step at a
    time, until the values add up to `target` (docs/scoring.md#points-and-the-overall-score).

    Each step moves, in the surplus's direction, the value that lands nearest its exact value
    without going below 0; between equals, the later one. That is: the values rounding pushed
    furthest in the surplus's direction each give a unit back, the fewest needed, later values
    first (a value moves twice only when there are fewer values than units to make up)."""
    shown = [round_to(e, unit) for e in exact]
    surplus = sum(shown, Fraction(0)) - target
    while surplus:
        step = unit if surplus > 0 else -unit
        best, error = -1, Fraction(0)
        for i, (value, e) in enumerate(zip(shown, exact, strict=True)):
            moved = value - step
            if moved >= 0 and (best < 0 or abs(moved - e) <= error):
                best, error = i, abs(moved - e)
        if best < 0:  # nothing can move: cannot happen while target is within reach
            break
        shown[best] -= step
        surplus -= step
    return shown
