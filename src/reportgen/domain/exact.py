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
