"""`ScoredReview` + its `Summary` → the JSON document of `score --json` (docs/cli.md#score),
also embedded in the PDF: the scored KPIs and risks, the headline, the whole attention list (each
item with its `id` and why it is listed, in the pack's words), the decisions and the actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..domain.model import ActionState, DecisionState, Direction, Measure
from ..domain.scoring import ScoredReview
from .summary import Summary


def review_document(review: ScoredReview, summary: Summary) -> dict[str, Any]:
    p = review.input.partnership
    return {
        "partnership": p.name,
        "partner": p.partner,
        "quarter": p.quarter.canonical,
        "overall": {"score": review.score, "status": review.status.value},
        "headline": list(summary.headline),
        "kpis": [
            {
                "category": k.kpi.category,
                "kpi": k.kpi.name,
                "metric": k.kpi.metric,
                "target": _number(k.kpi.target),
                "actual": _number(k.kpi.actual),
                "direction": "higher" if k.kpi.direction is Direction.HIGHER else "lower",
                "status": k.status.value,
                "status_source": k.source.value,
                "weight": float(k.kpi.weight),
                "points": k.points,
            }
            for k in review.kpis
        ],
        "risks": [
            {
                "id": r.risk.id,
                "risk": r.risk.description,
                "probability": r.risk.probability,
                "impact": r.risk.impact,
                "score": r.score,
                "rating": r.rating.value,
                "status": r.risk.state.value,
            }
            for r in review.risks
        ],
        "exceptions": [
            {"kind": item.kind, "id": row.id, "name": row.name, "reason": row.why}
            for item, row in zip(review.attention, summary.attention, strict=True)
        ],
        "decisions": [
            {"id": d.id, "decision": d.text, "owner": d.owner,
             "due": d.due.isoformat() if d.due else None, "status": d.state.value,
             "recommendation": d.recommendation, "financial_impact": d.financial_impact,
             "days_overdue": review.overdue(d.due) if d.state is DecisionState.OPEN else 0}
            for d in review.input.decisions
        ],
        "actions": [
            {"id": a.id, "action": a.text, "owner": a.owner,
             "due": a.due.isoformat() if a.due else None, "status": a.state.value,
             "days_overdue": review.overdue(a.due) if a.state is ActionState.OPEN else 0}
            for a in review.input.actions
        ],
    }


def reviews_json(reviews: Sequence[tuple[ScoredReview, Summary]]) -> str:
    """The document of `score --json`: each review with its summary."""
    return json.dumps({"reviews": [review_document(r, s) for r, s in reviews]},
                      ensure_ascii=False, indent=2)


def _number(measure: Measure | None) -> float | None:
    return None if measure is None else measure.value
