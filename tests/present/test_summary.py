"""What the summary says changed since last quarter: one sentence per change, in the order
score, KPIs (workbook order), risks (rank order), risks no longer listed."""

from __future__ import annotations

from dataclasses import replace

from factories import example_input, example_review
from reportgen.config import Settings
from reportgen.domain.history import PreviousReview
from reportgen.domain.model import RiskState, Status
from reportgen.domain.scoring import score_review
from reportgen.domain.text import normalise
from reportgen.present.summary import change_sentences

RULES = Settings().scoring.rules, Settings().risk_bands.rules


def previous_of(quarter: int) -> PreviousReview:
    """The example's quarter as the archive would hand it back."""
    review = example_review(quarter)
    return PreviousReview(
        quarter=f"2025-Q{quarter}", score=review.score, status=review.status,
        kpi_status={normalise(k.kpi.name): k.status for k in review.kpis},
        kpi_actual={normalise(k.kpi.name): k.kpi.actual.value if k.kpi.actual else None
                    for k in review.kpis},
        risk_score={r.risk.id: r.score for r in review.open_risks},
        risk_cell={r.risk.id: (r.risk.probability, r.risk.impact) for r in review.open_risks},
    )


def test_the_first_archived_quarter_has_no_changes():
    assert change_sentences(example_review(3), "") == ()


def test_q3_after_q2_says_each_change_in_order():
    review = example_review(3, previous_of(2))
    assert change_sentences(review, "Q2 2025") == (
        "Overall score fell by 5 points: 88 in Q2 2025 → 83 now (Green → Amber).",
        "Joint Revenue Growth: Amber → Green.",
        "Joint Project Milestone Delivery: Green → Red.",
        "Executive Engagement Score: Green → Amber.",
        "Risk SR-02 up from 9 to 12.",
        "Risk SR-03 up from 9 to 12.",
    )


def test_an_unchanged_quarter_says_the_score_held():
    review = example_review(3, previous_of(3))
    assert change_sentences(review, "Q3 2025") == (
        "Overall score held: 83 in Q3 2025 → 83 now (Amber → Amber).",)


def test_one_point_is_singular_and_a_rise_says_rose():
    previous = replace(previous_of(3), score=82)
    assert change_sentences(example_review(3, previous), "Q2 2025")[0] == (
        "Overall score rose by 1 point: 82 in Q2 2025 → 83 now (Amber → Amber).")


def test_new_kpis_new_closed_down_and_dropped_risks():
    source = example_input(3)
    renamed = replace(source.kpis[0], name="Joint Revenue Growth (net)")
    risks = list(source.risks)
    risks[0] = replace(risks[0], id="SR-09")  # new this quarter
    risks[1] = replace(risks[1], state=RiskState.CLOSED)
    risks[2] = replace(risks[2], probability=1)  # down
    review = score_review(replace(source, kpis=(renamed, *source.kpis[1:]), risks=tuple(risks)),
                          *RULES, previous_of(3))
    lines = change_sentences(review, "Q2 2025")
    assert "Joint Revenue Growth (net): new KPI this quarter." in lines
    assert any(line.startswith("Risk SR-09 is new (score ") for line in lines)
    assert f"Risk {risks[1].id} closed." in lines
    assert any(line.startswith(f"Risk {risks[2].id} down from ") for line in lines)
    assert lines[-1] == f"Risk {source.risks[0].id} no longer listed."


def test_status_words_come_from_the_statuses():
    review = example_review(3, replace(previous_of(3), status=Status.RED, score=60))
    assert change_sentences(review, "Q2 2025")[0].endswith("(Red → Amber).")
