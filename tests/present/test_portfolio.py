"""The portfolio summary's headline across partnerships, its biggest movers and the decisions
requested across the portfolio (docs/pack.md#portfolio-summary)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from factories import GENERATED_AT, archived, example_input, example_review
from reportgen.config import Settings
from reportgen.domain.history import PreviousReview
from reportgen.domain.model import Status
from reportgen.domain.scoring import ScoredReview, score_review
from reportgen.present.portfolio import PortfolioLine, PortfolioView, portfolio_view

SETTINGS = Settings()
RULES = SETTINGS.scoring.rules, SETTINGS.risk_bands.rules


def named(name: str, previous: PreviousReview | None = None, **changes: object) -> ScoredReview:
    source = example_input(3)
    partnership = dataclasses.replace(source.partnership, name=name, **changes)
    return score_review(dataclasses.replace(source, partnership=partnership), *RULES, previous)


def view_of(*reviews: ScoredReview) -> PortfolioView:
    lines = [PortfolioLine.of(review, SETTINGS.date_format) for review in reviews]
    return portfolio_view(lines, "Q3 2025", GENERATED_AT, SETTINGS)


def test_headline_movers_and_decisions_across_the_portfolio():
    recovered = dataclasses.replace(archived(3), score=70, status=Status.RED)
    view = view_of(example_review(3, archived(2)), named("Beta Payments JV"),
                   named("Gamma Co-marketing", recovered,
                         review_date=dt.date(2025, 11, 20)))
    assert view.headline == (
        "Of 3 partnerships, 3 are Amber.",
        "Biggest movers since last quarter: Gamma Co-marketing rose 13 points to 83 (Amber) "
        "and FinCorp–TechDrive Wealth Platform fell 5 points to 83 (Amber).",
        "9 open risks across the portfolio are rated High or Critical, the highest SR-02 of "
        "Beta Payments JV at 12 (High).",
        "6 decisions are requested by 3 partnerships, 2 overdue; the earliest due 31 Oct 2025 "
        "(Beta Payments JV, D-02); 3 actions from last reviews are overdue.",
    )
    assert [(m.partnership, m.delta, m.change) for m in view.movers] == [
        ("Gamma Co-marketing", "+13", "70 (Red) → 83 (Amber)"),
        ("FinCorp–TechDrive Wealth Platform", "−5", "88 (Green) → 83 (Amber)")]
    assert view.movers[1].kpis.startswith(
        "Joint Project Milestone Delivery fell from Green to Red (88% vs 95% target); ")
    assert [(d.partnership, d.id, d.overdue) for d in view.decisions] == [
        ("Beta Payments JV", "D-02", ""),
        ("FinCorp–TechDrive Wealth Platform", "D-02", ""),
        ("Gamma Co-marketing", "D-02", "20 days overdue"),
        ("Beta Payments JV", "D-03", ""),
        ("FinCorp–TechDrive Wealth Platform", "D-03", ""),
        ("Gamma Co-marketing", "D-03", "5 days overdue")]
    top = {row.partnership: row.top_exception for row in view.ranking}
    assert top["FinCorp–TechDrive Wealth Platform"] == (
        "Joint Project Milestone Delivery — Red: 88% vs 95% target; Green in Q2 2025")
    assert top["Beta Payments JV"] == "Joint Project Milestone Delivery — Red: 88% vs 95% target"


def test_a_first_archived_portfolio_says_there_is_nothing_to_compare():
    calm = named("Alpha Cloud Alliance")
    calm = dataclasses.replace(calm, input=dataclasses.replace(calm.input, decisions=()))
    view = view_of(calm, named("Beta Payments JV"))
    assert view.headline[1] == "No partnership has an earlier archived quarter to compare with."
    assert view.movers == ()
    assert view.headline[-1] == ("2 decisions are requested by 1 partnership; the earliest due "
                                 "31 Oct 2025 (Beta Payments JV, D-02); 2 actions from last "
                                 "reviews are overdue.")
