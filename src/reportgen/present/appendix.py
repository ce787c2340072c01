"""The rules in force → the methodology the appendix prints: factors, overall bands, risk bands
(docs/scoring.md)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..domain.measures import format_number
from ..domain.model import Status
from ..domain.rules import RiskBands, Scoring
from .language import _, words
from .status import StatusView
from .wording import ATTENTION_RULE, POINTS_RULE, RISK_RULE, STATUS_RULES, Rule


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
    status_rules: tuple[Rule, ...] = STATUS_RULES
    points_rule: str = POINTS_RULE
    risk_rule: str = RISK_RULE
    attention_rule: str = ATTENTION_RULE


def methodology(s: Scoring, b: RiskBands, tenths: bool = False) -> Methodology:
    """The factors and bands of `s` and `b` in words, as the appendix (and the charts) use them;
    the points rule in tenths when the scorecard shows them (`tenths`)."""
    factors = tuple(
        (StatusView.of(status), _factor_text(value))
        for status, value in ((Status.GREEN, s.green), (Status.AMBER, s.amber),
                              (Status.RED, s.red), (Status.NO_DATA, s.no_data))
    )
    green, amber = format_number(s.green_from), format_number(s.amber_from)
    overall = (
        Band(_("Green"), _("{green} and above").format(green=green), "green"),
        Band(_("Amber"), _("{amber} to below {green}").format(amber=amber, green=green),
             "amber"),
        Band(_("Red"), _("below {amber}").format(amber=amber), "red"),
    )
    risk = (
        Band(_("Low"), _span(1, b.medium_from - 1), "low"),
        Band(_("Medium"), _span(b.medium_from, b.high_from - 1), "medium"),
        Band(_("High"), _span(b.high_from, b.critical_from - 1), "high"),
        Band(_("Critical"), _span(b.critical_from, 25), "critical"),
    )
    w = words()
    return Methodology(factors, overall, tuple(band for band in risk if band.rule),
                       green_from=s.green_from, amber_from=s.amber_from,
                       status_rules=w.status_rules, risk_rule=w.risk_rule,
                       attention_rule=w.attention_rule,
                       points_rule=w.points_tenths if tenths else w.points_rule)


def _factor_text(value: Fraction) -> str:
    if value == Fraction(1, 3):
        return _("⅓ of the weight")
    return _("{factor} × the weight").format(factor=format_number(float(value)))


def _span(low: int, high: int) -> str:
    if high < low:
        return ""
    return str(low) if low == high else f"{low}–{high}"
