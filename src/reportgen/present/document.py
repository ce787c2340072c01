"""`ScoredReview` → the JSON document of `score --json` (docs/cli.md#commands), also embedded
in the PDF."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..domain.model import Direction, Measure
from ..domain.scoring import ScoredReview


def review_document(review: ScoredReview) -> dict[str, Any]:
    p = review.input.partnership
    return {
        "partnership": p.name,
        "partner": p.partner,
        "quarter": p.quarter.canonical,
        "overall": {"score": review.score, "status": review.status.value},
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
            {"kind": e.kind, "name": e.name, "reason": e.reason} for e in review.exceptions
        ],
    }


def reviews_json(reviews: Sequence[ScoredReview]) -> str:
    return json.dumps({"reviews": [review_document(r) for r in reviews]}, ensure_ascii=False,
                      indent=2)


def _number(measure: Measure | None) -> float | None:
    return None if measure is None else measure.value
