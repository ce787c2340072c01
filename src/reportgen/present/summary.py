"""Scored review → the executive summary's lists: the exceptions, and what changed since last
quarter in sentences."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.scoring import RiskMove, ScoredReview
from ..domain.text import clean_text


@dataclass(frozen=True)
class ExceptionRow:
    kind: str  # "KPI", "Risk", "Decision"
    name: str
    reason: str
    ref: str
    severity: int  # 1 most severe


KINDS = {"kpi": "KPI", "risk": "Risk", "decision": "Decision"}


def change_sentences(review: ScoredReview, previous_label: str) -> tuple[str, ...]:
    if review.previous is None:
        return ()
    lines = []
    delta = review.score_delta or 0
    verb = "rose" if delta > 0 else "fell" if delta < 0 else "held"
    amount = f" by {abs(delta)} point{'s' if abs(delta) != 1 else ''}" if delta else ""
    lines.append(
        f"Overall score {verb}{amount}: {review.previous.score} in {previous_label} → "
        f"{review.score} now ({review.previous.status.value} → {review.status.value})."
    )
    for k in review.kpis:
        if k.previous_status is not None and k.previous_status is not k.status:
            lines.append(f"{clean_text(k.kpi.name)}: {k.previous_status.value} → {k.status.value}.")
        elif k.previous_status is None and review.previous.kpi_status:
            lines.append(f"{clean_text(k.kpi.name)}: new KPI this quarter.")
    for r in review.risks:
        if r.move is RiskMove.UP:
            lines.append(f"Risk {clean_text(r.risk.id)} up from {r.previous_score} to {r.score}.")
        elif r.move is RiskMove.DOWN:
            lines.append(f"Risk {clean_text(r.risk.id)} down from {r.previous_score} to {r.score}.")
        elif r.move is RiskMove.NEW:
            lines.append(f"Risk {clean_text(r.risk.id)} is new (score {r.score}).")
        elif r.move is RiskMove.CLOSED:
            lines.append(f"Risk {clean_text(r.risk.id)} closed.")
    for rid in review.dropped_risks:
        lines.append(f"Risk {clean_text(rid)} no longer listed.")
    return tuple(lines)
