"""`ScoredReview` + its `Summary` → the JSON document of `score --json` (docs/cli.md#json-output),
also embedded in the PDF: the scored KPIs and risks, the headline, the whole attention list (each
item with its `id` and why it is listed, in the pack's words), the decisions and the actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..domain.measures import variance
from ..domain.model import ActionState, DecisionState, Direction, Kpi, Measure
from ..domain.scoring import KpiResult, ScoredReview
from ..domain.text import normalise
from .summary import Summary


def review_document(review: ScoredReview, summary: Summary,
                    compared: bool = False) -> dict[str, Any]:
    """The review as JSON-ready data, with its summary's headline and attention list. Each KPI
    carries `previous` (last quarter's actual and status, null for a KPI new this quarter) when
    the review was `compared` with an archive or has a previous quarter."""
    p = review.input.partnership
    with_previous = compared or review.previous is not None
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
                "owner": k.kpi.owner,
                "target": _number(k.kpi.target),
                "actual": _number(k.kpi.actual),
                "variance": _variance(k.kpi),
                "direction": "higher" if k.kpi.direction is Direction.HIGHER else "lower",
                "status": k.status.value,
                "status_source": k.source.value,
                "weight": float(k.kpi.weight),
                "points": k.points,
                **({"previous": _previous(review, k)} if with_previous else {}),
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
                "owner": r.risk.owner,
                "due": r.risk.due.isoformat() if r.risk.due else None,
                "target_probability": r.risk.target_probability,
                "target_impact": r.risk.target_impact,
                "target_score": r.risk.target_score,
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
             "days_overdue": review.overdue(d.due) if d.state is DecisionState.OPEN else 0,
             "risks": list(d.answers(r.risk.id for r in review.risks))}
            for d in review.input.decisions
        ],
        "actions": [
            {"id": a.id, "action": a.text, "owner": a.owner,
             "due": a.due.isoformat() if a.due else None, "status": a.state.value,
             "days_overdue": review.overdue(a.due) if a.state is ActionState.OPEN else 0}
            for a in review.input.actions
        ],
    }


def reviews_json(reviews: Sequence[tuple[ScoredReview, Summary]], compared: bool = False) -> str:
    """The document of `score --json`: each review with its summary."""
    return json.dumps({"reviews": [review_document(r, s, compared) for r, s in reviews]},
                      ensure_ascii=False, indent=2)


def _number(measure: Measure | None) -> float | None:
    return None if measure is None else measure.value


def _variance(kpi: Kpi) -> float | None:
    """Actual − target in the actual's unit (a fraction for percentages), + favourable."""
    if kpi.actual is None:
        return None
    return variance(kpi.actual, kpi.target, kpi.direction is Direction.LOWER).value


def _previous(review: ScoredReview, result: KpiResult) -> dict[str, Any] | None:
    previous = review.previous
    key = normalise(result.kpi.name)
    if previous is None or key not in previous.kpi_status:
        return None
    return {"quarter": previous.quarter, "actual": previous.kpi_actual.get(key),
            "status": previous.kpi_status[key].value}
