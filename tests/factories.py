"""Domain objects built in code, for tests that do not need a workbook on disk."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from reportgen.config import Settings
from reportgen.domain.history import HistoryEntry, PreviousReview
from reportgen.domain.model import (
    Action,
    ActionState,
    Decision,
    DecisionState,
    Direction,
    GovernanceModel,
    Kpi,
    Measure,
    Partnership,
    Quarter,
    Recipient,
    ReviewInput,
    Risk,
)
from reportgen.domain.scoring import ScoredReview, score_review
from reportgen.domain.text import normalise
from reportgen.examples import workbooks as example
from reportgen.intake.numbers import measure_from_cell


def _measure(cell: example.Cell) -> Measure:
    return measure_from_cell(cell.value, cell.number_format)


def example_input(quarter: int = 3) -> ReviewInput:
    """The FinCorp–TechDrive example as domain objects (the same data `init` writes)."""
    keys = {k: c.value for k, c in example.partnership_rows(quarter)}
    partnership = Partnership(
        name=keys["Partnership"],
        partner=keys["Partner"],
        quarter=Quarter.parse(keys["Quarter"]),
        executive_sponsor=keys["Executive Sponsor"],
        partner_sponsor=keys["Partner Sponsor"],
        alliance_manager=keys["Alliance Manager"],
        governance_model=GovernanceModel(keys["Governance Model"]),
        review_date=keys["Review Date"],
        next_review=keys["Next Review"],
        distribution=(Recipient("Marcus Lee", "marcus.lee@techdrive.example"),),
    )
    kpis = []
    category = ""
    for row in example.kpi_rows(quarter):
        category = row[0].value or category
        kpis.append(Kpi(
            category=category, name=row[1].value, metric=row[2].value,
            target=_measure(row[3]), actual=_measure(row[4]), direction=Direction.HIGHER,
            amber_threshold=_measure(row[6]), weight=Fraction(str(row[7].value)),
            owner=row[9].value, commentary=row[10].value,
        ))
    risks = [
        Risk(id=r[0].value, description=r[1].value, category=r[2].value, probability=r[3].value,
             impact=r[4].value, mitigation=r[5].value, owner=r[6].value, due=r[8].value,
             target_probability=r[9].value, target_impact=r[10].value)
        for r in example.risk_rows(quarter)
    ]
    decisions = [
        Decision(id=d[0].value, text=d[1].value, owner=d[2].value, due=d[3].value,
                 state=DecisionState(d[4].value), notes=d[5].value, recommendation=d[6].value,
                 financial_impact=(_measure_text(d[7]) if d[7].number_format else d[7].value))
        for d in example.decision_rows(quarter)
    ]
    actions = [
        Action(id=a[0].value, text=a[1].value, owner=a[2].value, due=a[3].value,
               state=ActionState(a[4].value), notes=a[5].value)
        for a in example.action_rows(quarter)
    ]
    return ReviewInput(partnership, tuple(kpis), tuple(risks), tuple(decisions),
                       source_file=example.example_filename(quarter), source_sha256="0" * 64,
                       actions=tuple(actions))


def _measure_text(cell: example.Cell) -> str:
    from reportgen.domain.measures import format_measure

    return format_measure(_measure(cell))


def archived(quarter: int, as_quarter: str = "2025-Q2") -> PreviousReview:
    """The example's quarter as the archive would hand it back, as the quarter `as_quarter`."""
    from reportgen.domain.text import normalise

    review = example_review(quarter)
    return PreviousReview(
        quarter=as_quarter, score=review.score, status=review.status,
        kpi_status={normalise(k.kpi.name): k.status for k in review.kpis},
        kpi_actual={normalise(k.kpi.name): k.kpi.actual.value if k.kpi.actual else None
                    for k in review.kpis},
        risk_score={r.risk.id: r.score for r in review.open_risks},
        risk_cell={r.risk.id: (r.risk.probability, r.risk.impact) for r in review.open_risks},
        decision_state={d.id: d.state for d in review.input.decisions},
    )


def example_review(quarter: int = 3, previous: PreviousReview | None = None) -> ScoredReview:
    settings = Settings()
    return score_review(example_input(quarter), settings.scoring.rules, settings.risk_bands.rules,
                        previous)


GENERATED_AT = dt.datetime(2025, 10, 1, 9, 30, tzinfo=dt.UTC)


def example_history() -> tuple[PreviousReview, HistoryEntry]:
    """The example's Q2 2025 as the archive hands it back for Q3: the previous quarter (keyed
    by normalised name) and the history entry (keyed by name as written), looks included."""
    q2 = example_review(2)
    actuals = {k.kpi.name: k.kpi.actual for k in q2.kpis if k.kpi.actual is not None}
    previous = PreviousReview(
        "2025-Q2", q2.score, q2.status,
        kpi_status={normalise(k.kpi.name): k.status for k in q2.kpis},
        kpi_actual={normalise(name): m.value for name, m in actuals.items()},
        kpi_measure={normalise(name): m for name, m in actuals.items()},
        risk_score={r.risk.id: r.score for r in q2.open_risks},
        risk_cell={r.risk.id: (r.risk.probability, r.risk.impact) for r in q2.open_risks},
    )
    entry = HistoryEntry("2025-Q2", q2.score, q2.status, {k.kpi.name: k.status for k in q2.kpis},
                         {name: m.value for name, m in actuals.items()}, actuals)
    return previous, entry
